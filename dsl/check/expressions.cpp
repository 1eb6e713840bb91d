// Checker pass: names and types of expressions, with units. A date plus money
// or money compared with a duration is a type error, reported once: an
// expression that already failed has the error type and stays quiet.
#include <algorithm>
#include <map>
#include <set>

#include "dsl/check/checker.hpp"
#include "dsl/support/values/country.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/percentage.hpp"
#include "dsl/support/values/rational.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"

namespace nw::dsl::internal {
namespace {

bool IsNumeric(TypeKind k) { return k == TypeKind::kInteger || k == TypeKind::kDecimal; }
Type T(TypeKind k, uint32_t id = 0) { return Type{k, id}; }

}  // namespace

// Whether a duration is counted in months (and years) or in days (and weeks),
// where that can be seen before evaluation. The two cannot be compared: a
// month is not a fixed number of days.
int Checker::DurationUnit(uint32_t id) const {
  const CExpr& e = rs_.expr(id);
  if (e.type.kind != TypeKind::kDuration) return 0;
  auto of_value = [](const Value& v) { return v.a != 0 && v.b != 0 ? 3 : v.a != 0 ? 1 : v.b != 0 ? 2 : 0; };
  switch (e.op) {
    case Op::kLiteral: return of_value(e.literal);
    case Op::kParam:
    case Op::kParamOn: {
      int unit = 0;
      for (const ParamVersion& v : rs_.params[e.index].versions) {
        int u = of_value(v.value);
        if (u == 0) continue;
        if (unit != 0 && unit != u) return 3;
        unit = u;
      }
      return unit;
    }
    case Op::kSub:
      if (rs_.expr(e.args[0]).type.kind == TypeKind::kDate) return 2;  // date - date: days
      [[fallthrough]];
    case Op::kAdd: {
      int x = DurationUnit(e.args[0]), y = DurationUnit(e.args[1]);
      if (x == 0) return y;
      if (y == 0 || x == y) return x;
      return 3;
    }
    case Op::kMul:
    case Op::kNeg:
      return std::max(DurationUnit(e.args[0]), e.args.size() > 1 ? DurationUnit(e.args[1]) : 0);
    default: return 0;
  }
}

uint32_t Checker::Add(CExpr e) {
  rs_.exprs.push_back(std::move(e));
  return static_cast<uint32_t>(rs_.exprs.size() - 1);
}

uint32_t Checker::ErrorExpr(SourceRange r) {
  CExpr e;
  e.op = Op::kLiteral;
  e.type = T(TypeKind::kError);
  e.range = r;
  return Add(std::move(e));
}

uint32_t Checker::NewVar(const std::string& name, Type type, SourceRange range) {
  rs_.vars.push_back(VarInfo{name, type, range});
  return static_cast<uint32_t>(rs_.vars.size() - 1);
}

void Checker::ExpectType(const SyntaxTree& tree, uint32_t id, Type want, const std::string& what) {
  const CExpr& e = rs_.expr(id);
  if (e.type.kind == TypeKind::kError || e.type == want) return;
  Error("type-mismatch", tree, e.range,
        what + " must be " + TypeName(rs_, want) + ", but this is " + TypeName(rs_, e.type));
}

uint32_t Checker::CheckExpr(const SyntaxTree& tree, ExprId id, Scope& scope, std::optional<Type> expected) {
  const Expr& e = tree.expr(id);
  switch (e.kind) {
    case ExprKind::kLiteral: return CheckLiteral(tree, e);
    case ExprKind::kPath: return CheckPath(tree, e, scope, expected);
    case ExprKind::kBinary: return CheckBinary(tree, e, scope);
    case ExprKind::kCall: return CheckCall(tree, e, scope);
    case ExprKind::kAggregate: return CheckAggregate(tree, e, scope);
    case ExprKind::kUnary: {
      uint32_t a = CheckExpr(tree, e.args[0], scope, expected);
      Type t = rs_.expr(a).type;
      CExpr c;
      c.range = e.range;
      c.args = {a};
      if (e.unary_op == UnaryOp::kNot) {
        c.op = Op::kNot;
        c.type = T(TypeKind::kBool);
        ExpectType(tree, a, T(TypeKind::kBool), "the operand of `not`");
      } else {
        c.op = Op::kNeg;
        c.type = t;
        static const std::set<TypeKind> kNegatable = {TypeKind::kInteger, TypeKind::kDecimal, TypeKind::kMoney,
                                                      TypeKind::kPercentage, TypeKind::kDuration,
                                                      TypeKind::kTimeSpan, TypeKind::kError};
        if (!kNegatable.count(t.kind)) {
          Error("type-mismatch", tree, e.range, "cannot negate " + TypeName(rs_, t));
          c.type = T(TypeKind::kError);
        }
      }
      return Add(std::move(c));
    }
    case ExprKind::kSet: {
      CExpr c;
      c.op = Op::kSetLit;
      c.range = e.range;
      bool failed = false;
      std::optional<Type> elem;
      if (expected && expected->kind == TypeKind::kSet) elem = T(TypeKind::kEnum, expected->id);
      if (expected && expected->kind == TypeKind::kEnum) elem = expected;
      for (ExprId a : e.args) {
        uint32_t ca = CheckExpr(tree, a, scope, elem);
        const CExpr& ce = rs_.expr(ca);
        if (ce.type.kind == TypeKind::kError) {
          failed = true;
        } else if (ce.type.kind != TypeKind::kEnum || ce.op != Op::kLiteral) {
          Error("type-mismatch", tree, ce.range, "a set holds enum values; this is " + TypeName(rs_, ce.type));
          failed = true;
        } else if (!elem) {
          elem = ce.type;
        } else if (!(ce.type == *elem)) {
          Error("type-mismatch", tree, ce.range,
                "a set holds values of one enum: " + TypeName(rs_, *elem) + ", not " + TypeName(rs_, ce.type));
          failed = true;
        }
        c.args.push_back(ca);
      }
      if (!failed && !elem) {
        Error("empty-set", tree, e.range, "an empty set has no type here");
        failed = true;
      }
      c.type = failed ? T(TypeKind::kError) : T(TypeKind::kSet, elem->id);
      return Add(std::move(c));
    }
    case ExprKind::kIf: {
      uint32_t cond = CheckExpr(tree, e.args[0], scope);
      ExpectType(tree, cond, T(TypeKind::kBool), "the condition of `if`");
      uint32_t a = CheckExpr(tree, e.args[1], scope, expected);
      uint32_t b = CheckExpr(tree, e.args[2], scope, rs_.expr(a).type);
      CExpr c;
      c.op = Op::kIf;
      c.range = e.range;
      c.args = {cond, a, b};
      Type ta = rs_.expr(a).type, tb = rs_.expr(b).type;
      if (ta.kind == TypeKind::kError || tb.kind == TypeKind::kError) {
        c.type = T(TypeKind::kError);
      } else if (ta == tb) {
        c.type = ta;
      } else if (IsNumeric(ta.kind) && IsNumeric(tb.kind)) {
        c.type = T(TypeKind::kDecimal);
      } else {
        Error("type-mismatch", tree, e.range,
              "the branches of `if` differ: " + TypeName(rs_, ta) + " and " + TypeName(rs_, tb));
        c.type = T(TypeKind::kError);
      }
      return Add(std::move(c));
    }
    case ExprKind::kIs: {
      uint32_t a = CheckExpr(tree, e.args[0], scope);
      const CExpr& ce = rs_.expr(a);
      CExpr c;
      c.range = e.range;
      c.type = T(TypeKind::kBool);
      c.op = e.is_test == IsTest::kKnown ? Op::kIsKnown : e.is_test == IsTest::kNone ? Op::kIsNone : Op::kIsUnknown;
      if (ce.op != Op::kField && ce.type.kind != TypeKind::kError) {
        Error("not-a-fact", tree, ce.range, "`is known`, `is none` and `is unknown` apply to a fact such as `r.decided_on`");
      }
      c.args = {a};
      if (e.negated) {
        uint32_t inner = Add(std::move(c));
        CExpr n;
        n.op = Op::kNot;
        n.type = T(TypeKind::kBool);
        n.range = e.range;
        n.args = {inner};
        return Add(std::move(n));
      }
      return Add(std::move(c));
    }
  }
  return ErrorExpr(e.range);
}

uint32_t Checker::CheckLiteral(const SyntaxTree& tree, const Expr& e) {
  CExpr c;
  c.op = Op::kLiteral;
  c.range = e.range;
  auto fail = [&](const std::string& what, std::optional<std::string> help = std::nullopt) {
    Error("bad-literal", tree, e.range, "`" + e.text + "` is not " + what, std::move(help));
    return ErrorExpr(e.range);
  };
  switch (e.literal) {
    case LiteralKind::kBool:
      c.type = T(TypeKind::kBool);
      c.literal.a = e.text == "true" ? 1 : 0;
      break;
    case LiteralKind::kInteger: {
      auto r = Rational::Parse(e.text);
      if (!r || !r->IsInteger()) return fail("an integer that fits");
      c.type = T(TypeKind::kInteger);
      c.literal.a = r->num();
      break;
    }
    case LiteralKind::kDecimal: {
      auto r = Rational::Parse(e.text);
      if (!r) return fail("a decimal that fits");
      c.type = T(TypeKind::kDecimal);
      c.literal = Value{r->num(), r->den()};
      break;
    }
    case LiteralKind::kMoney: {
      auto m = Money::Parse(e.text);
      if (!m) return fail("an amount in euros", "write at most two decimals, as in `€2.35`");
      c.type = T(TypeKind::kMoney);
      c.literal.a = m->cents();
      break;
    }
    case LiteralKind::kPercent: {
      auto p = Percentage::Parse(e.text);
      if (!p) return fail("a percentage");
      c.type = T(TypeKind::kPercentage);
      c.literal = Value{p->fraction().num(), p->fraction().den()};
      break;
    }
    case LiteralKind::kDate: {
      auto d = Date::Parse(e.text);
      if (!d) return fail("a valid calendar date");
      c.type = T(TypeKind::kDate);
      c.literal.a = d->DaysSinceEpoch();
      break;
    }
    case LiteralKind::kTime: {
      auto t = TimeOfDay::Parse(e.text, true);
      if (!t) return fail("a time of day", "times run from 00:00 to 24:00");
      c.type = T(TypeKind::kTime);
      c.literal.a = t->minutes();
      break;
    }
    case LiteralKind::kDuration: {
      auto d = Duration::Parse(e.text);
      if (!d) return fail("a duration", "write whole days, weeks, months or years");
      c.type = T(TypeKind::kDuration);
      c.literal = Value{d->months(), d->days()};
      break;
    }
    case LiteralKind::kTimeSpan: {
      auto t = TimeSpan::Parse(e.text);
      if (!t) return fail("a span of time", "write whole hours or minutes, as in `8 hours` or `510 minutes`");
      c.type = T(TypeKind::kTimeSpan);
      c.literal.a = t->minutes();
      break;
    }
    case LiteralKind::kText:
      c.type = T(TypeKind::kText);
      c.literal.a = static_cast<int64_t>(rs_.texts.size());
      rs_.texts.push_back(e.text);
      break;
  }
  return Add(std::move(c));
}

uint32_t Checker::CheckEnumValue(const SyntaxTree& tree, const Expr& e, std::optional<Type> expected) {
  // `value` (resolved by the expected enum, or unique among enums) or `enum.value`.
  std::string value = e.path.back();
  std::vector<uint32_t> candidates;
  if (e.path.size() == 2) {
    int32_t en = rs_.FindEnum(e.path[0]);
    if (en >= 0) candidates.push_back(static_cast<uint32_t>(en));
  } else if (expected && (expected->kind == TypeKind::kEnum || expected->kind == TypeKind::kSet)) {
    candidates.push_back(expected->id);
  } else {
    for (uint32_t i = 0; i < rs_.enums.size(); ++i) candidates.push_back(i);
  }
  std::vector<std::pair<uint32_t, int64_t>> found;
  for (uint32_t en : candidates) {
    const auto& vals = rs_.enums[en].values;
    for (size_t i = 0; i < vals.size(); ++i) {
      if (vals[i] == value) found.push_back({en, static_cast<int64_t>(i)});
    }
  }
  if (found.size() == 1) {
    CExpr c;
    c.op = Op::kLiteral;
    c.type = T(TypeKind::kEnum, found[0].first);
    c.literal.a = found[0].second;
    c.range = e.range;
    return Add(std::move(c));
  }
  if (found.size() > 1) {
    std::string which;
    for (auto [en, i] : found) which += (which.empty() ? "`" : ", `") + rs_.enums[en].name + "." + value + "`";
    Error("ambiguous-name", tree, e.range, "`" + value + "` is a value of more than one enum",
          "write " + which);
    return ErrorExpr(e.range);
  }
  return UINT32_MAX;
}

uint32_t Checker::CheckPath(const SyntaxTree& tree, const Expr& e, Scope& scope, std::optional<Type> expected) {
  const std::string& head = e.path[0];
  uint32_t cur = UINT32_MAX;
  size_t next = 1;
  if (auto v = scope.Find(head)) {
    CExpr c;
    c.op = Op::kVar;
    c.index = *v;
    c.type = rs_.vars[*v].type;
    c.range = e.path_ranges[0];
    cur = Add(std::move(c));
  } else {
    // The longest prefix that names a parameter.
    for (size_t n = e.path.size(); n >= 1 && cur == UINT32_MAX; --n) {
      std::string name;
      for (size_t i = 0; i < n; ++i) name += (i ? "." : "") + e.path[i];
      if (int32_t p = rs_.FindParam(name); p >= 0) {
        CExpr c;
        c.op = Op::kParam;
        c.index = static_cast<uint32_t>(p);
        c.type = rs_.params[p].type;
        c.range = SourceRange::Cover(e.path_ranges[0], e.path_ranges[n - 1]);
        cur = Add(std::move(c));
        next = n;
      }
    }
    if (cur == UINT32_MAX && e.path.size() <= 2) {
      uint32_t ev = CheckEnumValue(tree, e, expected);
      if (ev != UINT32_MAX) return ev;
    }
    if (cur == UINT32_MAX) {
      std::vector<std::string> names;
      for (const auto& [n, id] : scope.vars) names.push_back(n);
      for (const ParamInfo& p : rs_.params) names.push_back(p.name);
      std::string whole;
      for (size_t i = 0; i < e.path.size(); ++i) whole += (i ? "." : "") + e.path[i];
      auto m = ClosestMatch(whole, names);
      if (!m) m = ClosestMatch(head, names);
      std::optional<std::string> help;
      if (expected && (expected->kind == TypeKind::kEnum || expected->kind == TypeKind::kSet)) {
        // A value of another enum: say which.
        for (const EnumInfo& other : rs_.enums) {
          if (std::find(other.values.begin(), other.values.end(), e.path.back()) != other.values.end()) {
            help = "`" + e.path.back() + "` is a value of `" + other.name + "`, not of `" + rs_.enums[expected->id].name +
                   "`";
          }
        }
        if (!m && !help) m = ClosestMatch(head, rs_.enums[expected->id].values);
      }
      if (!help && m) help = "did you mean `" + *m + "`?";
      Error("unknown-name", tree, e.range, "unknown name `" + whole + "`", help);
      return ErrorExpr(e.range);
    }
  }
  for (size_t i = next; i < e.path.size(); ++i) {
    const CExpr& base = rs_.expr(cur);
    const std::string& seg = e.path[i];
    SourceRange range = SourceRange::Cover(e.path_ranges[0], e.path_ranges[i]);
    if (base.type.kind == TypeKind::kError) return cur;
    if (base.type.kind == TypeKind::kGroup && (seg == "start" || seg == "end")) {
      CExpr c;
      c.op = seg == "start" ? Op::kGroupStart : Op::kGroupEnd;
      c.type = T(TypeKind::kDate);
      c.args = {cur};
      c.range = range;
      cur = Add(std::move(c));
      continue;
    }
    if (base.type.kind != TypeKind::kEntity) {
      Error("not-an-entity", tree, e.path_ranges[i],
            "`" + seg + "` cannot be read from " + TypeName(rs_, base.type) +
                (base.type.kind == TypeKind::kGroup ? "; a group has `start`, `end` and its items" : ""));
      return ErrorExpr(range);
    }
    const EntityInfo& ent = rs_.entities[base.type.id];
    int32_t f = rs_.FindField(base.type.id, seg);
    if (f >= 0) {
      CExpr c;
      c.op = Op::kField;
      c.index = static_cast<uint32_t>(f);
      c.type = ent.fields[f].type;
      c.args = {cur};
      c.range = range;
      cur = Add(std::move(c));
      continue;
    }
    if (ent.owner >= 0 && rs_.entities[ent.owner].name == seg) {
      CExpr c;
      c.op = Op::kOwner;
      c.type = T(TypeKind::kEntity, static_cast<uint32_t>(ent.owner));
      c.args = {cur};
      c.range = range;
      cur = Add(std::move(c));
      continue;
    }
    std::vector<std::string> names;
    for (const FieldInfo& fi : ent.fields) names.push_back(fi.name);
    if (ent.owner >= 0) names.push_back(rs_.entities[ent.owner].name);
    auto m = ClosestMatch(seg, names);
    Error("unknown-field", tree, e.path_ranges[i], "`" + ent.name + "` has no field `" + seg + "`",
          DidYouMean(m));
    return ErrorExpr(range);
  }
  return cur;
}

uint32_t Checker::CheckBinary(const SyntaxTree& tree, const Expr& e, Scope& scope) {
  BinaryOp op = e.binary_op;
  // The left side types the right (an enum value on the right is read as the left's enum).
  uint32_t l = CheckExpr(tree, e.args[0], scope);
  Type lt = rs_.expr(l).type;
  std::optional<Type> hint;
  if (lt.kind == TypeKind::kEnum) hint = (op == BinaryOp::kIn || op == BinaryOp::kNotIn) ? T(TypeKind::kSet, lt.id) : lt;
  uint32_t r = CheckExpr(tree, e.args[1], scope, hint);
  Type rt = rs_.expr(r).type;
  if (rt.kind == TypeKind::kEnum && lt.kind == TypeKind::kError) lt = T(TypeKind::kError);
  CExpr c;
  c.range = e.range;
  c.args = {l, r};
  if (lt.kind == TypeKind::kError || rt.kind == TypeKind::kError) {
    c.type = T(TypeKind::kError);
    c.op = Op::kLiteral;
    return Add(std::move(c));
  }
  auto mismatch = [&](const std::string& what) {
    Error("type-mismatch", tree, e.range, what);
    c.type = T(TypeKind::kError);
    return Add(std::move(c));
  };
  auto K = [](Type t) { return t.kind; };
  switch (op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      c.op = op == BinaryOp::kAnd ? Op::kAnd : Op::kOr;
      c.type = T(TypeKind::kBool);
      ExpectType(tree, l, T(TypeKind::kBool), std::string("the left side of `") + (op == BinaryOp::kAnd ? "and" : "or") + "`");
      ExpectType(tree, r, T(TypeKind::kBool), std::string("the right side of `") + (op == BinaryOp::kAnd ? "and" : "or") + "`");
      return Add(std::move(c));
    case BinaryOp::kEq: case BinaryOp::kNe: case BinaryOp::kLt: case BinaryOp::kLe: case BinaryOp::kGt:
    case BinaryOp::kGe: {
      static const std::map<BinaryOp, Op> kOps = {{BinaryOp::kEq, Op::kEq}, {BinaryOp::kNe, Op::kNe},
                                                  {BinaryOp::kLt, Op::kLt}, {BinaryOp::kLe, Op::kLe},
                                                  {BinaryOp::kGt, Op::kGt}, {BinaryOp::kGe, Op::kGe}};
      c.op = kOps.at(op);
      c.type = T(TypeKind::kBool);
      // A text literal compared with a country is a country code.
      if (K(lt) == TypeKind::kCountry && K(rt) == TypeKind::kText && rs_.expr(r).op == Op::kLiteral) {
        const std::string& code = rs_.texts[rs_.expr(r).literal.a];
        if (!IsIsoCountry(code)) {
          Error("bad-literal", tree, rs_.expr(r).range, "`" + code + "` is not an ISO 3166 country code");
        }
        rs_.exprs[r].type = T(TypeKind::kCountry);
        rs_.exprs[r].literal.a = code.size() == 2 ? (code[0] << 8) | code[1] : 0;
        rt = rs_.exprs[r].type;
      }
      bool same = lt == rt || (IsNumeric(K(lt)) && IsNumeric(K(rt)));
      bool ordered = K(lt) != TypeKind::kBool && K(lt) != TypeKind::kEnum && K(lt) != TypeKind::kText &&
                     K(lt) != TypeKind::kCountry && K(lt) != TypeKind::kSet && K(lt) != TypeKind::kEntity &&
                     K(lt) != TypeKind::kList && K(lt) != TypeKind::kGroup;
      if (!same) {
        return mismatch("cannot compare " + TypeName(rs_, lt) + " with " + TypeName(rs_, rt));
      }
      if (op != BinaryOp::kEq && op != BinaryOp::kNe && !ordered) {
        return mismatch(TypeName(rs_, lt) + " values have no order; use `=` or `!=`");
      }
      if (K(lt) == TypeKind::kList || K(lt) == TypeKind::kGroup) return mismatch("collections cannot be compared");
      if (K(lt) == TypeKind::kDuration) {
        int x = DurationUnit(l), y = DurationUnit(r);
        if ((x == 1 && y == 2) || (x == 2 && y == 1)) {
          Error("incomparable-durations", tree, e.range,
                "cannot compare a duration in months with one in days: a month is not a fixed number of days",
                "compare dates instead, e.g. `a + 1 month <= b`");
          c.type = T(TypeKind::kError);
          return Add(std::move(c));
        }
      }
      return Add(std::move(c));
    }
    case BinaryOp::kIn:
    case BinaryOp::kNotIn: {
      if (K(rt) != TypeKind::kSet) return mismatch("the right side of `in` must be a set, such as `{hours, times}`");
      if (K(lt) != TypeKind::kEnum || lt.id != rt.id) {
        return mismatch("cannot look for " + TypeName(rs_, lt) + " in " + TypeName(rs_, rt));
      }
      c.op = Op::kIn;
      c.type = T(TypeKind::kBool);
      uint32_t in = Add(std::move(c));
      if (op == BinaryOp::kIn) return in;
      CExpr n;
      n.op = Op::kNot;
      n.type = T(TypeKind::kBool);
      n.range = e.range;
      n.args = {in};
      return Add(std::move(n));
    }
    case BinaryOp::kOn: {
      const CExpr& pe = rs_.expr(l);
      if (pe.op != Op::kParam) return mismatch("`on` reads a parameter on a date: write `PARAMETER on DATE`");
      if (K(rt) != TypeKind::kDate) return mismatch("`on` needs a date, not " + TypeName(rs_, rt));
      c.op = Op::kParamOn;
      c.index = pe.index;
      c.type = pe.type;
      c.args = {r};
      return Add(std::move(c));
    }
    case BinaryOp::kAt:
      if (K(lt) != TypeKind::kDate || K(rt) != TypeKind::kTime) {
        return mismatch("`at` joins a date and a time of day, not " + TypeName(rs_, lt) + " and " + TypeName(rs_, rt));
      }
      c.op = Op::kAt;
      c.type = T(TypeKind::kDateTime);
      return Add(std::move(c));
    case BinaryOp::kAdd:
    case BinaryOp::kSub: {
      bool add = op == BinaryOp::kAdd;
      c.op = add ? Op::kAdd : Op::kSub;
      TypeKind a = K(lt), b = K(rt);
      std::optional<TypeKind> res;
      if (IsNumeric(a) && IsNumeric(b)) res = (a == TypeKind::kInteger && b == TypeKind::kInteger) ? TypeKind::kInteger : TypeKind::kDecimal;
      else if (a == b && (a == TypeKind::kMoney || a == TypeKind::kPercentage || a == TypeKind::kTimeSpan || a == TypeKind::kDuration)) res = a;
      else if (a == TypeKind::kDate && b == TypeKind::kDuration) res = TypeKind::kDate;
      else if (add && a == TypeKind::kDuration && b == TypeKind::kDate) res = TypeKind::kDate;
      else if (!add && a == TypeKind::kDate && b == TypeKind::kDate) res = TypeKind::kDuration;
      else if (a == TypeKind::kDateTime && b == TypeKind::kTimeSpan) res = TypeKind::kDateTime;
      else if (!add && a == TypeKind::kDateTime && b == TypeKind::kDateTime) res = TypeKind::kTimeSpan;
      else if (!add && a == TypeKind::kTime && b == TypeKind::kTime) res = TypeKind::kTimeSpan;
      if (!res) {
        std::string help;
        if ((a == TypeKind::kDate && b == TypeKind::kTimeSpan) || (a == TypeKind::kDateTime && b == TypeKind::kDuration)) {
          help = " (dates move by days, weeks, months or years; moments by hours and minutes)";
        }
        return mismatch(std::string("cannot ") + (add ? "add " : "subtract ") + TypeName(rs_, rt) +
                        (add ? " to " : " from ") + TypeName(rs_, lt) + help);
      }
      c.type = T(*res);
      return Add(std::move(c));
    }
    case BinaryOp::kMul:
    case BinaryOp::kDiv: {
      bool mul = op == BinaryOp::kMul;
      c.op = mul ? Op::kMul : Op::kDiv;
      TypeKind a = K(lt), b = K(rt);
      std::optional<TypeKind> res;
      auto scalar = [](TypeKind k) { return k == TypeKind::kInteger || k == TypeKind::kDecimal || k == TypeKind::kPercentage; };
      if (mul) {
        if (a == TypeKind::kInteger && b == TypeKind::kInteger) res = TypeKind::kInteger;
        else if (a == TypeKind::kPercentage && b == TypeKind::kPercentage) res = TypeKind::kPercentage;
        else if (scalar(a) && scalar(b)) res = TypeKind::kDecimal;
        else if ((a == TypeKind::kMoney && scalar(b)) || (scalar(a) && b == TypeKind::kMoney)) res = TypeKind::kMoney;
        else if ((a == TypeKind::kTimeSpan && scalar(b)) || (scalar(a) && b == TypeKind::kTimeSpan)) res = TypeKind::kTimeSpan;
        else if ((a == TypeKind::kDuration && b == TypeKind::kInteger) || (a == TypeKind::kInteger && b == TypeKind::kDuration)) res = TypeKind::kDuration;
      } else {
        if (scalar(a) && scalar(b)) res = (a == TypeKind::kPercentage && b != TypeKind::kPercentage) ? TypeKind::kPercentage : TypeKind::kDecimal;
        else if (a == TypeKind::kMoney && b == TypeKind::kMoney) res = TypeKind::kDecimal;
        else if (a == TypeKind::kMoney && scalar(b)) res = TypeKind::kMoney;
        else if (a == TypeKind::kTimeSpan && b == TypeKind::kTimeSpan) res = TypeKind::kDecimal;
        else if (a == TypeKind::kTimeSpan && scalar(b)) res = TypeKind::kTimeSpan;
      }
      if (!res) {
        return mismatch(std::string("cannot ") + (mul ? "multiply " : "divide ") + TypeName(rs_, lt) +
                        (mul ? " by " : " by ") + TypeName(rs_, rt));
      }
      c.type = T(*res);
      return Add(std::move(c));
    }
  }
  return ErrorExpr(e.range);
}

uint32_t Checker::CheckCall(const SyntaxTree& tree, const Expr& e, Scope& scope) {
  struct Sig {
    Builtin b;
    std::vector<TypeKind> args;  // kError: any ordered numeric-like type (same for all such args)
    TypeKind result;             // kError: the type of the first argument
  };
  static const std::map<std::string, std::vector<Sig>> kSigs = {
      {"min", {{Builtin::kMin, {TypeKind::kError, TypeKind::kError}, TypeKind::kError}}},
      {"max", {{Builtin::kMax, {TypeKind::kError, TypeKind::kError}, TypeKind::kError}}},
      {"abs", {{Builtin::kAbs, {TypeKind::kError}, TypeKind::kError}}},
      {"year", {{Builtin::kYear, {TypeKind::kDate}, TypeKind::kInteger}}},
      {"month", {{Builtin::kMonth, {TypeKind::kDate}, TypeKind::kInteger}}},
      {"day", {{Builtin::kDay, {TypeKind::kDate}, TypeKind::kInteger}}},
      {"weekday", {{Builtin::kWeekday, {TypeKind::kDate}, TypeKind::kInteger}}},
      {"days_between", {{Builtin::kDaysBetween, {TypeKind::kDate, TypeKind::kDate}, TypeKind::kInteger}}},
      {"weeks_between", {{Builtin::kWeeksBetween, {TypeKind::kDate, TypeKind::kDate}, TypeKind::kInteger}}},
      {"months_between", {{Builtin::kMonthsBetween, {TypeKind::kDate, TypeKind::kDate}, TypeKind::kInteger}}},
      {"years_between", {{Builtin::kYearsBetween, {TypeKind::kDate, TypeKind::kDate}, TypeKind::kInteger}}},
      {"date_of", {{Builtin::kDateOf, {TypeKind::kDateTime}, TypeKind::kDate}}},
      {"time_of", {{Builtin::kTimeOf, {TypeKind::kDateTime}, TypeKind::kTime}}},
      {"hours", {{Builtin::kHours, {TypeKind::kTimeSpan}, TypeKind::kDecimal}}},
      {"start_of_year", {{Builtin::kStartOfYear, {TypeKind::kDate}, TypeKind::kDate}}},
      {"end_of_year", {{Builtin::kEndOfYear, {TypeKind::kDate}, TypeKind::kDate}}},
      {"start_of_month", {{Builtin::kStartOfMonth, {TypeKind::kDate}, TypeKind::kDate}}},
      {"end_of_month", {{Builtin::kEndOfMonth, {TypeKind::kDate}, TypeKind::kDate}}},
      {"date", {{Builtin::kDate, {TypeKind::kInteger, TypeKind::kInteger, TypeKind::kInteger}, TypeKind::kDate}}},
      {"percentage", {{Builtin::kToPercentage, {TypeKind::kDecimal}, TypeKind::kPercentage}}},
      {"as_of", {{Builtin::kAsOf, {}, TypeKind::kDate}}},
      {"work_end", {{Builtin::kWorkEnd, {TypeKind::kDate, TypeKind::kTime, TypeKind::kTime}, TypeKind::kDateTime}}},
      {"prevails", {{Builtin::kPrevails, {TypeKind::kEnum, TypeKind::kDate, TypeKind::kEnum, TypeKind::kDate}, TypeKind::kBool}}},
  };
  auto it = kSigs.find(e.text);
  if (it == kSigs.end()) {
    std::vector<std::string> names;
    for (const auto& [n, s] : kSigs) names.push_back(n);
    auto m = ClosestMatch(e.text, names);
    Error("unknown-function", tree, e.range, "unknown function `" + e.text + "`",
          DidYouMean(m));
    return ErrorExpr(e.range);
  }
  const Sig& sig = it->second.front();
  CExpr c;
  c.op = Op::kCall;
  c.index = static_cast<uint32_t>(sig.b);
  c.range = e.range;
  if (e.args.size() != sig.args.size()) {
    Error("wrong-arguments", tree, e.range,
          "`" + e.text + "` takes " + std::to_string(sig.args.size()) + " argument" + (sig.args.size() == 1 ? "" : "s") +
              ", not " + std::to_string(e.args.size()));
    return ErrorExpr(e.range);
  }
  bool error = false;
  std::optional<Type> generic;
  for (size_t i = 0; i < e.args.size(); ++i) {
    std::optional<Type> hint;
    if (sig.b == Builtin::kPrevails && (i == 0 || i == 2)) hint = T(TypeKind::kEnum, kSourceLevelEnum);
    uint32_t a = CheckExpr(tree, e.args[i], scope, hint);
    c.args.push_back(a);
    Type t = rs_.expr(a).type;
    if (t.kind == TypeKind::kError) {
      error = true;
      continue;
    }
    TypeKind want = sig.args[i];
    if (want == TypeKind::kError) {
      static const std::set<TypeKind> kOrdered = {TypeKind::kInteger, TypeKind::kDecimal, TypeKind::kMoney,
                                                  TypeKind::kPercentage, TypeKind::kDate, TypeKind::kDateTime,
                                                  TypeKind::kTime, TypeKind::kTimeSpan};
      if (!kOrdered.count(t.kind)) {
        Error("type-mismatch", tree, rs_.expr(a).range, "`" + e.text + "` needs values with an order, not " + TypeName(rs_, t));
        error = true;
      } else if (generic && !(*generic == t)) {
        Error("type-mismatch", tree, rs_.expr(a).range,
              "`" + e.text + "` compares values of one type: " + TypeName(rs_, *generic) + " and " + TypeName(rs_, t));
        error = true;
      } else {
        generic = t;
      }
      continue;
    }
    bool ok = t.kind == want || (want == TypeKind::kDecimal && t.kind == TypeKind::kInteger);
    if (want == TypeKind::kEnum) ok = t.kind == TypeKind::kEnum && t.id == kSourceLevelEnum;
    if (!ok) {
      Error("type-mismatch", tree, rs_.expr(a).range,
            "argument " + std::to_string(i + 1) + " of `" + e.text + "` must be " +
                (want == TypeKind::kEnum ? std::string("a `source_level`") : TypeName(rs_, T(want))) + ", not " +
                TypeName(rs_, t));
      error = true;
    }
  }
  if (error) {
    c.type = T(TypeKind::kError);
  } else {
    c.type = sig.result == TypeKind::kError ? *generic : T(sig.result);
  }
  return Add(std::move(c));
}

uint32_t Checker::CheckAggregate(const SyntaxTree& tree, const Expr& e, Scope& scope) {
  uint32_t coll = CheckExpr(tree, e.args[0], scope);
  Type ct = rs_.expr(coll).type;
  CExpr c;
  c.op = Op::kAggregate;
  c.aggregate = e.aggregate;
  c.range = e.range;
  if (ct.kind == TypeKind::kError) return ErrorExpr(e.range);
  if (ct.kind != TypeKind::kList && ct.kind != TypeKind::kGroup) {
    Error("not-a-collection", tree, rs_.expr(coll).range,
          "an aggregate runs over a list or a group, not " + TypeName(rs_, ct));
    return ErrorExpr(e.range);
  }
  if (scope.Find(e.var)) {
    Error("shadowed-variable", tree, e.var_range, "`" + e.var + "` is already bound here");
  }
  uint32_t var = NewVar(e.var, T(TypeKind::kEntity, ct.id), e.var_range);
  scope.vars.push_back({e.var, var});
  c.index = var;
  uint32_t value = UINT32_MAX, filter = UINT32_MAX;
  if (e.args[1] != kNoExpr) value = CheckExpr(tree, e.args[1], scope);
  if (e.args[2] != kNoExpr) {
    filter = CheckExpr(tree, e.args[2], scope);
    ExpectType(tree, filter, T(TypeKind::kBool), e.aggregate == AggregateFn::kAll ? "the condition" : "the filter");
  }
  scope.vars.pop_back();
  c.args = {coll, value, filter};
  Type vt = value != UINT32_MAX ? rs_.expr(value).type : Type{};
  switch (e.aggregate) {
    case AggregateFn::kCount: c.type = T(TypeKind::kInteger); break;
    case AggregateFn::kExists:
    case AggregateFn::kAll: c.type = T(TypeKind::kBool); break;
    case AggregateFn::kShare:
      c.type = T(TypeKind::kPercentage);
      if (value != UINT32_MAX && vt.kind != TypeKind::kError) {
        static const std::set<TypeKind> kAdditive = {TypeKind::kInteger, TypeKind::kDecimal, TypeKind::kMoney, TypeKind::kTimeSpan};
        if (!kAdditive.count(vt.kind)) {
          Error("type-mismatch", tree, rs_.expr(value).range, "a weighted share needs amounts to add up, not " + TypeName(rs_, vt));
          c.type = T(TypeKind::kError);
        }
      }
      break;
    case AggregateFn::kSum:
    case AggregateFn::kAverage: {
      static const std::set<TypeKind> kAdditive = {TypeKind::kInteger, TypeKind::kDecimal, TypeKind::kMoney,
                                                   TypeKind::kTimeSpan, TypeKind::kPercentage};
      if (vt.kind == TypeKind::kError) {
        c.type = vt;
      } else if (!kAdditive.count(vt.kind)) {
        Error("type-mismatch", tree, rs_.expr(value).range, "cannot add up " + TypeName(rs_, vt));
        c.type = T(TypeKind::kError);
      } else {
        c.type = (e.aggregate == AggregateFn::kAverage && vt.kind == TypeKind::kInteger) ? T(TypeKind::kDecimal) : vt;
      }
      break;
    }
    case AggregateFn::kMin:
    case AggregateFn::kMax: {
      static const std::set<TypeKind> kOrdered = {TypeKind::kInteger, TypeKind::kDecimal, TypeKind::kMoney,
                                                  TypeKind::kPercentage, TypeKind::kDate, TypeKind::kDateTime,
                                                  TypeKind::kTime, TypeKind::kTimeSpan};
      if (vt.kind == TypeKind::kError) {
        c.type = vt;
      } else if (!kOrdered.count(vt.kind)) {
        Error("type-mismatch", tree, rs_.expr(value).range, "values of " + TypeName(rs_, vt) + " have no order");
        c.type = T(TypeKind::kError);
      } else {
        c.type = vt;
      }
      break;
    }
  }
  return Add(std::move(c));
}

}  // namespace nw::dsl::internal
