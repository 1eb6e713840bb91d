// The canonical layout of a `.norm` file. `normwerk fmt` prints this; the
// round-trip test checks that printing and parsing again gives the same tree.
#include "dsl/print.hpp"

#include <algorithm>

namespace nw::dsl {
namespace {

int Precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kBinary:
      switch (e.binary_op) {
        case BinaryOp::kOr: return 1;
        case BinaryOp::kAnd: return 2;
        case BinaryOp::kEq: case BinaryOp::kNe: case BinaryOp::kLt: case BinaryOp::kLe:
        case BinaryOp::kGt: case BinaryOp::kGe: case BinaryOp::kIn: case BinaryOp::kNotIn: return 4;
        case BinaryOp::kAt: return 5;
        case BinaryOp::kOn: return 8;
        case BinaryOp::kAdd: case BinaryOp::kSub: return 6;
        case BinaryOp::kMul: case BinaryOp::kDiv: return 7;
      }
      return 0;
    case ExprKind::kUnary: return e.unary_op == UnaryOp::kNot ? 3 : 8;
    case ExprKind::kIs: return 4;
    case ExprKind::kIf: case ExprKind::kAggregate: return 0;  // extend to the right: parenthesise inside operators
    default: return 9;
  }
}

const char* OpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return "or";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kEq: return "=";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
    case BinaryOp::kIn: return "in";
    case BinaryOp::kNotIn: return "not in";
    case BinaryOp::kAt: return "at";
    case BinaryOp::kOn: return "on";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
  }
  return "?";
}

const char* AggregateText(AggregateFn fn) {
  switch (fn) {
    case AggregateFn::kCount: return "count";
    case AggregateFn::kSum: return "sum";
    case AggregateFn::kMin: return "min";
    case AggregateFn::kMax: return "max";
    case AggregateFn::kAverage: return "average";
    case AggregateFn::kShare: return "share";
    case AggregateFn::kExists: return "exists";
    case AggregateFn::kAll: return "every";
  }
  return "?";
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class Printer {
 public:
  explicit Printer(const SyntaxTree& tree) : tree_(tree) {}

  std::string Run() {
    bool first = true;
    for (const Item& item : tree_.items) {
      if (!first) {
        // A comment at the end of the previous item's last line stays on that line.
        while (next_comment_ < tree_.comments.size() && !tree_.comments[next_comment_].own_line &&
               tree_.comments[next_comment_].range.begin < ItemRange(item).begin) {
          const Comment& c = tree_.comments[next_comment_++];
          if (!out_.empty() && out_.back() == '\n') out_.pop_back();
          out_ += "  " + c.text + "\n";
        }
        out_ += '\n';
      }
      first = false;
      std::visit([this](const auto& i) { PrintItem(i); }, item);
    }
    FlushComments(UINT32_MAX, "");
    return out_;
  }

 private:
  // Emits comments that start before `offset`.
  void FlushComments(uint32_t offset, const std::string& indent) {
    while (next_comment_ < tree_.comments.size() && tree_.comments[next_comment_].range.begin < offset) {
      const Comment& c = tree_.comments[next_comment_++];
      if (!c.own_line && !out_.empty() && out_.back() == '\n') {
        out_.pop_back();
        out_ += "  " + c.text + "\n";
      } else {
        out_ += indent + c.text + "\n";
        // A blank line after an own-line comment (a file header, a section note) is kept.
        if (tree_.source != nullptr) {
          std::string_view rest = tree_.source->text().substr(std::min<size_t>(c.range.end, tree_.source->text().size()));
          size_t nl = rest.find('\n');
          if (nl != std::string_view::npos) {
            std::string_view after = rest.substr(nl + 1);
            size_t k = 0;
            while (k < after.size() && (after[k] == ' ' || after[k] == '\t' || after[k] == '\r')) ++k;
            if (k < after.size() && after[k] == '\n') out_ += "\n";
          }
        }
      }
    }
  }

  void Line(SourceRange range, const std::string& indent, const std::string& text) {
    FlushComments(range.begin, indent);
    out_ += indent + text + "\n";
  }

  std::string Texts(const std::vector<LangText>& texts, size_t column) {
    std::string s;
    for (size_t i = 0; i < texts.size(); ++i) {
      if (i > 0) s += "\n" + std::string(column, ' ');
      s += texts[i].lang + " " + Quote(texts[i].value);
    }
    return s;
  }

  std::string Cite(const Citation& c) {
    std::string s = c.act.text;
    if (!c.article.empty()) s += " art " + c.article;
    if (!c.lid.empty()) s += " lid " + c.lid;
    if (!c.sub.empty()) s += " sub " + c.sub;
    return s;
  }

  std::string Cites(const std::vector<Citation>& cites) {
    std::string s;
    for (size_t i = 0; i < cites.size(); ++i) s += (i ? ", " : "") + Cite(cites[i]);
    return s;
  }

  std::string Type(const TypeRef& t) {
    switch (t.kind) {
      case TypeRef::Kind::kList: return "list of " + t.name.text;
      case TypeRef::Kind::kSet: return "set of " + t.name.text;
      case TypeRef::Kind::kNamed: break;
    }
    return t.name.text;
  }

  void PrintItem(const ActDecl& a) {
    std::string s = "act " + a.name.text + " " + Quote(a.title);
    if (!a.id_kind.empty()) s += " " + a.id_kind + " " + a.id;
    Line(a.range, "", s);
    if (!a.url.empty()) Line(a.range, "  ", "url " + Quote(a.url));
  }

  void PrintItem(const EnumDecl& e) {
    Line(e.range, "", "enum " + e.name.text + " {");
    for (size_t i = 0; i < e.values.size(); ++i) {
      const EnumValue& v = e.values[i];
      std::string s = v.name.text;
      if (!v.label.empty()) s += " " + Quote(v.label);
      if (i + 1 < e.values.size()) s += ",";
      Line(v.range, "  ", s);
    }
    FlushComments(e.range.end, "  ");
    out_ += "}\n";
  }

  void PrintFields(const std::vector<FieldDecl>& fields) {
    for (const FieldDecl& f : fields) {
      Line(f.range, "  ", f.name.text + " : " + (f.optional ? "optional " : "") + Type(f.type));
      if (!f.ask.empty()) out_ += "    ask " + Texts(f.ask, 8) + "\n";
      if (!f.open_norm.empty()) out_ += "    open " + Quote(f.open_norm) + "\n";
    }
  }

  void PrintItem(const EntityDecl& e) {
    std::string s = "entity " + e.name.text;
    if (!e.part_of.text.empty()) s += " part of " + e.part_of.text;
    if (e.closed) s += " closed";
    Line(e.range, "", s + " {");
    PrintFields(e.fields);
    FlushComments(e.range.end, "  ");
    out_ += "}\n";
  }

  void PrintItem(const ExtendDecl& e) {
    Line(e.range, "", "extend " + e.entity.text + " {");
    PrintFields(e.fields);
    FlushComments(e.range.end, "  ");
    out_ += "}\n";
  }

  void PrintValue(const ParamValue& v) {
    std::string s = "from " + v.from.text;
    if (!v.to.text.empty()) s += " to " + v.to.text;
    s += " = " + ExprText(v.value);
    Line(v.range, "  ", s);
    if (!v.source.empty()) out_ += "    source " + Quote(v.source) + "\n";
    if (!v.cites.empty()) out_ += "    cites " + Cites(v.cites) + "\n";
  }

  void PrintItem(const ParamDecl& p) {
    Line(p.range, "", "parameter " + p.name.text + " : " + Type(p.type));
    if (!p.title.empty()) out_ += "  title " + Texts(p.title, 8) + "\n";
    if (!p.cites.empty()) out_ += "  cites " + Cites(p.cites) + "\n";
    for (const ParamValue& v : p.values) PrintValue(v);
  }

  void PrintItem(const DefineDecl& d) {
    Line(d.range, "", "define " + d.name.text + " of " + d.entity.text + " " + d.var.text + " : " + Type(d.type));
    if (!d.cites.empty()) out_ += "  cites " + Cites(d.cites) + "\n";
    out_ += "  = " + Condition(d.body, "  ") + "\n";
  }

  std::string BindingText(const Binding& b) {
    switch (b.kind) {
      case Binding::Kind::kEntity: return b.type.text + " " + b.var.text;
      case Binding::Kind::kEach: return "each " + b.var.text + " in " + ExprText(b.collection, 9);
      case Binding::Kind::kConsecutive:
        return "each consecutive (" + b.var.text + ", " + b.var2.text + ") in " + ExprText(b.collection, 9) +
               " by " + b.by.text;
      case Binding::Kind::kGroup:
        return "each " + b.group + " " + b.var.text + " in " + ExprText(b.collection, 9) + " by " + b.by.text;
      case Binding::Kind::kPeriod:
        return "each period " + b.var.text + " of " + std::to_string(b.count) + " " + b.group + " in " +
               ExprText(b.collection, 9) + " by " + b.by.text;
    }
    return "";
  }

  void PrintRule(const RuleDecl& r) {
    std::string head = (r.action == RuleDecl::Action::kReplace ? "replace rule " : "rule ") + r.id.text;
    if (!r.exception_to.text.empty()) head += " exception to " + r.exception_to.text;
    Line(r.range, "", head);
    if (!r.title.empty()) Clause(r.title.front().range, "title " + Texts(r.title, 8));
    if (!r.kind.empty()) out_ += "  kind " + r.kind + " severity " + r.severity + "\n";
    if (!r.cites.empty()) Clause(r.cites.front().range, "cites " + Cites(r.cites));
    if (!r.valid_from.text.empty()) {
      std::string s = "valid from " + r.valid_from.text;
      if (!r.valid_to.text.empty()) s += " to " + r.valid_to.text;
      Clause(r.valid_from.range, s);
    }
    if (r.judged_on != kNoExpr) Clause(tree_.expr(r.judged_on).range, "judged on " + ExprText(r.judged_on));
    if (!r.deviable_by.empty()) {
      std::string s = "deviable by ";
      for (size_t i = 0; i < r.deviable_by.size(); ++i) s += (i ? ", " : "") + r.deviable_by[i].text;
      Clause(r.deviable_by.front().range, s);
    }
    if (r.source != kNoExpr) Clause(tree_.expr(r.source).range, "source " + ExprText(r.source));
    if (!r.priority_over.empty()) {
      std::string s = "priority over ";
      for (size_t i = 0; i < r.priority_over.size(); ++i) s += (i ? ", " : "") + r.priority_over[i].text;
      Clause(r.priority_over.front().range, s);
    }
    if (!r.concludes.text.empty()) {
      Clause(r.concludes.range,
             "concludes " + r.concludes.text + " = " + (r.concludes_value ? "true" : "false"));
    }
    if (!r.bindings.empty()) {
      std::string s = "for ";
      for (size_t i = 0; i < r.bindings.size(); ++i) s += (i ? ", " : "") + BindingText(r.bindings[i]);
      Clause(r.bindings.front().range, s);
    }
    if (r.when != kNoExpr) Clause(tree_.expr(r.when).range, "when " + Condition(r.when, "  "));
    for (ExprId u : r.unless) Clause(tree_.expr(u).range, "unless " + Condition(u, "  "));
    if (!r.message.empty()) Clause(r.message.front().range, "message " + Texts(r.message, 10));
    if (!r.remedy.empty()) Clause(r.remedy.front().range, "remedy " + Texts(r.remedy, 9));
  }

  // A clause line; comments before the clause's content stay in front of it.
  void Clause(SourceRange content, const std::string& text) {
    FlushComments(content.begin, "  ");
    out_ += "  " + text + "\n";
  }

  void PrintItem(const RuleDecl& r) { PrintRule(r); }

  void PrintItem(const ScenarioDecl& s) {
    Line(s.range, "", "scenario " + Quote(s.title));
    out_ += "  as of " + s.as_of.text + "\n";
    if (!s.facts_file.empty()) {
      out_ += "  facts file " + Quote(s.facts_file) + "\n";
    } else {
      // The JSON is kept as written; comments inside it are part of neither language.
      while (next_comment_ < tree_.comments.size() && tree_.comments[next_comment_].range.begin < s.facts_range.end &&
             tree_.comments[next_comment_].range.begin >= s.facts_range.begin) {
        ++next_comment_;
      }
      out_ += "  facts " + s.facts_json + "\n";
    }
    for (const Expectation& e : s.expectations) {
      std::string line = "expect ";
      line += e.absent ? "no " + e.rule.text : e.kind + " " + e.rule.text;
      if (!e.subject.empty()) line += " on " + e.subject;
      if (!e.missing.empty()) {
        line += " missing ";
        for (size_t i = 0; i < e.missing.size(); ++i) line += (i ? ", " : "") + e.missing[i];
      }
      Line(e.range, "  ", line);
    }
  }

  void PrintItem(const AmendmentDecl& a) {
    Line(a.range, "", "amendment " + a.id.text);
    if (!a.title.empty()) out_ += "  title " + Texts(a.title, 8) + "\n";
    out_ += "  kamerstuk " + Quote(a.kamerstuk) + "\n";
    out_ += "  version " + a.version + "\n";
    out_ += "  effective " + a.effective.text + "\n";
  }

  void PrintItem(const RepealDecl& r) { Line(r.range, "", "repeal " + r.rule.text); }

  void PrintItem(const SetDecl& s) {
    Line(s.range, "", "set " + s.param.text);
    for (const ParamValue& v : s.values) PrintValue(v);
  }

  // A condition: a top-level chain of `and` (or `or`) goes one operand per line.
  std::string Condition(ExprId id, const std::string& indent) {
    const Expr& e = tree_.expr(id);
    if (e.kind == ExprKind::kBinary && (e.binary_op == BinaryOp::kAnd || e.binary_op == BinaryOp::kOr)) {
      std::vector<ExprId> operands;
      Flatten(id, e.binary_op, operands);
      std::string op = OpText(e.binary_op);
      int prec = Precedence(e);
      std::string s = ExprText(operands[0], prec);
      for (size_t i = 1; i < operands.size(); ++i) {
        s += "\n" + indent + std::string(op == "and" ? 1 : 2, ' ') + op + " " + ExprText(operands[i], prec + 1);
      }
      return s;
    }
    return ExprText(id);
  }

  void Flatten(ExprId id, BinaryOp op, std::vector<ExprId>& out) {
    const Expr& e = tree_.expr(id);
    if (e.kind == ExprKind::kBinary && e.binary_op == op) {
      Flatten(e.args[0], op, out);
      out.push_back(e.args[1]);
    } else {
      out.push_back(id);
    }
  }

  // Prints an expression; parenthesises it when its precedence is below `min_prec`.
  std::string ExprText(ExprId id, int min_prec = 0) {
    const Expr& e = tree_.expr(id);
    std::string s = Raw(e);
    int prec = Precedence(e);
    if (prec < min_prec) return "(" + s + ")";
    return s;
  }

  std::string Raw(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        if (e.literal == LiteralKind::kText) return Quote(e.text);
        if (e.literal == LiteralKind::kMoney) return "€" + e.text;
        return e.text;
      case ExprKind::kPath: {
        std::string s;
        for (size_t i = 0; i < e.path.size(); ++i) s += (i ? "." : "") + e.path[i];
        return s;
      }
      case ExprKind::kUnary:
        if (e.unary_op == UnaryOp::kNot) return "not " + ExprText(e.args[0], 8);  // `not (a <= b)` reads better
        return "-" + ExprText(e.args[0], 8);
      case ExprKind::kBinary: {
        int prec = Precedence(e);
        bool non_assoc = prec == 4 || prec == 5 || prec == 8;
        return ExprText(e.args[0], non_assoc ? prec + 1 : prec) + " " + OpText(e.binary_op) + " " +
               ExprText(e.args[1], prec + 1);
      }
      case ExprKind::kCall: {
        std::string s = e.text + "(";
        for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + ExprText(e.args[i]);
        return s + ")";
      }
      case ExprKind::kSet: {
        std::string s = "{";
        for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + ExprText(e.args[i]);
        return s + "}";
      }
      case ExprKind::kIf:
        return "if " + ExprText(e.args[0]) + " then " + ExprText(e.args[1]) + " else " + ExprText(e.args[2]);
      case ExprKind::kIs: {
        const char* test = e.is_test == IsTest::kKnown ? "known" : e.is_test == IsTest::kNone ? "none" : "unknown";
        return ExprText(e.args[0], 5) + (e.negated ? " is not " : " is ") + test;
      }
      case ExprKind::kAggregate: {
        std::string coll = ExprText(e.args[0], 9);
        std::string filter = e.args[2] != kNoExpr ? ExprText(e.args[2]) : "";
        switch (e.aggregate) {
          case AggregateFn::kCount:
            return "count of " + e.var + " in " + coll + (filter.empty() ? "" : " where " + filter);
          case AggregateFn::kShare:
            if (e.args[1] == kNoExpr) return "share of " + e.var + " in " + coll + " where " + filter;
            return "share of " + ExprText(e.args[1]) + " for " + e.var + " in " + coll + " where " + filter;
          case AggregateFn::kExists: return "exists " + e.var + " in " + coll + " where " + filter;
          case AggregateFn::kAll: return "every " + e.var + " in " + coll + " satisfies " + filter;
          default:
            return std::string(AggregateText(e.aggregate)) + " of " + ExprText(e.args[1]) + " for " + e.var +
                   " in " + coll + (filter.empty() ? "" : " where " + filter);
        }
      }
    }
    return "";
  }

  const SyntaxTree& tree_;
  std::string out_;
  size_t next_comment_ = 0;
};

}  // namespace

std::string Print(const SyntaxTree& tree) { return Printer(tree).Run(); }

std::string PrintExpr(const SyntaxTree& tree, ExprId id) {
  SyntaxTree copy;
  copy.exprs = tree.exprs;
  RuleDecl r;
  r.when = id;
  copy.items.push_back(r);
  std::string s = Print(copy);
  auto pos = s.find("when ");
  if (pos == std::string::npos) return "";
  s = s.substr(pos + 5);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace nw::dsl
