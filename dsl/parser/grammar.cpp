// The `.norm` grammar in Boost.Spirit X3. Semantic actions build the plain
// syntax tree (syntax.hpp) directly, with byte ranges; expectation points (`>`)
// follow every keyword that commits to a construct, so a failure has a place
// and a description ("expected a condition after `when`").
#include <boost/fusion/include/at_c.hpp>
#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <string>

#include "dsl/parser.hpp"

namespace nw::dsl {
namespace x3 = boost::spirit::x3;
using Iterator = const char*;

namespace {

// ---------------------------------------------------------------------------
// Parse state reachable from every semantic action.

struct State {
  SyntaxTree* tree;
  const char* base;

  SourceRange Range(Iterator b, Iterator e) const {
    return {static_cast<uint32_t>(b - base), static_cast<uint32_t>(e - base)};
  }
  ExprId Add(Expr e) {
    tree->exprs.push_back(std::move(e));
    return static_cast<ExprId>(tree->exprs.size() - 1);
  }
  SourceRange RangeOf(ExprId id) const { return tree->exprs[id].range; }
  ExprId Binary(BinaryOp op, ExprId l, ExprId r) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.binary_op = op;
    e.args = {l, r};
    e.range = SourceRange::Cover(RangeOf(l), RangeOf(r));
    return Add(std::move(e));
  }
};

struct state_tag;

template <class Ctx>
State& St(Ctx& ctx) {
  return x3::get<state_tag>(ctx).get();
}

// X3 hands an action the range [end of the match, end of input); only its
// first position is of use: the offset just past what the subject matched.
// Optional parts that fail after skipping blanks leave the position past those
// blanks, so the end is moved back over white space.
// The position itself: where `eps` (which skips blanks first) leaves off is
// where the next token starts.
template <class Ctx>
uint32_t MatchPos(Ctx& ctx) {
  return static_cast<uint32_t>(x3::_where(ctx).begin() - St(ctx).base);
}

template <class Ctx>
uint32_t MatchEnd(Ctx& ctx) {
  const char* end = x3::_where(ctx).begin();
  const char* base = St(ctx).base;
  while (end > base && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) --end;
  return static_cast<uint32_t>(end - base);
}

// For rules whose value is an ExprId: `eps[StartInVal]` parks the start offset
// in the rule's own value until the action that builds the node replaces it.
const auto start_in_val = [](auto& ctx) { x3::_val(ctx) = MatchPos(ctx); };
template <class Ctx>
SourceRange FromValStart(Ctx& ctx) {
  return SourceRange{static_cast<uint32_t>(x3::_val(ctx)), MatchEnd(ctx)};
}

// ---------------------------------------------------------------------------
// Words.

constexpr std::array kReserved = {"and", "or",  "not",   "in",    "is",   "if",   "then", "else",
                                  "true", "false", "of", "each", "where", "at"};

// Words that start an item or a clause cannot start a name either, so a
// missing operand is reported where it is missing.
constexpr std::array kClauseWords = {"title", "kind", "severity", "cites", "valid", "judged", "deviable", "priority",
                                     "concludes", "for", "when", "unless", "message", "remedy", "act",
                                     "enum", "entity", "extend", "parameter", "define", "rule", "scenario", "amendment",
                                     "repeal", "replace", "expect"};

struct ReservedSymbols : x3::symbols<x3::unused_type> {
  ReservedSymbols() {
    for (const char* w : kReserved) add(w);
    for (const char* w : kClauseWords) add(w);
  }
};
const ReservedSymbols reserved_words;

// Words that start a top-level item; a field cannot be named by one, so an
// entity missing its `}` is reported at the item that follows.
struct ItemWords : x3::symbols<x3::unused_type> {
  ItemWords() {
    for (const char* w : {"act", "enum", "entity", "extend", "parameter", "define", "rule", "scenario", "amendment",
                          "repeal", "replace"}) {
      add(w);
    }
  }
};
const ItemWords item_words;

// Character classes by explicit ranges: the text is UTF-8 (`€`), and the
// locale-based classifiers assert on bytes above 127.
const auto digit = x3::char_("0-9");
const auto alpha = x3::char_("a-zA-Z");
const auto alnum = x3::char_("a-zA-Z0-9");
const auto word_char = x3::char_("a-zA-Z0-9_");

// A fixed set of words, each yielding its own text.
struct WordSet : x3::symbols<std::string> {
  WordSet(std::initializer_list<const char*> words) {
    for (const char* w : words) add(w, std::string(w));
  }
};
const WordSet lang_words{"nl", "en"};
const WordSet id_kinds{"bwb", "celex"};
const WordSet group_words{"week", "month", "year", "day"};
const WordSet period_units{"weeks", "months"};
const WordSet kind_words{"violation", "conflict", "gap", "risk", "review", "info", "undetermined"};
const WordSet severity_words{"critical", "high", "medium", "low", "info"};

// A keyword: the word and a word boundary. Named so errors say "`when`".
#define NW_KEYWORD(id, text)                                  \
  const x3::rule<class kw_##id##_r> kw_##id = "`" text "`"; \
  const auto kw_##id##_def = x3::lexeme[x3::lit(text) >> !word_char];

NW_KEYWORD(act, "act")
NW_KEYWORD(enum, "enum")
NW_KEYWORD(entity, "entity")
NW_KEYWORD(extend, "extend")
NW_KEYWORD(closed, "closed")
NW_KEYWORD(part, "part")
NW_KEYWORD(of, "of")
NW_KEYWORD(optional, "optional")
NW_KEYWORD(list, "list")
NW_KEYWORD(set, "set")
NW_KEYWORD(ask, "ask")
NW_KEYWORD(open, "open")
NW_KEYWORD(parameter, "parameter")
NW_KEYWORD(title, "title")
NW_KEYWORD(cites, "cites")
NW_KEYWORD(from, "from")
NW_KEYWORD(to, "to")
NW_KEYWORD(source, "source")
NW_KEYWORD(define, "define")
NW_KEYWORD(rule, "rule")
NW_KEYWORD(exception, "exception")
NW_KEYWORD(kind, "kind")
NW_KEYWORD(severity, "severity")
NW_KEYWORD(valid, "valid")
NW_KEYWORD(judged, "judged")
NW_KEYWORD(deviable, "deviable")
NW_KEYWORD(by, "by")
NW_KEYWORD(priority, "priority")
NW_KEYWORD(over, "over")
NW_KEYWORD(concludes, "concludes")
NW_KEYWORD(for, "for")
NW_KEYWORD(when, "when")
NW_KEYWORD(unless, "unless")
NW_KEYWORD(message, "message")
NW_KEYWORD(remedy, "remedy")
NW_KEYWORD(each, "each")
NW_KEYWORD(in, "in")
NW_KEYWORD(consecutive, "consecutive")
NW_KEYWORD(period, "period")
NW_KEYWORD(scenario, "scenario")
NW_KEYWORD(as, "as")
NW_KEYWORD(facts, "facts")
NW_KEYWORD(file, "file")
NW_KEYWORD(expect, "expect")
NW_KEYWORD(no, "no")
NW_KEYWORD(on, "on")
NW_KEYWORD(missing, "missing")
NW_KEYWORD(amendment, "amendment")
NW_KEYWORD(kamerstuk, "kamerstuk")
NW_KEYWORD(version, "version")
NW_KEYWORD(effective, "effective")
NW_KEYWORD(repeal, "repeal")
NW_KEYWORD(replace, "replace")
NW_KEYWORD(art, "art")
NW_KEYWORD(lid, "lid")
NW_KEYWORD(sub, "sub")
NW_KEYWORD(url, "url")
NW_KEYWORD(and, "and")
NW_KEYWORD(or, "or")
NW_KEYWORD(not, "not")
NW_KEYWORD(is, "is")
NW_KEYWORD(if, "if")
NW_KEYWORD(then, "then")
NW_KEYWORD(else, "else")
NW_KEYWORD(where, "where")
NW_KEYWORD(at, "at")
NW_KEYWORD(count, "count")
NW_KEYWORD(sum, "sum")
NW_KEYWORD(min, "min")
NW_KEYWORD(max, "max")
NW_KEYWORD(average, "average")
NW_KEYWORD(share, "share")
NW_KEYWORD(exists, "exists")
NW_KEYWORD(every, "every")
NW_KEYWORD(satisfies, "satisfies")
NW_KEYWORD(known, "known")
NW_KEYWORD(none, "none")
NW_KEYWORD(unknown, "unknown")
NW_KEYWORD(true, "true")
NW_KEYWORD(false, "false")

BOOST_SPIRIT_DEFINE(kw_act, kw_enum, kw_entity, kw_extend, kw_closed, kw_part, kw_of, kw_optional, kw_list, kw_set, kw_ask, kw_open,
                    kw_parameter, kw_title, kw_cites, kw_from, kw_to, kw_source, kw_define, kw_rule, kw_exception,
                    kw_kind, kw_severity, kw_valid, kw_judged, kw_deviable, kw_by, kw_priority, kw_over, kw_concludes, kw_for,
                    kw_when, kw_unless, kw_message, kw_remedy, kw_each, kw_in, kw_consecutive, kw_period,
                    kw_scenario)
BOOST_SPIRIT_DEFINE(kw_as, kw_facts, kw_file, kw_expect, kw_no, kw_on, kw_missing, kw_amendment,
                    kw_kamerstuk, kw_version, kw_effective, kw_repeal, kw_replace, kw_art, kw_lid, kw_sub, kw_url,
                    kw_and, kw_or, kw_not, kw_is, kw_if, kw_then, kw_else, kw_where, kw_at, kw_count, kw_sum,
                    kw_min, kw_max, kw_average, kw_share, kw_exists, kw_every, kw_satisfies, kw_known, kw_none,
                    kw_unknown, kw_true, kw_false)

// ---------------------------------------------------------------------------
// Rule declarations with human-readable names (used in error messages).


const x3::rule<class name_r, Name> name = "a name";
const x3::rule<class word_r, Name> word = "a word";
const x3::rule<class field_name_r, Name> field_name = "a field name";
const x3::rule<class date_name_r, Name> date_name = "a date (YYYY-MM-DD)";
const x3::rule<class string_r, std::string> string_lit = "a quoted text";
const x3::rule<class lang_text_r, LangText> lang_text = "`nl \"...\"` or `en \"...\"`";
const x3::rule<class lang_texts_r, std::vector<LangText>> lang_texts = "`nl \"...\"` or `en \"...\"`";
const x3::rule<struct citation_r, Citation> citation = "a citation (act, `art`, `lid`)";
const x3::rule<class article_r, std::string> article = "an article number";
const x3::rule<struct type_r, TypeRef> type_ref = "a type";
const x3::rule<class expr_r, ExprId> expr = "an expression";
const x3::rule<class and_r, ExprId> and_expr = "an expression";
const x3::rule<class not_r, ExprId> not_expr = "an expression";
const x3::rule<class cmp_r, ExprId> cmp_expr = "an expression";
const x3::rule<class at_r, ExprId> at_expr = "an expression";
const x3::rule<class add_r, ExprId> add_expr = "an expression";
const x3::rule<class mul_r, ExprId> mul_expr = "an expression";
const x3::rule<class unary_r, ExprId> unary_expr = "an expression";
const x3::rule<class primary_r, ExprId> primary = "a value, a name or `(`";
const x3::rule<class collection_r, ExprId> collection = "a collection";
const x3::rule<class path_r, ExprId> path = "a name";
const x3::rule<class call_r, ExprId> call = "a function call";
const x3::rule<class literal_r, ExprId> literal = "a value";
const x3::rule<class set_lit_r, ExprId> set_lit = "a set `{...}`";
const x3::rule<class if_r, ExprId> if_expr = "`if ... then ... else ...`";
const x3::rule<class aggregate_r, ExprId> aggregate = "an aggregate";
const x3::rule<class is_tail_r, int> is_tail = "`known`, `none` or `unknown`";
const x3::rule<struct binding_r, Binding> binding = "a subject (`request r`, `each d in e.days`)";
const x3::rule<struct field_r, FieldDecl> field = "a field (`name : type`)";
const x3::rule<struct enum_value_r, EnumValue> enum_value = "an enum value";
const x3::rule<struct param_value_r, ParamValue> param_value = "a dated value (`from YYYY-MM-DD = ...`)";
const x3::rule<struct act_r, ActDecl> act_decl = "an act";
const x3::rule<struct enum_r, EnumDecl> enum_decl = "an enum";
const x3::rule<struct entity_r, EntityDecl> entity_decl = "an entity";
const x3::rule<struct extend_r, ExtendDecl> extend_decl = "an extension of an entity";
const x3::rule<struct param_r, ParamDecl> param_decl = "a parameter";
const x3::rule<struct define_r, DefineDecl> define_decl = "a definition";
const x3::rule<struct rule_r, RuleDecl> rule_decl = "a rule";
const x3::rule<struct scenario_r, ScenarioDecl> scenario_decl = "a scenario";
const x3::rule<struct expectation_r, Expectation> expectation = "an expectation";
const x3::rule<struct amendment_r, AmendmentDecl> amendment_decl = "an amendment";
const x3::rule<struct repeal_r, RepealDecl> repeal_decl = "`repeal`";
const x3::rule<struct set_decl_r, SetDecl> set_decl = "`set`";
const x3::rule<class json_r> json_object = "a JSON object `{...}`";
const x3::rule<class json_string_r> json_string = "a JSON string";
const x3::rule<class json_path_r, std::string> json_path = "a fact path (`requests[0].decided_on`)";
const x3::rule<class item_r, Item> item =
    "an item (`act`, `enum`, `entity`, `parameter`, `define`, `rule`, `scenario`, `amendment`)";

// ---------------------------------------------------------------------------
// Actions.

// Assigns the attribute to a member of the rule's value.
template <class M>
auto Set(M member) {
  return [member](auto& ctx) { x3::_val(ctx).*member = x3::_attr(ctx); };
}
// Appends the attribute to a vector member.
template <class M>
auto Push(M member) {
  return [member](auto& ctx) { (x3::_val(ctx).*member).push_back(x3::_attr(ctx)); };
}
// Appends all elements of a vector attribute to a vector member.
template <class M>
auto Append(M member) {
  return [member](auto& ctx) {
    auto& dst = x3::_val(ctx).*member;
    for (auto& e : x3::_attr(ctx)) dst.push_back(e);
  };
}
// Sets a member to a constant.
template <class M, class V>
auto Const(M member, V value) {
  return [member, value](auto& ctx) { x3::_val(ctx).*member = value; };
}
// Records the range matched by the whole rule.
// Ranges: `eps` skips blanks itself, so the position after it is where the
// node's first token starts, and the position before it is where the last ended.
const auto mark_begin = [](auto& ctx) { x3::_val(ctx).range.begin = MatchPos(ctx); };
const auto mark_end = [](auto& ctx) { x3::_val(ctx).range.end = MatchEnd(ctx); };
const auto pass_through = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };

// ---------------------------------------------------------------------------
// Lexical rules.

const auto ident_raw = x3::lexeme[(alpha | x3::char_('_')) >> *word_char];

const auto make_name = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  x3::_val(ctx) = Name{std::string(r.begin(), r.end()), St(ctx).Range(r.begin(), r.end())};
};

// A possibly dotted name; the first segment may not be a reserved word.
const auto name_def = x3::raw[x3::lexeme[!(reserved_words >> !word_char) >> ident_raw >>
                                         *('.' >> ident_raw)]][make_name];
const auto field_name_def = x3::raw[x3::lexeme[!(item_words >> !word_char) >> ident_raw]][make_name];
const auto word_def = x3::raw[x3::lexeme[+(word_char | x3::char_('-'))]][make_name];
const auto date_name_def = x3::raw[x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >>
                                              '-' >> x3::repeat(2)[digit] >> !word_char]][make_name];

const auto escaped_char = (x3::lit('\\') >> (x3::char_('"') | x3::char_('\\') | (x3::lit('n') >> x3::attr('\n')))) |
                          (x3::char_ - '"' - '\\');
const auto string_lit_def = x3::lexeme['"' > *escaped_char > '"'];

const auto lang_word = x3::lexeme[lang_words >> !word_char];
const auto lang_text_body = lang_word[Set(&LangText::lang)] > string_lit[Set(&LangText::value)];
const auto lang_text_def = x3::eps[mark_begin] >> lang_text_body >> x3::no_skip[x3::eps[mark_end]];
BOOST_SPIRIT_DEFINE(lang_text)
const auto lang_texts_def = +lang_text[([](auto& ctx) { x3::_val(ctx).push_back(x3::_attr(ctx)); })];

const auto article_def = !((kw_lid | kw_sub)) >> x3::lexeme[+(alnum | x3::char_(':') | (x3::char_('.') >> &alnum))];
const auto citation_body = name[Set(&Citation::act)] >> -(kw_art > article[Set(&Citation::article)]) >>
                          -(kw_lid > article[Set(&Citation::lid)]) >> -(kw_sub > article[Set(&Citation::sub)]) ;
const auto citation_def = x3::eps[mark_begin] >> citation_body >> x3::no_skip[x3::eps[mark_end]];

const auto type_body = ((kw_list[Const(&TypeRef::kind, TypeRef::Kind::kList)] > kw_of > name[Set(&TypeRef::name)]) |
                       (kw_set[Const(&TypeRef::kind, TypeRef::Kind::kSet)] > kw_of > name[Set(&TypeRef::name)]) |
                       name[Set(&TypeRef::name)]);
const auto type_def = x3::eps[mark_begin] >> type_body >> x3::no_skip[x3::eps[mark_end]];

// ---------------------------------------------------------------------------
// Expressions.

template <BinaryOp op>
auto Fold() {
  return [](auto& ctx) { x3::_val(ctx) = St(ctx).Binary(op, x3::_val(ctx), x3::_attr(ctx)); };
}
const auto fold_op = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = St(ctx).Binary(boost::fusion::at_c<0>(a), x3::_val(ctx), boost::fusion::at_c<1>(a));
};

struct CmpOps : x3::symbols<BinaryOp> {
  CmpOps() {
    add("=", BinaryOp::kEq)("!=", BinaryOp::kNe)("<=", BinaryOp::kLe)(">=", BinaryOp::kGe)("<", BinaryOp::kLt)(
        ">", BinaryOp::kGt);
  }
};
const CmpOps cmp_ops;
struct AddOps : x3::symbols<BinaryOp> {
  AddOps() { add("+", BinaryOp::kAdd)("-", BinaryOp::kSub); }
};
const AddOps add_ops;
struct MulOps : x3::symbols<BinaryOp> {
  MulOps() { add("*", BinaryOp::kMul)("/", BinaryOp::kDiv); }
};
const MulOps mul_ops;

const auto expr_def = and_expr[pass_through] >> *(kw_or > and_expr)[Fold<BinaryOp::kOr>()];
const auto and_expr_def = not_expr[pass_through] >> *(kw_and > not_expr)[Fold<BinaryOp::kAnd>()];

const auto make_not = [](auto& ctx) {
  Expr e;
  e.kind = ExprKind::kUnary;
  e.unary_op = UnaryOp::kNot;
  e.args = {x3::_attr(ctx)};
  e.range = FromValStart(ctx);
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto not_expr_def = x3::eps[start_in_val] >> ((kw_not > not_expr)[make_not] | cmp_expr[pass_through]);

const auto make_is = [](auto& ctx) {
  int code = x3::_attr(ctx);
  Expr e;
  e.kind = ExprKind::kIs;
  e.negated = (code & 8) != 0;
  e.is_test = static_cast<IsTest>(code & 7);
  ExprId operand = x3::_val(ctx);
  e.args = {operand};
  e.range = SourceRange{St(ctx).RangeOf(operand).begin, MatchEnd(ctx)};
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto is_tail_def = x3::eps[([](auto& ctx) { x3::_val(ctx) = 0; })] >>
                         -kw_not[([](auto& ctx) { x3::_val(ctx) |= 8; })] >>
                         (kw_known[([](auto& ctx) { x3::_val(ctx) |= static_cast<int>(IsTest::kKnown); })] |
                          kw_none[([](auto& ctx) { x3::_val(ctx) |= static_cast<int>(IsTest::kNone); })] |
                          kw_unknown[([](auto& ctx) { x3::_val(ctx) |= static_cast<int>(IsTest::kUnknown); })]);

const auto cmp_expr_def = at_expr[pass_through] >>
                          -((cmp_ops > at_expr)[fold_op] | (kw_not >> kw_in > at_expr)[Fold<BinaryOp::kNotIn>()] |
                            (kw_in > at_expr)[Fold<BinaryOp::kIn>()] | (kw_is > is_tail)[make_is]);
const auto at_expr_def = add_expr[pass_through] >> -(kw_at > add_expr)[Fold<BinaryOp::kAt>()];
const auto add_expr_def = mul_expr[pass_through] >> *(add_ops > mul_expr)[fold_op];
const auto mul_expr_def = unary_expr[pass_through] >> *(mul_ops > unary_expr)[fold_op];

const auto make_neg = [](auto& ctx) {
  Expr e;
  e.kind = ExprKind::kUnary;
  e.unary_op = UnaryOp::kNeg;
  e.args = {x3::_attr(ctx)};
  e.range = FromValStart(ctx);
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto unary_expr_def = x3::eps[start_in_val] >> ((x3::lit('-') > unary_expr)[make_neg] | primary[pass_through]);

// Literals. Each alternative records its kind and normalised text.
auto MakeLiteral(LiteralKind kind) {
  return [kind](auto& ctx) {
    auto& r = x3::_attr(ctx);
    Expr e;
    e.kind = ExprKind::kLiteral;
    e.literal = kind;
    e.text.assign(r.begin(), r.end());
    e.range = St(ctx).Range(r.begin(), r.end());
    x3::_val(ctx) = St(ctx).Add(std::move(e));
  };
}
const auto make_text_literal = [](auto& ctx) {
  Expr e;
  e.kind = ExprKind::kLiteral;
  e.literal = LiteralKind::kText;
  e.text = x3::_attr(ctx);
  e.range = FromValStart(ctx);
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto make_money = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  Expr e;
  e.kind = ExprKind::kLiteral;
  e.literal = LiteralKind::kMoney;
  std::string digits;
  for (char c : std::string(r.begin(), r.end())) {
    if ((c >= '0' && c <= '9') || c == '.') digits += c;
  }
  e.text = digits;
  e.range = St(ctx).Range(r.begin(), r.end());
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};

struct Units : x3::symbols<std::string> {
  Units() {
    for (const char* u : {"day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours",
                          "minute", "minutes"}) {
      add(u, u);
    }
  }
};
const Units units;
const auto make_number = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  const Name& n = boost::fusion::at_c<0>(a);
  auto& unit = boost::fusion::at_c<1>(a);
  Expr e;
  e.kind = ExprKind::kLiteral;
  const std::string& number = n.text;
  bool decimal = number.find('.') != std::string::npos;
  e.range = SourceRange{n.range.begin, MatchEnd(ctx)};
  if (unit) {
    const std::string& u = *unit;
    bool clock = u.rfind("hour", 0) == 0 || u.rfind("minute", 0) == 0;
    e.literal = clock ? LiteralKind::kTimeSpan : LiteralKind::kDuration;
    e.text = number + " " + u;
  } else {
    e.literal = decimal ? LiteralKind::kDecimal : LiteralKind::kInteger;
    e.text = number;
  }
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};

const x3::rule<class number_text_r, Name> number_text = "a number";
const auto number_text_def = x3::raw[x3::lexeme[+digit >> -('.' >> +digit) >> !alpha]][make_name];
BOOST_SPIRIT_DEFINE(number_text)
const auto literal_def =
    x3::raw[x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >>
                       x3::repeat(2)[digit] >> !word_char]][MakeLiteral(LiteralKind::kDate)] |
    x3::raw[x3::lexeme[x3::repeat(2)[digit] >> ':' >> x3::repeat(2)[digit] >> !word_char]]
           [MakeLiteral(LiteralKind::kTime)] |
    x3::raw[x3::lexeme[+digit >> -('.' >> +digit) >> '%']][MakeLiteral(LiteralKind::kPercent)] |
    x3::raw[x3::lexeme[(x3::lit("€") | x3::lit("EUR")) >> *x3::lit(' ') >> +digit >>
                       -('.' >> +digit) >> !word_char]][make_money] |
    (number_text >> -x3::lexeme[units >> !word_char])[make_number] |
    x3::raw[kw_true | kw_false][MakeLiteral(LiteralKind::kBool)] |
    (x3::eps[start_in_val] >> string_lit[make_text_literal]);

const auto make_path = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  Expr e;
  e.kind = ExprKind::kPath;
  const char* seg = r.begin();
  for (const char* p = r.begin(); p <= r.end(); ++p) {
    if (p == r.end() || *p == '.') {
      e.path.emplace_back(seg, p);
      e.path_ranges.push_back(St(ctx).Range(seg, p));
      seg = p + 1;
    }
  }
  e.range = St(ctx).Range(r.begin(), r.end());
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto path_def = x3::raw[x3::lexeme[!(reserved_words >> !word_char) >> ident_raw >> *('.' >> ident_raw)]]
                             [make_path];

const auto make_call = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  Expr e;
  e.kind = ExprKind::kCall;
  e.text = boost::fusion::at_c<0>(a).text;
  if (auto& args = boost::fusion::at_c<1>(a)) e.args = *args;
  e.range = SourceRange{boost::fusion::at_c<0>(a).range.begin, MatchEnd(ctx)};
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const x3::rule<class callee_r, Name> callee = "a function name";
const auto callee_def = x3::raw[x3::lexeme[ident_raw >> *('.' >> ident_raw)]][make_name];
BOOST_SPIRIT_DEFINE(callee)
const auto call_def = (callee >> '(' >> -(expr % ',') > ')')[make_call];

const auto make_set = [](auto& ctx) {
  Expr e;
  e.kind = ExprKind::kSet;
  if (auto& elems = x3::_attr(ctx)) e.args = *elems;
  e.range = FromValStart(ctx);
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto set_lit_def = x3::eps[start_in_val] >> (x3::lit('{') > -(expr % ',') > '}')[make_set];

const auto make_if = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  Expr e;
  e.kind = ExprKind::kIf;
  e.args = {boost::fusion::at_c<0>(a), boost::fusion::at_c<1>(a), boost::fusion::at_c<2>(a)};
  e.range = FromValStart(ctx);
  x3::_val(ctx) = St(ctx).Add(std::move(e));
};
const auto if_expr_def = x3::eps[start_in_val] >> (kw_if > expr > kw_then > expr > kw_else > expr)[make_if];

// Aggregates. The attribute carries the pieces; actions assemble the node.
struct AggParts {
  AggregateFn fn = AggregateFn::kCount;
  Name var;
  ExprId coll = kNoExpr;
  ExprId value = kNoExpr;
  ExprId filter = kNoExpr;
};
const x3::rule<class agg_count_r, AggParts> agg_count = "`count of x in ...`";
const x3::rule<class agg_value_r, AggParts> agg_value = "`sum of ... for x in ...`";
const x3::rule<class agg_share_r, AggParts> agg_share = "`share of x in ... where ...`";
const x3::rule<class agg_quant_r, AggParts> agg_quant = "`exists x in ... where ...`";

const auto agg_count_def = kw_count >> kw_of > name[Set(&AggParts::var)] > kw_in > collection[Set(&AggParts::coll)] >
                           -(kw_where > expr[Set(&AggParts::filter)]);
struct ValueFns : x3::symbols<AggregateFn> {
  ValueFns() {
    add("sum", AggregateFn::kSum)("min", AggregateFn::kMin)("max", AggregateFn::kMax)("average",
                                                                                       AggregateFn::kAverage);
  }
};
const ValueFns value_fns;
const auto agg_value_def = x3::lexeme[value_fns >> !word_char][Set(&AggParts::fn)] >> kw_of > expr[Set(&AggParts::value)] >
                           kw_for > name[Set(&AggParts::var)] > kw_in > collection[Set(&AggParts::coll)] >
                           -(kw_where > expr[Set(&AggParts::filter)]);
const auto agg_share_def =
    kw_share >> kw_of >
    ((name[Set(&AggParts::var)] >> kw_in >> collection[Set(&AggParts::coll)] >> kw_where > expr[Set(&AggParts::filter)]) |
     (expr[Set(&AggParts::value)] > kw_for > name[Set(&AggParts::var)] > kw_in > collection[Set(&AggParts::coll)] >
      kw_where > expr[Set(&AggParts::filter)]));
const auto agg_quant_def =
    (kw_exists[Const(&AggParts::fn, AggregateFn::kExists)] > name[Set(&AggParts::var)] > kw_in >
     collection[Set(&AggParts::coll)] > kw_where > expr[Set(&AggParts::filter)]) |
    (kw_every[Const(&AggParts::fn, AggregateFn::kAll)] > name[Set(&AggParts::var)] > kw_in >
     collection[Set(&AggParts::coll)] > kw_satisfies > expr[Set(&AggParts::filter)]);

auto MakeAggregate(bool fixed, AggregateFn fn) {
  return [fixed, fn](auto& ctx) {
    AggParts p = x3::_attr(ctx);
    Expr e;
    e.kind = ExprKind::kAggregate;
    e.aggregate = fixed ? fn : p.fn;
    e.var = p.var.text;
    e.var_range = p.var.range;
    e.args = {p.coll, p.value, p.filter};
    e.range = FromValStart(ctx);
    x3::_val(ctx) = St(ctx).Add(std::move(e));
  };
}
const auto aggregate_def = x3::eps[start_in_val] >> agg_count[MakeAggregate(true, AggregateFn::kCount)] |
                           agg_share[MakeAggregate(true, AggregateFn::kShare)] |
                           agg_quant[MakeAggregate(false, AggregateFn::kCount)] |
                           agg_value[MakeAggregate(false, AggregateFn::kCount)];

// A parenthesised expression's range includes its parentheses.
const auto extend_to_parens = [](auto& ctx) {
  ExprId id = x3::_attr(ctx);
  St(ctx).tree->exprs[id].range = FromValStart(ctx);
  x3::_val(ctx) = id;
};
const auto paren_inner = x3::lit('(') > expr > ')';
const x3::rule<class paren_r, ExprId> paren = "`(`";
const auto paren_def = x3::eps[start_in_val] >> paren_inner[extend_to_parens];
BOOST_SPIRIT_DEFINE(paren)
const auto collection_def = call[pass_through] | path[pass_through] | paren[pass_through];
// `PARAMETER on DATE` binds tighter than arithmetic: `r.start - wfw.lead on r.submitted_on`.
const x3::rule<class on_operand_r, ExprId> on_operand = "a date";
const auto on_operand_def = call[pass_through] | path[pass_through] | paren[pass_through] | literal[pass_through];
BOOST_SPIRIT_DEFINE(on_operand)
const auto primary_def = paren[pass_through] | if_expr[pass_through] | aggregate[pass_through] |
                         set_lit[pass_through] | literal[pass_through] | call[pass_through] |
                         (path[pass_through] >> -(kw_on > on_operand)[Fold<BinaryOp::kOn>()]);

// ---------------------------------------------------------------------------
// Declarations.

const auto act_body = kw_act > name[Set(&ActDecl::name)] > string_lit[Set(&ActDecl::title)] >
                     -(x3::lexeme[id_kinds >> !word_char][Set(&ActDecl::id_kind)] > word[([](auto& ctx) { x3::_val(ctx).id = x3::_attr(ctx).text; })]) >
                     -(kw_url > string_lit[Set(&ActDecl::url)]);
const auto act_def = x3::eps[mark_begin] >> act_body >> x3::no_skip[x3::eps[mark_end]];

const auto enum_value_body = name[Set(&EnumValue::name)] >> -string_lit[Set(&EnumValue::label)];
const auto enum_value_def = x3::eps[mark_begin] >> enum_value_body >> x3::no_skip[x3::eps[mark_end]];
const auto enum_body = kw_enum > name[Set(&EnumDecl::name)] > '{' > (enum_value[Push(&EnumDecl::values)] % ',') >
                      -x3::lit(',') > '}';
const auto enum_def = x3::eps[mark_begin] >> enum_body >> x3::no_skip[x3::eps[mark_end]];

const auto field_body = field_name[Set(&FieldDecl::name)] > ':' > -kw_optional[Const(&FieldDecl::optional, true)] >
                       type_ref[Set(&FieldDecl::type)] > -(kw_ask > lang_texts[Set(&FieldDecl::ask)]) >
                       -(kw_open > string_lit[Set(&FieldDecl::open_norm)]);
const auto field_def = x3::eps[mark_begin] >> field_body >> x3::no_skip[x3::eps[mark_end]];
const auto entity_body = kw_entity > name[Set(&EntityDecl::name)] > -(kw_part > kw_of > name[Set(&EntityDecl::part_of)]) >
                        -kw_closed[Const(&EntityDecl::closed, true)] >
                        '{' > *field[Push(&EntityDecl::fields)] > '}';
const auto entity_def = x3::eps[mark_begin] >> entity_body >> x3::no_skip[x3::eps[mark_end]];

const auto extend_body = kw_extend > name[Set(&ExtendDecl::entity)] > '{' > *field[Push(&ExtendDecl::fields)] > '}';
const auto extend_decl_def = x3::eps[mark_begin] >> extend_body >> x3::no_skip[x3::eps[mark_end]];
BOOST_SPIRIT_DEFINE(extend_decl)

const auto cites_clause = kw_cites > (citation % ',');

const auto param_value_body = kw_from > date_name[Set(&ParamValue::from)] > -(kw_to > date_name[Set(&ParamValue::to)]) >
                             '=' > expr[Set(&ParamValue::value)] > -(kw_source > string_lit[Set(&ParamValue::source)]) >
                             *cites_clause[Append(&ParamValue::cites)];
const auto param_value_def = x3::eps[mark_begin] >> param_value_body >> x3::no_skip[x3::eps[mark_end]];
const auto param_body = kw_parameter > name[Set(&ParamDecl::name)] > ':' > type_ref[Set(&ParamDecl::type)] >
                       -(kw_title > lang_texts[Set(&ParamDecl::title)]) > *cites_clause[Append(&ParamDecl::cites)] >
                       +param_value[Push(&ParamDecl::values)];
const auto param_def = x3::eps[mark_begin] >> param_body >> x3::no_skip[x3::eps[mark_end]];

const auto define_body = kw_define > name[Set(&DefineDecl::name)] > kw_of > name[Set(&DefineDecl::entity)] >
                        name[Set(&DefineDecl::var)] > ':' > type_ref[Set(&DefineDecl::type)] >
                        *cites_clause[Append(&DefineDecl::cites)] > '=' > expr[Set(&DefineDecl::body)];
const auto define_def = x3::eps[mark_begin] >> define_body >> x3::no_skip[x3::eps[mark_end]];

// Subjects.
const auto each_consecutive = kw_consecutive > '(' > name[Set(&Binding::var)] > ',' > name[Set(&Binding::var2)] > ')' >
                              kw_in > collection[Set(&Binding::collection)] > kw_by > field_name[Set(&Binding::by)];
const auto group_word = x3::lexeme[group_words >> !word_char];
const auto each_group = group_word[Set(&Binding::group)] >> name[Set(&Binding::var)] >> kw_in >
                        collection[Set(&Binding::collection)] > kw_by > field_name[Set(&Binding::by)];
const auto period_unit = x3::lexeme[period_units >> !word_char];
const auto each_period = kw_period > name[Set(&Binding::var)] > kw_of > x3::int_[Set(&Binding::count)] >
                         period_unit[Set(&Binding::group)] > kw_in > collection[Set(&Binding::collection)] > kw_by >
                         name[Set(&Binding::by)];
const auto each_simple = name[Set(&Binding::var)] > kw_in > collection[Set(&Binding::collection)];
const auto binding_body =
    ((kw_each > ((x3::eps[Const(&Binding::kind, Binding::Kind::kConsecutive)] >> each_consecutive) |
                 (x3::eps[Const(&Binding::kind, Binding::Kind::kPeriod)] >> each_period) |
                 (x3::eps[Const(&Binding::kind, Binding::Kind::kGroup)] >> each_group) |
                 (x3::eps[Const(&Binding::kind, Binding::Kind::kEach)] >> each_simple))) |
     (x3::eps[Const(&Binding::kind, Binding::Kind::kEntity)] >> name[Set(&Binding::type)] > name[Set(&Binding::var)]));
const auto binding_def = x3::eps[mark_begin] >> binding_body >> x3::no_skip[x3::eps[mark_end]];

const auto kind_word = x3::lexeme[kind_words >> !word_char];
const auto severity_word = x3::lexeme[severity_words >> !word_char];
const x3::rule<class kind_word_r, std::string> finding_kind =
    "a finding kind (`violation`, `conflict`, `gap`, `risk`, `review`, `info`)";
const auto finding_kind_def = kind_word;
const x3::rule<class severity_word_r, std::string> severity_level =
    "a severity (`critical`, `high`, `medium`, `low`, `info`)";
const auto severity_level_def = severity_word;
const x3::rule<class bool_word_r, bool> bool_word = "`true` or `false`";
const auto bool_word_def = kw_true >> x3::attr(true) | kw_false >> x3::attr(false);

const auto rule_body =
    kw_rule > name[Set(&RuleDecl::id)] > -(kw_exception > kw_to > name[Set(&RuleDecl::exception_to)]) >
    -(kw_title > lang_texts[Set(&RuleDecl::title)]) >
    -(kw_kind > finding_kind[Set(&RuleDecl::kind)] > kw_severity > severity_level[Set(&RuleDecl::severity)]) >
    *cites_clause[Append(&RuleDecl::cites)] >
    -(kw_valid > kw_from > date_name[Set(&RuleDecl::valid_from)] > -(kw_to > date_name[Set(&RuleDecl::valid_to)])) >
    -(kw_judged > kw_on > expr[Set(&RuleDecl::judged_on)]) >
    -(kw_deviable > kw_by > (name % ',')[Set(&RuleDecl::deviable_by)]) >
    -(kw_source > expr[Set(&RuleDecl::source)]) >
    -(kw_priority > kw_over > (name % ',')[Set(&RuleDecl::priority_over)]) >
    -(kw_concludes > name[Set(&RuleDecl::concludes)] > '=' > bool_word[Set(&RuleDecl::concludes_value)]) >
    -(kw_for > (binding % ',')[Set(&RuleDecl::bindings)]) > -(kw_when > expr[Set(&RuleDecl::when)]) >
    *(kw_unless > expr[Push(&RuleDecl::unless)]) > -(kw_message > lang_texts[Set(&RuleDecl::message)]) >
    -(kw_remedy > lang_texts[Set(&RuleDecl::remedy)]);
const auto rule_def = x3::eps[mark_begin] >> rule_body >> x3::no_skip[x3::eps[mark_end]];

// Scenarios.
const auto json_string_def = x3::lexeme['"' >> *((x3::lit('\\') >> x3::char_) | (x3::char_ - '"')) >> '"'];
const auto json_object_def = x3::lexeme['{' >> *(json_string | json_object | (x3::char_ - '{' - '}' - '"')) > '}'];
const auto make_facts = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  x3::_val(ctx).facts_json.assign(r.begin(), r.end());
  x3::_val(ctx).facts_range = St(ctx).Range(r.begin(), r.end());
};
const auto json_path_def = x3::lexeme[+(word_char | x3::char_('.') | x3::char_('[') | x3::char_(']'))];
const auto expectation_body =
    kw_expect > ((kw_no[Const(&Expectation::absent, true)] > name[Set(&Expectation::rule)] >
                  -(kw_on > json_path[Set(&Expectation::subject)])) |
                 (finding_kind[Set(&Expectation::kind)] > name[Set(&Expectation::rule)] >
                  -(kw_on > json_path[Set(&Expectation::subject)]) >
                  -(kw_missing > (json_path % ',')[Set(&Expectation::missing)])));
const auto expectation_def = x3::eps[mark_begin] >> expectation_body >> x3::no_skip[x3::eps[mark_end]];
const auto scenario_body = kw_scenario > string_lit[Set(&ScenarioDecl::title)] > kw_as > kw_of >
                          date_name[Set(&ScenarioDecl::as_of)] > kw_facts >
                          (x3::raw[json_object][make_facts] | (kw_file > string_lit[Set(&ScenarioDecl::facts_file)])) >
                          *expectation[Push(&ScenarioDecl::expectations)];
const auto scenario_def = x3::eps[mark_begin] >> scenario_body >> x3::no_skip[x3::eps[mark_end]];

// Amendments.
const auto amendment_body = kw_amendment > name[Set(&AmendmentDecl::id)] > -(kw_title > lang_texts[Set(&AmendmentDecl::title)]) >
                           kw_kamerstuk > string_lit[Set(&AmendmentDecl::kamerstuk)] > kw_version >
                           word[([](auto& ctx) { x3::_val(ctx).version = x3::_attr(ctx).text; })] > kw_effective >
                           date_name[Set(&AmendmentDecl::effective)];
const auto amendment_def = x3::eps[mark_begin] >> amendment_body >> x3::no_skip[x3::eps[mark_end]];
const auto repeal_body = kw_repeal > name[Set(&RepealDecl::rule)];
const auto repeal_def = x3::eps[mark_begin] >> repeal_body >> x3::no_skip[x3::eps[mark_end]];
const auto set_decl_body = kw_set > name[Set(&SetDecl::param)] > +param_value[Push(&SetDecl::values)];
const auto set_decl_def = x3::eps[mark_begin] >> set_decl_body >> x3::no_skip[x3::eps[mark_end]];

const auto make_replace = [](auto& ctx) {
  RuleDecl r = x3::_attr(ctx);
  r.action = RuleDecl::Action::kReplace;
  x3::_val(ctx) = std::move(r);
};
const auto item_def = act_decl[pass_through] | enum_decl[pass_through] | entity_decl[pass_through] |
                      extend_decl[pass_through] |
                      param_decl[pass_through] | define_decl[pass_through] | rule_decl[pass_through] |
                      scenario_decl[pass_through] | amendment_decl[pass_through] | repeal_decl[pass_through] |
                      (kw_replace > rule_decl)[make_replace] | set_decl[pass_through];

BOOST_SPIRIT_DEFINE(word, field_name, date_name, string_lit, lang_texts, citation, article, expr, and_expr, not_expr,
                    cmp_expr, at_expr, add_expr, mul_expr, unary_expr, primary, collection, path, call, literal,
                    set_lit, if_expr, aggregate, is_tail, agg_count, agg_value, agg_share, agg_quant, binding,
                    field, enum_value, param_value, expectation, json_object, json_string, json_path, finding_kind,
                    severity_level, bool_word, item)
BOOST_SPIRIT_DEFINE(name)

const auto type_ref_def = type_def;
BOOST_SPIRIT_DEFINE(type_ref)
const auto act_decl_def = act_def;
const auto enum_decl_def = enum_def;
const auto entity_decl_def = entity_def;
const auto param_decl_def = param_def;
const auto define_decl_def = define_def;
const auto rule_decl_def = rule_def;
const auto scenario_decl_def = scenario_def;
const auto amendment_decl_def = amendment_def;
const auto repeal_decl_def = repeal_def;
BOOST_SPIRIT_DEFINE(act_decl, enum_decl, entity_decl, param_decl, define_decl, rule_decl, scenario_decl,
                    amendment_decl, repeal_decl, set_decl)

const auto skipper = x3::char_(" \t\r\n") | x3::lexeme["//" >> *(x3::char_ - x3::eol)];

// ---------------------------------------------------------------------------
// Error reporting and recovery.

constexpr std::array kItemKeywords = {"act", "extend", "enum",      "entity",    "parameter", "define", "rule",
                                      "scenario", "amendment", "repeal",    "replace",   "set"};
constexpr std::array kRuleClauses = {"title", "kind", "cites", "valid", "judged", "deviable", "source", "priority",
                                     "concludes", "for", "when", "unless", "message", "remedy"};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Skips white space and comments.
const char* SkipBlank(const char* p, const char* end) {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      ++p;
    } else if (p + 1 < end && p[0] == '/' && p[1] == '/') {
      while (p < end && *p != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

// The token that ends just before `where` (for "after `when`").
std::string PreviousToken(const char* begin, const char* where) {
  // Walk back over blanks; comments are rare before an error and are ignored.
  const char* p = where;
  while (p > begin && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r')) --p;
  if (p == begin) return {};
  const char* e = p;
  if (IsWordChar(p[-1])) {
    // Names, dates (2016-01-01), times (22:00), amounts (2.35) and paths read as one token.
    while (p > begin && (IsWordChar(p[-1]) || p[-1] == '.' || p[-1] == '-' || p[-1] == ':')) --p;
  } else if (p[-1] == '"') {
    // A quoted text: show its start.
    const char* q = p - 1;
    while (q > begin && q[-1] != '"') --q;
    std::string text(q, p - 1);
    if (text.size() > 20) text = text.substr(0, 17) + "...";
    return "\"" + text + "\"";
  } else {
    --p;
  }
  return std::string(p, e);
}

std::string WordAt(const char* p, const char* end) {
  const char* e = p;
  while (e < end && IsWordChar(*e)) ++e;
  return std::string(p, e);
}

// Next line that starts with an item keyword, or the end.
const char* NextItemStart(const char* p, const char* end) {
  while (p < end) {
    while (p < end && *p != '\n') ++p;
    if (p < end) ++p;
    std::string w = WordAt(p, end);
    for (const char* kw : kItemKeywords) {
      if (w == kw) return p;
    }
  }
  return end;
}

// What the parser expected, in words. X3 names a rule by its description but an
// action on a rule by its type; the rule's tag in that type leads back to it.
std::string Describe(const std::string& raw) {
  // X3 names a character or literal as '}' or "title"; diagnostics use backticks.
  std::string which = raw;
  if (which.size() >= 3 && (which.front() == '\'' || which.front() == '"') && which.back() == which.front()) {
    return "`" + which.substr(1, which.size() - 2) + "`";
  }
  static const std::pair<const char*, const char*> kNames[] = {{"kw_act_r", "`act`"}, {"kw_enum_r", "`enum`"}, {"kw_entity_r", "`entity`"}, {"kw_extend_r", "`extend`"}, {"kw_part_r", "`part`"}, {"kw_of_r", "`of`"}, {"kw_optional_r", "`optional`"}, {"kw_list_r", "`list`"}, {"kw_set_r", "`set`"}, {"kw_ask_r", "`ask`"}, {"kw_open_r", "`open`"}, {"kw_parameter_r", "`parameter`"}, {"kw_title_r", "`title`"}, {"kw_cites_r", "`cites`"}, {"kw_from_r", "`from`"}, {"kw_to_r", "`to`"}, {"kw_source_r", "`source`"}, {"kw_define_r", "`define`"}, {"kw_rule_r", "`rule`"}, {"kw_exception_r", "`exception`"}, {"kw_kind_r", "`kind`"}, {"kw_severity_r", "`severity`"}, {"kw_valid_r", "`valid`"}, {"kw_judged_r", "`judged`"}, {"kw_deviable_r", "`deviable`"}, {"kw_by_r", "`by`"}, {"kw_priority_r", "`priority`"}, {"kw_over_r", "`over`"}, {"kw_concludes_r", "`concludes`"}, {"kw_for_r", "`for`"}, {"kw_when_r", "`when`"}, {"kw_unless_r", "`unless`"}, {"kw_message_r", "`message`"}, {"kw_remedy_r", "`remedy`"}, {"kw_each_r", "`each`"}, {"kw_in_r", "`in`"}, {"kw_consecutive_r", "`consecutive`"}, {"kw_period_r", "`period`"}, {"kw_scenario_r", "`scenario`"}, {"kw_as_r", "`as`"}, {"kw_facts_r", "`facts`"}, {"kw_file_r", "`file`"}, {"kw_expect_r", "`expect`"}, {"kw_no_r", "`no`"}, {"kw_on_r", "`on`"}, {"kw_missing_r", "`missing`"}, {"kw_amendment_r", "`amendment`"}, {"kw_kamerstuk_r", "`kamerstuk`"}, {"kw_version_r", "`version`"}, {"kw_effective_r", "`effective`"}, {"kw_repeal_r", "`repeal`"}, {"kw_replace_r", "`replace`"}, {"kw_art_r", "`art`"}, {"kw_lid_r", "`lid`"}, {"kw_sub_r", "`sub`"}, {"kw_url_r", "`url`"}, {"kw_and_r", "`and`"}, {"kw_or_r", "`or`"}, {"kw_not_r", "`not`"}, {"kw_is_r", "`is`"}, {"kw_if_r", "`if`"}, {"kw_then_r", "`then`"}, {"kw_else_r", "`else`"}, {"kw_where_r", "`where`"}, {"kw_at_r", "`at`"}, {"kw_count_r", "`count`"}, {"kw_sum_r", "`sum`"}, {"kw_min_r", "`min`"}, {"kw_max_r", "`max`"}, {"kw_average_r", "`average`"}, {"kw_share_r", "`share`"}, {"kw_exists_r", "`exists`"}, {"kw_every_r", "`every`"}, {"kw_satisfies_r", "`satisfies`"}, {"kw_known_r", "`known`"}, {"kw_none_r", "`none`"}, {"kw_unknown_r", "`unknown`"}, {"kw_true_r", "`true`"}, {"kw_false_r", "`false`"}, {"name_r", name.name}, {"word_r", word.name}, {"date_name_r", date_name.name}, {"string_r", string_lit.name}, {"lang_text_r", lang_text.name}, {"citation_r", citation.name}, {"article_r", article.name}, {"type_r", type_ref.name}, {"expr_r", expr.name}, {"and_r", and_expr.name}, {"not_r", not_expr.name}, {"cmp_r", cmp_expr.name}, {"at_r", at_expr.name}, {"add_r", add_expr.name}, {"mul_r", mul_expr.name}, {"unary_r", unary_expr.name}, {"primary_r", primary.name}, {"collection_r", collection.name}, {"path_r", path.name}, {"call_r", call.name}, {"literal_r", literal.name}, {"set_lit_r", set_lit.name}, {"if_r", if_expr.name}, {"aggregate_r", aggregate.name}, {"is_tail_r", is_tail.name}, {"binding_r", binding.name}, {"field_r", field.name}, {"enum_value_r", enum_value.name}, {"param_value_r", param_value.name}, {"act_r", act_decl.name}, {"enum_r", enum_decl.name}, {"entity_r", entity_decl.name}, {"param_r", param_decl.name}, {"define_r", define_decl.name}, {"extend_r", extend_decl.name}, {"rule_r", rule_decl.name}, {"scenario_r", scenario_decl.name}, {"expectation_r", expectation.name}, {"amendment_r", amendment_decl.name}, {"repeal_r", repeal_decl.name}, {"set_decl_r", set_decl.name}, {"json_r", json_object.name}, {"json_string_r", json_string.name}, {"json_path_r", json_path.name}, {"item_r", item.name}, {"number_text_r", number_text.name}, {"callee_r", callee.name}, {"agg_count_r", agg_count.name}, {"agg_value_r", agg_value.name}, {"agg_share_r", agg_share.name}, {"agg_quant_r", agg_quant.name}, {"kind_word_r", finding_kind.name}, {"severity_word_r", severity_level.name}, {"bool_word_r", bool_word.name}, };
  if (which.find("action") == std::string::npos && which.find("_GLOBAL__N_") == std::string::npos) return which;
  // An alternative names several rules: list what each expects.
  std::vector<std::string> found;
  size_t at = which.find("_GLOBAL__N_1");
  while (at != std::string::npos) {
    size_t p = at + 12, len = 0;
    while (p < which.size() && which[p] >= '0' && which[p] <= '9') len = len * 10 + (which[p++] - '0');
    std::string id = which.substr(p, len);
    for (const auto& [tag, description] : kNames) {
      if (id == tag && std::find(found.begin(), found.end(), description) == found.end()) found.push_back(description);
    }
    at = which.find("_GLOBAL__N_1", p);
  }
  if (found.empty()) return "something else";
  std::string out;
  for (size_t i = 0; i < found.size(); ++i) out += (i == 0 ? "" : i + 1 == found.size() ? " or " : ", ") + found[i];
  return out;
}

template <class R>
bool ParseItem(const char*& first, const char* last, State& state, R& out) {
  auto const parser = x3::with<state_tag>(std::ref(state))[item];
  return x3::phrase_parse(first, last, parser, skipper, out);
}

// Parses the `{expression}` holes of a message or remedy text. The raw text
// between the quotes has the same offsets as the source.
void ParseHoles(const Source& source, State& state, LangText& text, DiagnosticSink& sink) {
  std::string_view raw = source.Slice(text.range);
  size_t quote = raw.find('"');
  if (quote == std::string_view::npos) return;
  const char* p = raw.data() + quote + 1;
  const char* end = raw.data() + raw.size() - 1;  // the closing quote
  while (p < end) {
    if (*p == '\\') {
      p += 2;
      continue;
    }
    if (*p == '{' && p + 1 < end && p[1] == '{') {
      p += 2;
      continue;
    }
    if (*p == '}' && p + 1 < end && p[1] == '}') {
      p += 2;
      continue;
    }
    if (*p != '{') {
      ++p;
      continue;
    }
    const char* close = p + 1;
    while (close < end && *close != '}') ++close;
    if (close >= end) {
      sink.Error("unclosed-interpolation", &source, state.Range(p, p + 1),
                 "`{` in a message has no matching `}`", "write `{{` for a literal brace");
      return;
    }
    const char* first = p + 1;
    ExprId id = kNoExpr;
    bool ok = false;
    try {
      auto const parser = x3::with<state_tag>(std::ref(state))[expr];
      ok = x3::phrase_parse(first, close, parser, skipper, id);
    } catch (const x3::expectation_failure<Iterator>& e) {
      ok = false;
      first = e.where();
    }
    first = SkipBlank(first, close);
    if (!ok || first != close) {
      sink.Error("bad-interpolation", &source, state.Range(p, close + 1),
                 "expected an expression inside `{...}` in the message");
    } else {
      text.holes.push_back(id);
    }
    p = close + 1;
  }
}

}  // namespace

bool IsReservedWord(std::string_view word) {
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end() ||
         std::find(kClauseWords.begin(), kClauseWords.end(), word) != kClauseWords.end();
}

SyntaxTree Parse(const Source& source, DiagnosticSink& sink) {
  SyntaxTree tree;
  tree.source = &source;
  std::string_view text = source.text();
  const char* const begin = text.data();
  const char* const end = text.data() + text.size();
  State state{&tree, begin};

  // Comments, for the formatter: scan outside strings.
  {
    bool in_string = false;
    bool code_on_line = false;
    for (const char* p = begin; p < end; ++p) {
      if (*p == '\n') {
        code_on_line = false;
        continue;
      }
      if (in_string) {
        if (*p == '\\' && p + 1 < end) {
          ++p;
        } else if (*p == '"') {
          in_string = false;
        }
        continue;
      }
      if (*p == '"') {
        in_string = true;
        code_on_line = true;
      } else if (*p == '/' && p + 1 < end && p[1] == '/') {
        const char* e = p;
        while (e < end && *e != '\n' && *e != '\r') ++e;
        tree.comments.push_back(Comment{state.Range(p, e), std::string(p, e), !code_on_line});
        p = e - 1;
      } else if (*p != ' ' && *p != '\t' && *p != '\r') {
        code_on_line = true;
      }
    }
  }

  const char* p = begin;
  while (true) {
    p = SkipBlank(p, end);
    if (p >= end) break;
    Item parsed;
    const char* at = p;
    try {
      if (ParseItem(p, end, state, parsed)) {
        tree.items.push_back(std::move(parsed));
        continue;
      }
      // No item starts here.
      std::string w = WordAt(at, end);
      Diagnostic d;
      d.code = "expected-item";
      d.source = &source;
      const char* we = at + std::max<size_t>(1, w.size());
      d.primary = state.Range(at, std::min(we, end));
      bool is_clause = std::find(kRuleClauses.begin(), kRuleClauses.end(), w) != kRuleClauses.end();
      auto near_clause = ClosestMatch(w, std::vector<std::string>(kRuleClauses.begin(), kRuleClauses.end()));
      if ((is_clause || near_clause) && !tree.items.empty() && std::holds_alternative<RuleDecl>(tree.items.back())) {
        // The rule before this misplaced or misspelled clause is incomplete: checking it would
        // only report what is missing because of this one mistake.
        tree.items.pop_back();
      }
      if (is_clause) {
        d.code = "clause-order";
        d.message = "`" + w + "` is out of place";
        d.help = "rule clauses go in this order: title, kind/severity, cites, valid, judged on, deviable, source, "
                 "priority, concludes, for, when, unless, message, remedy";
      } else {
        d.message = w.empty() ? "expected an item (`act`, `enum`, `entity`, `parameter`, `define`, `rule`, `scenario`)"
                              : "unexpected `" + w + "`: expected an item or a clause";
        std::vector<std::string> candidates(kItemKeywords.begin(), kItemKeywords.end());
        candidates.insert(candidates.end(), kRuleClauses.begin(), kRuleClauses.end());
        for (const char* extra : {"severity", "exception", "each", "where", "expect", "from", "ask", "open"}) {
          candidates.emplace_back(extra);
        }
        if (auto m = ClosestMatch(w, candidates)) d.help = "did you mean `" + *m + "`?";
      }
      sink.Report(std::move(d));
    } catch (const x3::expectation_failure<Iterator>& e) {
      const char* where = SkipBlank(std::min(e.where(), end), end);
      std::string previous = PreviousToken(begin, where);
      std::string found = WordAt(where, end);
      Diagnostic d;
      d.code = "syntax";
      d.source = &source;
      const char* we = where + std::max<size_t>(1, found.size());
      d.primary = state.Range(where, std::min(we, end));
      if (where >= end) d.primary = state.Range(end, end);
      d.message = "expected " + Describe(e.which());
      if (!previous.empty()) d.message += " after `" + previous + "`";
      if (where >= end) {
        d.message += ", found the end of the file";
      } else if (!found.empty()) {
        d.message += ", found `" + found + "`";
      } else {
        d.message += ", found `" + std::string(where, where + 1) + "`";
      }
      if (!found.empty()) {
        std::vector<std::string> candidates(kRuleClauses.begin(), kRuleClauses.end());
        for (const char* extra : {"severity", "exception", "each", "where", "expect", "from", "to", "by", "of",
                                  "in", "then", "else", "satisfies"}) {
          candidates.emplace_back(extra);
        }
        if (auto m = ClosestMatch(found, candidates); m && *m != found) d.help = "did you mean `" + *m + "`?";
      }
      sink.Report(std::move(d));
    }
    p = NextItemStart(at, end);
  }
  for (Item& item : tree.items) {
    if (auto* rule = std::get_if<RuleDecl>(&item)) {
      for (LangText& t : rule->message) ParseHoles(source, state, t, sink);
      for (LangText& t : rule->remedy) ParseHoles(source, state, t, sink);
    }
  }
  return tree;
}

SourceRange ItemRange(const Item& item) {
  return std::visit([](const auto& i) { return i.range; }, item);
}

}  // namespace nw::dsl
