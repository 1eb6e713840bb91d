// The syntax tree of a `.norm` file: plain structs with byte ranges, produced
// by the parser and printed back by the formatter. Names are not resolved and
// types are not known yet; that is the checker's job (checked.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dsl/support/source.hpp"

namespace nw::dsl {

/// Index of an expression in SyntaxTree::exprs.
using ExprId = uint32_t;
/// Marks an absent expression.
inline constexpr ExprId kNoExpr = UINT32_MAX;

/// What an expression node is.
enum class ExprKind : uint8_t {
  kLiteral,    // text holds the literal as written (normalised), literal says which kind
  kPath,       // a.b.c: a variable, parameter, enum value or field path (path holds the segments)
  kUnary,      // unary_op args[0]
  kBinary,     // args[0] binary_op args[1]
  kCall,       // text(args...)
  kSet,        // {args...}
  kIf,         // if args[0] then args[1] else args[2]
  kAggregate,  // aggregate over var in args[0]; value args[1] (or kNoExpr); filter args[2] (or kNoExpr)
  kIs,         // args[0] is [not] known|none|unknown
};

/// Kinds of literal.
enum class LiteralKind : uint8_t {
  kBool, kInteger, kDecimal, kMoney, kPercent, kDate, kTime, kDuration, kTimeSpan, kText
};

/// Binary operators, lowest precedence first.
enum class BinaryOp : uint8_t {
  kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kAt, kOn, kAdd, kSub, kMul, kDiv
};

/// Unary operators.
enum class UnaryOp : uint8_t { kNot, kNeg };

/// `x is known` (a value is present), `x is none` (known to be absent),
/// `x is unknown` (not given at all).
enum class IsTest : uint8_t { kKnown, kNone, kUnknown };

/// Aggregate functions over a collection.
enum class AggregateFn : uint8_t { kCount, kSum, kMin, kMax, kAverage, kShare, kExists, kAll };

/// One expression node. Children are ids into the same tree.
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceRange range;
  LiteralKind literal = LiteralKind::kBool;
  BinaryOp binary_op = BinaryOp::kOr;
  UnaryOp unary_op = UnaryOp::kNot;
  IsTest is_test = IsTest::kKnown;
  bool negated = false;              // kIs: `is not`
  AggregateFn aggregate = AggregateFn::kCount;
  std::string text;                  // literal text, function name
  std::vector<std::string> path;     // kPath segments
  std::vector<SourceRange> path_ranges;
  std::string var;                   // kAggregate: the bound variable
  SourceRange var_range;
  std::vector<ExprId> args;
};

/// A name as written, with its range.
struct Name {
  std::string text;
  SourceRange range;
};

/// A text in one language: `nl "..."` or `en "..."`.
struct LangText {
  std::string lang;   // "nl" or "en"
  std::string value;  // without quotes, escapes resolved
  SourceRange range;
  std::vector<ExprId> holes;  // messages and remedies: the `{expression}`s, in order
};

/// `wfw art 2 lid 12 sub a`: a reference into an act.
struct Citation {
  Name act;
  std::string article;  // "2", "5:3", "1.43", "14", "31a"
  std::string lid;      // paragraph; empty when not given
  std::string sub;      // sub-paragraph or onderdeel; empty when not given
  SourceRange range;
};

/// A type as written: `date`, `optional money` (see FieldDecl), `list of work_day`, `set of request_kind`.
struct TypeRef {
  enum class Kind : uint8_t { kNamed, kList, kSet };
  Kind kind = Kind::kNamed;
  Name name;
  SourceRange range;
};

/// `act wfw "Wet flexibel werken" bwb BWBR0011173 url "..."`.
struct ActDecl {
  Name name;
  std::string title;
  std::string id_kind;  // "bwb", "celex" or "" (guidance and other sources)
  std::string id;
  std::string url;
  SourceRange range;
};

/// One value of an enum, with an optional label.
struct EnumValue {
  Name name;
  std::string label;
  SourceRange range;
};

/// `enum request_kind { hours "arbeidsduur", ... }`.
struct EnumDecl {
  Name name;
  std::vector<EnumValue> values;
  SourceRange range;
};

/// A field of an entity.
struct FieldDecl {
  Name name;
  bool optional = false;
  TypeRef type;
  std::vector<LangText> ask;  // the question the self-check asks when the fact is unknown
  std::string open_norm;      // non-empty: an open norm a person must weigh (the field is an assessment)
  SourceRange range;
};

/// `entity work_day part of employee { ... }`.
struct EntityDecl {
  Name name;
  Name part_of;  // empty text when the entity stands alone
  bool closed = false;  // `closed`: a fact left out is known to be absent (a document says what it says)
  std::vector<FieldDecl> fields;
  SourceRange range;
};

/// `extend employee { ... }`: more fields for an entity declared elsewhere,
/// so each act's file declares the facts it needs.
struct ExtendDecl {
  Name entity;
  std::vector<FieldDecl> fields;
  SourceRange range;
};

/// `from 2024-01-01 to 2024-12-31 = €2.35 source "..."`.
struct ParamValue {
  Name from;  // date text
  Name to;    // date text, empty when open-ended
  ExprId value = kNoExpr;
  std::string source;
  std::vector<Citation> cites;
  SourceRange range;
};

/// `parameter wfw.decision_lead : duration ...`.
struct ParamDecl {
  Name name;
  TypeRef type;
  std::vector<LangText> title;
  std::vector<Citation> cites;
  std::vector<ParamValue> values;
  SourceRange range;
};

/// `define deadline of request r : date = ...`: a derived fact.
struct DefineDecl {
  Name name;
  Name entity;
  Name var;
  TypeRef type;
  std::vector<Citation> cites;
  ExprId body = kNoExpr;
  SourceRange range;
};

/// How a rule ranges over its subjects.
struct Binding {
  enum class Kind : uint8_t {
    kEntity,       // request r
    kEach,         // each d in e.days
    kConsecutive,  // each consecutive (a, b) in e.days by date
    kGroup,        // each week w in e.days by date  (week, month, year, day)
    kPeriod,       // each period w of 16 weeks in e.days by date
  };
  Kind kind = Kind::kEntity;
  Name type;                     // kEntity: the entity type
  Name var;                      // bound variable
  Name var2;                     // kConsecutive: the second variable
  std::string group;             // kGroup: "week", "month", "year", "day"; kPeriod: "weeks" or "months"
  int32_t count = 0;             // kPeriod: number of weeks or months
  ExprId collection = kNoExpr;   // the collection, for all but kEntity
  Name by;                       // the date field that orders or groups the collection
  SourceRange range;
};

/// `expect violation wfw.x on requests[0] missing requests[0].decided_on`.
struct Expectation {
  bool absent = false;    // `expect no RULE`
  std::string kind;       // finding kind, empty for `expect no`
  Name rule;
  std::string subject;    // JSON path of the subject, empty: any
  std::vector<std::string> missing;
  SourceRange range;
};

/// `scenario "..." as of DATE facts {...} expect ...`.
struct ScenarioDecl {
  std::string title;
  Name as_of;
  std::string facts_json;    // inline JSON object, as written
  SourceRange facts_range;
  std::string facts_file;    // or a file path relative to the .norm file
  std::vector<Expectation> expectations;
  SourceRange range;
};

/// A rule: a norm that produces findings, or an exception to another rule.
struct RuleDecl {
  enum class Action : uint8_t { kDeclare, kReplace };  // kReplace only inside amendments
  Action action = Action::kDeclare;
  Name id;
  Name exception_to;  // empty: not an exception
  std::vector<LangText> title;
  std::string kind;      // violation, conflict, gap, risk, review, info; empty for pure exceptions
  std::string severity;  // critical, high, medium, low, info
  std::vector<Citation> cites;
  Name valid_from;
  Name valid_to;
  ExprId judged_on = kNoExpr;      // the date whose law judges the subject
  std::vector<Name> deviable_by;   // sources that may deviate from this norm
  ExprId source = kNoExpr;         // the judged document's source level
  std::vector<Name> priority_over; // exceptions this one prevails over
  Name concludes;                  // a named conclusion (for contradiction analysis)
  bool concludes_value = true;
  std::vector<Binding> bindings;
  ExprId when = kNoExpr;
  std::vector<ExprId> unless;
  std::vector<LangText> message;
  std::vector<LangText> remedy;
  SourceRange range;
};

/// `amendment wwjw.introduced title ... kamerstuk "35714 nr. 2" version introduced effective DATE`.
struct AmendmentDecl {
  Name id;
  std::vector<LangText> title;
  std::string kamerstuk;
  std::string version;  // introduced, amended, passed, enacted
  Name effective;
  SourceRange range;
};

/// `repeal wfw.x`: the rule ends the day before the amendment takes effect.
struct RepealDecl {
  Name rule;
  SourceRange range;
};

/// `set wfw.x from DATE = value`: new dated values for an existing parameter.
struct SetDecl {
  Name param;
  std::vector<ParamValue> values;
  SourceRange range;
};

/// A top-level item.
using Item = std::variant<ActDecl, EnumDecl, EntityDecl, ExtendDecl, ParamDecl, DefineDecl, RuleDecl, ScenarioDecl,
                          AmendmentDecl, RepealDecl, SetDecl>;

/// A `//` comment, kept so the formatter can put it back.
struct Comment {
  SourceRange range;
  std::string text;  // including the slashes
  bool own_line = true;  // false when code precedes it on its line
};

/// The syntax tree of one file.
struct SyntaxTree {
  const Source* source = nullptr;
  std::vector<Item> items;
  std::vector<Expr> exprs;
  std::vector<Comment> comments;

  const Expr& expr(ExprId id) const { return exprs[id]; }
};

/// Range of any item.
SourceRange ItemRange(const Item& item);

}  // namespace nw::dsl
