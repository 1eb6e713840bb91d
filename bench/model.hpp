// The benchmark's data in plain structs: W1 (one Wfw request and its fixed
// allowances per case) and W2 (work logs of one employer). The generator
// writes them, the baseline evaluates them and parses its text formats back
// into them. Every optional fact carries its state: known, none (JSON null,
// CSV `null`) or unknown (left out, CSV empty cell), as in the rule language.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nw::bench {

/// The state of a fact, with the rule language's meaning.
enum class Has : uint8_t { kKnown = 0, kNone = 1, kUnknown = 2 };

/// An optional fact: a value and whether it is known, known to be absent or unknown.
template <class T>
struct Fact {
  T v{};
  Has has = Has::kUnknown;
  static Fact Known(T value) { return Fact{value, Has::kKnown}; }
  static Fact None() { return Fact{T{}, Has::kNone}; }
  bool known() const { return has == Has::kKnown; }
};

// Enum values in declaration order of rules/schema.norm and rules/wkr/wkr.norm
// (the generator checks them against the loaded rules).
enum RequestKind : uint8_t { kHours = 0, kTimes = 1, kPlace = 2, kPredictable = 3 };
enum DecisionValue : uint8_t { kGranted = 0, kRefused = 1, kPartly = 2 };
enum LocationValue : uint8_t { kHome = 0, kOffice = 1, kElsewhere = 2 };
enum AllowanceKind : uint8_t { kHomeWorking = 0, kCommuting = 1 };
enum A1Basis : uint8_t { kMultiState = 0, kFramework = 1, kPosting = 2 };

/// A country as the engine stores it: the two letters of its ISO code.
constexpr uint16_t Country(const char (&code)[3]) {
  return static_cast<uint16_t>((static_cast<uint8_t>(code[0]) << 8) | static_cast<uint8_t>(code[1]));
}

/// The rules of W1, in the order of the baseline's tallies (README: why these).
inline std::vector<std::string> W1Rules() {
  return {"wfw.aow_age_excluded",
          "wfw.service_too_short",
          "wfw.request_too_late",
          "wfw.request_not_written",
          "wfw.repeat_too_soon",
          "wfw.small_employer",
          "wfw.cao_regime",
          "wfw.decision_too_late",
          "wfw.refusal_without_weighty_interest",
          "wfw.refusal_without_reasons",
          "wfw.refusal_without_consultation",
          "wfw.place_not_considered",
          "wfw.predictable_service_too_short",
          "wfw.predictable_reply_late",
          "wfw.predictable_no_reasons",
          "wkr.fixed_allowance_excess"};
}

/// The rules of W2 (README: why these).
inline std::vector<std::string> W2Rules() {
  return {"atw.daily_rest_too_short",
          "atw.shift_too_long",
          "atw.week_too_long",
          "wkr.home_and_commuting_same_day",
          "ss.residence_state_legislation",
          "ss.employer_state_legislation",
          "fa.telework_share_too_high",
          "fa.request_available"};
}

// ---------------------------------------------------------------------------
// W1: individual arrangements. One JSON case per arrangement: an employer, one
// employee, one request under the Wfw and up to two fixed allowances (wkr).

/// A fixed (lump-sum) allowance for a period within 2024.
struct W1Allowance {
  AllowanceKind kind = kHomeWorking;
  int32_t period_start = 0;
  int32_t period_end = 0;
  int32_t days_per_week = 5;
  int64_t exempt_cents = 0;
  Fact<int32_t> km_tenths;  // km_per_day in tenths of a kilometre
  Fact<bool> cost_study;
};

/// One arrangement.
struct W1Case {
  int32_t headcount = 0;
  int32_t start_date = 0;
  Fact<bool> aow_age_reached;
  RequestKind kind = kHours;
  int32_t submitted_on = 0;
  int32_t desired_start = 0;
  Fact<bool> written;
  Fact<int32_t> decided_on;
  Fact<uint8_t> decision;  // DecisionValue
  Fact<bool> consulted;
  Fact<bool> reasons_given;
  Fact<bool> weighty_interest;
  Fact<bool> unforeseen;
  Fact<int32_t> previous_decision_on;
  Fact<bool> increase;
  Fact<bool> cao_deviation;
  Fact<bool> place_considered;
  uint8_t allowance_count = 0;
  W1Allowance allowances[2];
};

// ---------------------------------------------------------------------------
// W2: work logs. One employer (seat in the Netherlands), its employees with
// residence and A1 certificates, and one record per employee per calendar day.

/// One work-log record. Times are minutes after midnight, money in cents.
struct W2Day {
  int32_t date = 0;
  int16_t start = 0;
  int16_t end = 0;
  int16_t break_minutes = 0;
  uint16_t country = 0;
  int32_t home_cents = 0;
  int32_t travel_cents = 0;
  uint8_t location = 0;  // LocationValue
  bool business_trip = false;
  Has start_has = Has::kUnknown;
  Has end_has = Has::kUnknown;
  Has break_has = Has::kUnknown;
  Has country_has = Has::kUnknown;
  Has home_has = Has::kUnknown;
  Has travel_has = Has::kUnknown;
  Has location_has = Has::kUnknown;
  Has business_trip_has = Has::kUnknown;
};

/// An A1 certificate of an employee.
struct W2A1 {
  A1Basis basis = kFramework;
  uint16_t legislation_country = 0;
  int32_t valid_from = 0;
  Fact<int32_t> valid_to;
};

/// An employee and the range of its records in W2Data::days.
struct W2Employee {
  std::string id;
  int32_t start_date = 0;
  Fact<int32_t> birth_date;
  Fact<uint16_t> residence;
  Fact<uint16_t> ss_country;
  std::vector<W2A1> a1;
  uint32_t first_day = 0;  // index into W2Data::days
  uint32_t day_count = 0;  // INVARIANT: the records of an employee are contiguous and sorted by date
};

/// An employer's work logs.
struct W2Data {
  int32_t headcount = 0;
  uint16_t seat_country = Country("NL");
  std::vector<W2Employee> employees;
  std::vector<W2Day> days;
};

}  // namespace nw::bench
