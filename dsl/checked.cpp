// Names and texts for the checked rule set: types, kinds, citations.
#include "dsl/checked.hpp"

#include <array>

namespace nw::dsl {
namespace {

constexpr std::array kKinds = {"violation", "conflict", "gap", "risk", "review", "info", "undetermined"};
constexpr std::array kSeverities = {"info", "low", "medium", "high", "critical"};
constexpr std::array kBuiltins = {"min",   "max",         "abs",           "year",          "month",
                                  "day",   "weekday",     "days_between",  "weeks_between", "months_between",
                                  "years_between", "date_of", "time_of",   "hours",         "start_of_year",
                                  "end_of_year", "start_of_month", "end_of_month", "date",  "prevails",
                                  "percentage", "work_end", "as_of"};

}  // namespace

const char* FindingKindName(FindingKind k) { return kKinds[static_cast<size_t>(k)]; }
const char* SeverityName(SeverityLevel s) { return kSeverities[static_cast<size_t>(s)]; }
const char* BuiltinName(Builtin b) { return kBuiltins[static_cast<size_t>(b)]; }

std::optional<FindingKind> ParseFindingKind(std::string_view s) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (s == kKinds[i]) return static_cast<FindingKind>(i);
  }
  return std::nullopt;
}

std::optional<SeverityLevel> ParseSeverity(std::string_view s) {
  for (size_t i = 0; i < kSeverities.size(); ++i) {
    if (s == kSeverities[i]) return static_cast<SeverityLevel>(i);
  }
  return std::nullopt;
}

int32_t CheckedRuleSet::FindEntity(std::string_view name) const {
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t CheckedRuleSet::FindEnum(std::string_view name) const {
  for (size_t i = 0; i < enums.size(); ++i) {
    if (enums[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t CheckedRuleSet::FindField(uint32_t entity, std::string_view name) const {
  const auto& fields = entities[entity].fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t CheckedRuleSet::FindParam(std::string_view name) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

std::string TypeName(const CheckedRuleSet& rs, Type t) {
  switch (t.kind) {
    case TypeKind::kError: return "an invalid value";
    case TypeKind::kBool: return "`bool`";
    case TypeKind::kInteger: return "`integer`";
    case TypeKind::kDecimal: return "`decimal`";
    case TypeKind::kMoney: return "`money`";
    case TypeKind::kPercentage: return "`percentage`";
    case TypeKind::kDate: return "`date`";
    case TypeKind::kDateTime: return "`datetime`";
    case TypeKind::kTime: return "`time`";
    case TypeKind::kDuration: return "`duration`";
    case TypeKind::kTimeSpan: return "`timespan`";
    case TypeKind::kText: return "`text`";
    case TypeKind::kCountry: return "`country`";
    case TypeKind::kEnum: return "`" + rs.enums[t.id].name + "`";
    case TypeKind::kEntity: return "`" + rs.entities[t.id].name + "`";
    case TypeKind::kList: return "`list of " + rs.entities[t.id].name + "`";
    case TypeKind::kSet: return "`set of " + rs.enums[t.id].name + "`";
    case TypeKind::kGroup: return "a group of `" + rs.entities[t.id].name + "`";
  }
  return "?";
}

std::string CitationText(const CheckedRuleSet& rs, const CitationInfo& c) {
  const ActInfo& act = rs.acts[c.act];
  std::string s = act.title;
  if (c.article.empty()) return s;
  s += ", art. " + c.article;
  if (act.id_kind == "celex") {
    if (!c.lid.empty()) s += "(" + c.lid + ")";
    if (!c.sub.empty()) s += "(" + c.sub + ")";
  } else {
    if (!c.lid.empty()) s += " lid " + c.lid;
    if (!c.sub.empty()) s += " sub " + c.sub;
  }
  return s;
}

std::string CitationUrl(const CheckedRuleSet& rs, const CitationInfo& c) {
  const ActInfo& act = rs.acts[c.act];
  if (act.id_kind == "bwb") {
    std::string u = "https://wetten.overheid.nl/jci1.3:c:" + act.id;
    if (!c.article.empty()) u += "&artikel=" + c.article;
    if (!c.lid.empty()) u += "&lid=" + c.lid;
    return u;
  }
  if (act.id_kind == "celex") return "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:" + act.id;
  return act.url;
}

}  // namespace nw::dsl
