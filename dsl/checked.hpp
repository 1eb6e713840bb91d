// The checked rule set: names resolved to ids, every expression typed, dates
// parsed, exceptions linked and definitions ordered in strata. It is immutable
// once built and is what the engine lowers; no parse-tree type appears here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/support/source.hpp"
#include "dsl/support/values/date.hpp"
#include "dsl/syntax.hpp"

namespace nw::dsl {

/// The kinds of value the language knows.
enum class TypeKind : uint8_t {
  kError,       // a type error was reported; suppresses follow-on errors
  kBool,
  kInteger,
  kDecimal,     // exact rational
  kMoney,       // integer cents
  kPercentage,  // exact rational fraction (25 % = 1/4)
  kDate,
  kDateTime,
  kTime,        // time of day
  kDuration,    // calendar: months and days
  kTimeSpan,    // clock: minutes
  kText,
  kCountry,     // ISO 3166-1 alpha-2
  kEnum,        // id: enum index
  kEntity,      // id: entity index (a reference to one row)
  kList,        // id: entity index (a collection of rows)
  kSet,         // id: enum index (a set of enum values)
  kGroup,       // id: entity index (a window or group of rows, with start and end dates)
};

/// A type: a kind and, for enums, entities and collections, which one.
struct Type {
  TypeKind kind = TypeKind::kError;
  uint32_t id = 0;
  bool operator==(const Type&) const = default;
};

/// A value of a known type, in the representation the engine uses:
///   bool, integer, enum, entity: a; money: a = cents; date: a = days since 1970-01-01;
///   datetime: a = minutes since 1970-01-01T00:00; time: a = minutes since midnight;
///   timespan: a = minutes; duration: a = months, b = days; decimal, percentage: a/b (b > 0);
///   country: a = two ASCII letters packed ('N' << 8 | 'L'); text: a = index into CheckedRuleSet::texts;
///   set: a = bit mask of enum values (enums have at most 64 values).
struct Value {
  int64_t a = 0;
  int64_t b = 0;
  bool operator==(const Value&) const = default;
};

/// Built-in enum of legal sources, highest first (lex superior order).
enum class SourceLevel : uint8_t { kLaw, kCao, kWorksAgreement, kIndividual, kPolicy };
/// Enum index of `source_level` in every rule set.
inline constexpr uint32_t kSourceLevelEnum = 0;

/// Finding kinds, as rules declare them; the engine adds kUndetermined.
enum class FindingKind : uint8_t { kViolation, kConflict, kGap, kRisk, kReview, kInfo, kUndetermined };
/// Severity, lowest first.
enum class SeverityLevel : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };

/// Text of a finding kind ("violation").
const char* FindingKindName(FindingKind k);
/// Text of a severity ("high").
const char* SeverityName(SeverityLevel s);
/// Parses a finding kind; nullopt when unknown.
std::optional<FindingKind> ParseFindingKind(std::string_view s);
/// Parses a severity; nullopt when unknown.
std::optional<SeverityLevel> ParseSeverity(std::string_view s);

/// An act (or other source of norms) that citations point into.
struct ActInfo {
  std::string name;
  std::string title;
  std::string id_kind;  // "bwb", "celex" or ""
  std::string id;
  std::string url;
  const Source* source = nullptr;
  SourceRange range;
};

/// A resolved citation.
struct CitationInfo {
  uint32_t act = 0;
  std::string article;
  std::string lid;
  std::string sub;
  SourceRange range;
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> values;
  std::vector<std::string> labels;
  const Source* source = nullptr;
  SourceRange range;
};

/// A field of an entity: a fact from the input or a derived fact (definition).
struct FieldInfo {
  std::string name;
  Type type;
  bool optional = false;
  int32_t definition = -1;  // index into CheckedRuleSet::definitions when derived
  std::vector<LangText> ask;
  std::string open_norm;    // non-empty: an open norm; unknown means a person must weigh it
  const Source* source = nullptr;
  SourceRange range;
};

struct EntityInfo {
  std::string name;
  int32_t owner = -1;          // the entity whose collection holds this one; -1 for the root
  int32_t owner_field = -1;    // the field of the owner that holds it
  bool closed = false;         // a fact left out of a document is known to be absent, not unknown
  std::vector<FieldInfo> fields;
  const Source* source = nullptr;
  SourceRange range;
};

/// Index of the root entity (`case`): the top level of a facts document.
inline constexpr uint32_t kNoEntity = UINT32_MAX;

/// One dated value of a parameter: [from, to] inclusive.
struct ParamVersion {
  Date from;
  std::optional<Date> to;
  Value value;
  std::string source_note;
  std::vector<CitationInfo> cites;
  SourceRange range;
};

struct ParamInfo {
  std::string name;
  Type type;
  std::vector<LangText> title;
  std::vector<CitationInfo> cites;
  std::vector<ParamVersion> versions;  // INVARIANT: sorted by from, not overlapping
  const Source* source = nullptr;
  SourceRange range;
};

/// Checked expression operations.
enum class Op : uint8_t {
  kLiteral,   // literal
  kParam,     // index: parameter; value as of the evaluation date
  kVar,       // index: variable
  kField,     // args[0].field; index: field index in the entity of args[0]
  kOwner,     // the owning row of args[0] (e.g. d.employee)
  kGroupStart,  // first date of a group or window args[0]
  kGroupEnd,    // last date of a group or window args[0]
  kNot, kNeg, kAnd, kOr,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kIn,        // args[0] in args[1] (a set value or set literal)
  kAdd, kSub, kMul, kDiv,
  kAt,        // date at time -> datetime
  kParamOn,   // index: parameter; args[0]: the date on which its value is read
  kIsKnown, kIsNone, kIsUnknown,
  kIf,
  kCall,      // index: builtin function
  kAggregate, // aggregate: fn; index: variable; args: collection, value or kNoExpr, filter or kNoExpr
  kSetLit,    // args: enum-valued literals
};

/// Built-in functions.
enum class Builtin : uint8_t {
  kMin, kMax, kAbs, kYear, kMonth, kDay, kWeekday, kDaysBetween, kWeeksBetween, kMonthsBetween, kYearsBetween,
  kDateOf, kTimeOf, kHours, kStartOfYear, kEndOfYear, kStartOfMonth, kEndOfMonth, kDate, kPrevails,
  kToPercentage, kWorkEnd, kAsOf,
};

/// Name of a built-in ("days_between").
const char* BuiltinName(Builtin b);

/// One typed expression node.
struct CExpr {
  Op op = Op::kLiteral;
  Type type;
  Value literal;
  uint32_t index = 0;
  AggregateFn aggregate = AggregateFn::kCount;
  std::vector<uint32_t> args;
  SourceRange range;
};

/// A variable bound by a subject clause, a definition or an aggregate.
struct VarInfo {
  std::string name;
  Type type;
  SourceRange range;
};

/// A subject clause, checked.
struct CBinding {
  Binding::Kind kind = Binding::Kind::kEntity;
  uint32_t var = 0;
  uint32_t var2 = 0;           // kConsecutive
  uint32_t entity = 0;         // the entity the variable ranges over (for groups: the items' entity)
  uint32_t collection = UINT32_MAX;  // expression id of the collection
  uint32_t by_field = 0;       // field index (a date) that orders or groups
  std::string group;           // week, month, year, day; kPeriod: weeks or months
  int32_t count = 0;
  SourceRange range;
};

/// A message or remedy in one language: literal pieces and interpolated expressions.
struct Template {
  std::string lang;
  std::vector<std::string> pieces;  // pieces.size() == holes.size() + 1
  std::vector<uint32_t> holes;      // expression ids
};

/// A derived fact: a field computed for each row of an entity.
struct DefinitionInfo {
  std::string name;
  uint32_t entity = 0;
  uint32_t field = 0;   // the derived field's index in the entity
  uint32_t var = 0;
  Type type;
  std::vector<CitationInfo> cites;
  uint32_t body = UINT32_MAX;  // UINT32_MAX when the definition could not be checked
  uint32_t stratum = 0;
  const Source* source = nullptr;
  SourceRange range;
};

/// A rule version.
struct RuleInfo {
  std::string id;
  int32_t exception_to = -1;  // rule index (the version valid at the same time is chosen by the engine)
  std::string exception_to_id;
  std::vector<LangText> title;
  bool produces_finding = true;  // false for pure exceptions (no kind)
  FindingKind kind = FindingKind::kInfo;
  SeverityLevel severity = SeverityLevel::kInfo;
  std::vector<CitationInfo> cites;
  Date valid_from;
  std::optional<Date> valid_to;  // inclusive
  uint32_t judged_on = UINT32_MAX;  // date expression: the version in force on it judges the subject
  uint32_t deviable_by = 0;      // bit mask of SourceLevel values that may deviate
  uint32_t source_expr = UINT32_MAX;  // the judged document's source level
  std::vector<std::string> priority_over;
  std::string concludes;
  bool concludes_value = true;
  std::vector<CBinding> bindings;
  uint32_t when = UINT32_MAX;
  std::vector<uint32_t> unless;
  std::vector<Template> message;
  std::vector<Template> remedy;
  std::vector<uint32_t> vars;   // the subject variables, in binding order
  std::string amended_by;       // amendment id when this version comes from an amendment
  const Source* source = nullptr;
  SourceRange range;
};

/// An expected finding in a scenario.
struct ExpectationInfo {
  bool absent = false;
  std::optional<FindingKind> kind;
  std::string rule;
  std::string subject;
  std::vector<std::string> missing;
  SourceRange range;
};

struct ScenarioInfo {
  std::string title;
  Date as_of;
  std::string facts_json;
  std::string facts_file;  // resolved against the .norm file's folder
  SourceRange facts_range;
  std::vector<ExpectationInfo> expectations;
  const Source* source = nullptr;
  SourceRange range;
};

/// An amendment applied to the rule set (see docs/language.md, amendments).
struct AmendmentInfo {
  std::string id;
  std::vector<LangText> title;
  std::string kamerstuk;
  std::string version;
  Date effective;
  const Source* source = nullptr;
  SourceRange range;
};

/// The checked rule set.
struct CheckedRuleSet {
  std::vector<ActInfo> acts;
  std::vector<EnumInfo> enums;
  std::vector<EntityInfo> entities;
  uint32_t root = kNoEntity;  // the `case` entity
  std::vector<ParamInfo> params;
  std::vector<DefinitionInfo> definitions;  // sorted by stratum
  std::vector<RuleInfo> rules;              // sorted by id, then valid_from
  std::vector<ScenarioInfo> scenarios;
  std::vector<AmendmentInfo> amendments;
  std::vector<CExpr> exprs;
  std::vector<VarInfo> vars;
  std::vector<std::string> texts;  // text literals
  std::string hash;                // of the canonical text of every file, for run records

  const CExpr& expr(uint32_t id) const { return exprs[id]; }
  /// Index of an entity by name, or -1.
  int32_t FindEntity(std::string_view name) const;
  /// Index of an enum by name, or -1.
  int32_t FindEnum(std::string_view name) const;
  /// Index of a field of an entity by name, or -1.
  int32_t FindField(uint32_t entity, std::string_view name) const;
  /// Index of a parameter by name, or -1.
  int32_t FindParam(std::string_view name) const;
};

/// Human name of a type ("date", "list of work_day").
std::string TypeName(const CheckedRuleSet& rs, Type t);

/// "Wfw art. 2 lid 12" style text of a citation.
std::string CitationText(const CheckedRuleSet& rs, const CitationInfo& c);
/// Juriconnect or EUR-Lex link of a citation, or the act's url.
std::string CitationUrl(const CheckedRuleSet& rs, const CitationInfo& c);

}  // namespace nw::dsl
