// Value formatting for messages, explanations and output formats.
#include "engine/format.hpp"

#include "dsl/support/values/country.hpp"
#include "dsl/support/values/date.hpp"
#include "dsl/support/values/date_time.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/percentage.hpp"
#include "dsl/support/values/rational.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"

namespace nw::engine {
namespace {

using dsl::TypeKind;

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 || n == -1 ? one : many);
}

// Durations and spans in Dutch ("1 maand", "26 weken", "9 uur 30 minuten").
std::string DutchDuration(int64_t months, int64_t days) {
  std::string s;
  if (months != 0) s = months % 12 == 0 ? Plural(months / 12, "jaar", "jaar") : Plural(months, "maand", "maanden");
  if (days != 0 || months == 0) {
    if (!s.empty()) s += " ";
    s += (days % 7 == 0 && days != 0) ? Plural(days / 7, "week", "weken") : Plural(days, "dag", "dagen");
  }
  return s;
}

std::string DutchSpan(int64_t minutes) {
  int64_t m = minutes < 0 ? -minutes : minutes;
  std::string s;
  if (minutes < 0) s += '-';
  if (m / 60 != 0) {
    s += std::to_string(m / 60);
    s += " uur";
  }
  if (m % 60 != 0 || m == 0) {
    if (m / 60 != 0) s += ' ';
    s += Plural(m % 60, "minuut", "minuten");
  }
  return s;
}

std::string RationalText(int64_t a, int64_t b) {
  auto r = Rational::Make(a, b == 0 ? 1 : b);
  return r ? r->ToString() : "?";
}

}  // namespace

std::string CanonicalValue(const dsl::CheckedRuleSet& rules, const FactStore* facts, dsl::Type type, int64_t a,
                           int64_t b, State state) {
  if (state == State::kUnknown) return "unknown";
  if (state == State::kNone) return "none";
  if (state == State::kError) return "error";
  switch (type.kind) {
    case TypeKind::kBool: return a ? "true" : "false";
    case TypeKind::kInteger: return std::to_string(a);
    case TypeKind::kDecimal: return RationalText(a, b);
    case TypeKind::kMoney: return Money::FromCents(a).ToString();
    case TypeKind::kPercentage: {
      auto r = Rational::Make(a, b == 0 ? 1 : b);
      return r ? Percentage::FromFraction(*r).ToString() : "?";
    }
    case TypeKind::kDate: {
      auto d = Date::FromDaysSinceEpoch(a);
      return d ? d->ToString() : "?";
    }
    case TypeKind::kDateTime: {
      auto d = DateTime::FromMinutesSinceEpoch(a);
      return d ? d->ToString() : "?";
    }
    case TypeKind::kTime: {
      auto t = TimeOfDay::FromMinutes(static_cast<int>(a), true);
      return t ? t->ToString() : "?";
    }
    case TypeKind::kDuration: return Duration::FromParts(static_cast<int32_t>(a), static_cast<int32_t>(b)).ToString();
    case TypeKind::kTimeSpan: return TimeSpan::Minutes(a).ToString();
    case TypeKind::kText: return facts ? facts->Text(a) : (a < static_cast<int64_t>(rules.texts.size()) ? rules.texts[a] : "?");
    case TypeKind::kCountry: return std::string{static_cast<char>(a >> 8), static_cast<char>(a & 0xff)};
    case TypeKind::kEnum: return a >= 0 && a < static_cast<int64_t>(rules.enums[type.id].values.size()) ? rules.enums[type.id].values[a] : "?";
    case TypeKind::kSet: {
      std::string s;
      const auto& vals = rules.enums[type.id].values;
      for (size_t i = 0; i < vals.size(); ++i) {
        if ((a >> i) & 1) s += (s.empty() ? "" : ", ") + vals[i];
      }
      return "{" + s + "}";
    }
    default: return "";
  }
}

std::string FormatValue(const dsl::CheckedRuleSet& rules, const FactStore* facts, dsl::Type type, int64_t a,
                        int64_t b, State state, Language lang) {
  bool nl = lang == Language::kNl;
  if (state == State::kUnknown) return nl ? "onbekend" : "unknown";
  if (state == State::kNone) return nl ? "geen" : "none";
  if (state == State::kError) return nl ? "fout" : "error";
  Lang l = nl ? Lang::kNl : Lang::kEn;
  switch (type.kind) {
    case TypeKind::kBool: return a ? (nl ? "ja" : "yes") : (nl ? "nee" : "no");
    case TypeKind::kMoney: return Money::FromCents(a).Format(l);
    case TypeKind::kDate: {
      auto d = Date::FromDaysSinceEpoch(a);
      return d ? d->Format(l) : "?";
    }
    case TypeKind::kDateTime: {
      auto d = DateTime::FromMinutesSinceEpoch(a);
      if (!d) return "?";
      return d->date().Format(l) + " " + d->time().ToString();
    }
    case TypeKind::kDuration:
      if (nl) return DutchDuration(a, b);
      break;
    case TypeKind::kTimeSpan:
      if (nl) return DutchSpan(a);
      break;
    case TypeKind::kDecimal:
      if (nl) {
        std::string s = RationalText(a, b);
        for (char& c : s) if (c == '.') c = ',';
        return s;
      }
      break;
    case TypeKind::kPercentage:
      if (nl) {
        std::string s = CanonicalValue(rules, facts, type, a, b, state);
        for (char& c : s) if (c == '.') c = ',';
        return s;
      }
      break;
    case TypeKind::kEnum:
      if (nl && a >= 0 && a < static_cast<int64_t>(rules.enums[type.id].labels.size()) &&
          !rules.enums[type.id].labels[a].empty()) {
        return rules.enums[type.id].labels[a];
      }
      break;
    case TypeKind::kCountry: {
      std::string code = CanonicalValue(rules, facts, type, a, b, state);
      return std::string(CountryName(code, l));
    }
    default: break;
  }
  return CanonicalValue(rules, facts, type, a, b, state);
}

}  // namespace nw::engine
