// The hand-written baseline (see baseline.hpp). Three-valued logic as in
// docs/semantics.md §1: a fact known to be absent makes a comparison false
// (`!=` true), an unknown one makes it unknown; `and`/`or` are Kleene's.
// A rule's outcome (semantics §2): false condition, nothing; an exception that
// applies, nothing; an unknown condition or exception, undetermined (a review
// when a missing fact is an open norm); otherwise the rule's finding.
//
// The parameter values are those in force in 2024 (the generator keeps every
// date in 2024): the baseline refuses data outside that year.
#include "bench/baseline.hpp"

#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <simdjson.h>

#include "bench/calendar.hpp"

namespace nw::bench {
namespace {

// ---------------------------------------------------------------------------
// Three-valued logic.

enum Tri : uint8_t { kF = 0, kT = 1, kU = 2 };

constexpr Tri B(bool b) { return b ? kT : kF; }
constexpr Tri And(Tri a, Tri b) { return a == kF || b == kF ? kF : (a == kU || b == kU ? kU : kT); }
constexpr Tri Or(Tri a, Tri b) { return a == kT || b == kT ? kT : (a == kU || b == kU ? kU : kF); }
constexpr Tri Not(Tri a) { return a == kU ? kU : (a == kT ? kF : kT); }

/// `fact <op> x` for a fact that may be none (false) or unknown.
template <class T, class Pred>
Tri Cmp(const Fact<T>& f, Pred pred) {
  return f.has == Has::kKnown ? B(pred(f.v)) : (f.has == Has::kNone ? kF : kU);
}
/// `fact = true`
inline Tri IsTrue(const Fact<bool>& f) { return Cmp(f, [](bool v) { return v; }); }
/// `fact = false`
inline Tri IsFalse(const Fact<bool>& f) { return Cmp(f, [](bool v) { return !v; }); }
/// `not fact` (a bool known to be absent counts as false)
inline Tri NotFact(const Fact<bool>& f) { return f.has == Has::kKnown ? B(!f.v) : (f.has == Has::kNone ? kT : kU); }
/// `a != b` of two facts: unknown wins, then none (true), then the values.
inline Tri Ne(Has ha, uint16_t a, Has hb, uint16_t b) {
  if (ha == Has::kUnknown || hb == Has::kUnknown) return kU;
  if (ha == Has::kNone || hb == Has::kNone) return kT;
  return B(a != b);
}
/// `a = b` of two facts.
inline Tri Eq(Has ha, uint16_t a, Has hb, uint16_t b) {
  if (ha == Has::kUnknown || hb == Has::kUnknown) return kU;
  if (ha == Has::kNone || hb == Has::kNone) return kF;
  return B(a == b);
}

/// Counts one subject's outcome. `exception` is the disjunction of the rule's
/// plain exceptions (none of them has a finding of its own).
inline void Decide(Tally& t, size_t rule, Kind kind, Tri condition, Tri exception, bool review) {
  if (condition == kF || exception == kT) return;
  if (condition == kU || exception == kU) {
    t.Add(rule, review ? Kind::kReview : Kind::kUndetermined);
    return;
  }
  t.Add(rule, kind);
}

/// Money times a fraction num/den (den > 0), rounded half away from zero to the cent.
inline int64_t MulRound(int64_t cents, int64_t num, int64_t den) {
  int64_t p = cents * num;
  return p >= 0 ? (2 * p + den) / (2 * den) : -((-2 * p + den) / (2 * den));
}

constexpr int32_t kYearStart = DaysFromCivil(2024, 1, 1);
constexpr int32_t kYearEnd = DaysFromCivil(2024, 12, 31);

[[noreturn]] void OutsideYear(const char* what) {
  throw std::runtime_error(std::string("the baseline knows the parameters of 2024 only; ") + what + " is outside it");
}

inline void RequireYear(int32_t day, const char* what) {
  if (day < kYearStart || day > kYearEnd) [[unlikely]] OutsideYear(what);
}

// Wfw and wkr values in force in 2024 (rules/wfw/wfw.norm, predictable.norm, rules/wkr/wkr.norm).
constexpr int32_t kMinServiceDays = 182;        // wfw.min_service, wfw.predictable_min_service: 26 weeks
constexpr int32_t kRequestLeadMonths = 2;       // wfw.request_lead
constexpr int32_t kRepeatWaitMonths = 12;       // wfw.repeat_wait: 1 year
constexpr int32_t kDecisionLeadMonths = 1;      // wfw.decision_lead
constexpr int32_t kSmallEmployer = 10;          // wfw.small_employer_threshold
constexpr int32_t kReplyMonths = 1;             // wfw.predictable_reply
constexpr int32_t kReplyMonthsSmall = 3;        // wfw.predictable_reply_small
constexpr int64_t kFixedBaseDays = 214;         // wkr.fixed_base_days
constexpr int64_t kFullWeekDays = 5;            // wkr.full_week_days
constexpr int64_t kHomeAllowanceMax = 235;      // wkr.home_allowance_max 2024, cents
constexpr int64_t kTravelPerKmMax = 23;         // wkr.travel_per_km_max 2024, cents

// ATW, wkr and cross-border values in force in 2024 (rules/atw/atw.norm, rules/crossborder/crossborder.norm).
constexpr int64_t kDailyRest = 11 * 60;         // atw.daily_rest
constexpr int64_t kDailyRestReduced = 8 * 60;   // atw.daily_rest_reduced
constexpr int64_t kReductionWindow = 168 * 60;  // atw.reduction_window
constexpr int64_t kMaxShift = 12 * 60;          // atw.max_shift
constexpr int64_t kMaxWeek = 60 * 60;           // atw.max_week
constexpr int64_t kNightFrom = 0, kNightTo = 6 * 60;  // atw.night_from, atw.night_to
constexpr int64_t kNightThreshold = 60;         // atw.night_threshold
constexpr int64_t kNightLateEnd = 2 * 60;       // atw.night_late_end
constexpr int32_t kYoungAge = 16, kAdultAge = 18;  // atw.young_age, atw.adult_age
// ss.substantial_share 25 %, fa.telework_share_max 50 % (compared as integer fractions below).

/// Regulation 883/2004 area (define reg883_residence).
bool InReg883(uint16_t c) {
  switch (c) {
    case Country("AT"): case Country("BE"): case Country("BG"): case Country("CY"): case Country("CZ"):
    case Country("DE"): case Country("DK"): case Country("EE"): case Country("ES"): case Country("FI"):
    case Country("FR"): case Country("GR"): case Country("HR"): case Country("HU"): case Country("IE"):
    case Country("IT"): case Country("LT"): case Country("LU"): case Country("LV"): case Country("MT"):
    case Country("NL"): case Country("PL"): case Country("PT"): case Country("RO"): case Country("SE"):
    case Country("SI"): case Country("SK"): case Country("IS"): case Country("LI"): case Country("NO"):
    case Country("CH"):
      return true;
    default:
      return false;
  }
}

/// fa.signatories from 2024-01-01 to 2024-04-30, through fa_residence_party (states outside the map are non_signatory).
bool FaSignatory(uint16_t c) {
  switch (c) {
    case Country("AT"): case Country("BE"): case Country("CH"): case Country("CZ"): case Country("DE"):
    case Country("ES"): case Country("FI"): case Country("FR"): case Country("HR"): case Country("IT"):
    case Country("LI"): case Country("LU"): case Country("MT"): case Country("NL"): case Country("NO"):
    case Country("PL"): case Country("PT"): case Country("SE"): case Country("SK"):
      return true;
    default:
      return false;
  }
}

}  // namespace

const char* KindName(Kind k) {
  static constexpr const char* kNames[kKinds] = {"violation", "conflict", "gap", "risk", "review", "info", "undetermined"};
  return kNames[static_cast<size_t>(k)];
}

uint64_t Tally::Total() const {
  uint64_t t = 0;
  for (const auto& row : n) {
    for (uint64_t v : row) t += v;
  }
  return t;
}


// ---------------------------------------------------------------------------
// W1

Tally BaselineW1(const std::vector<W1Case>& cases) {
  Tally t(W1Rules());
  for (const W1Case& c : cases) {
    const int32_t s = c.submitted_on, start = c.desired_start;
    RequireYear(s, "a request's submission date");
    // The request kinds art. 2 covers: hours, times, place.
    const bool art2_kind = c.kind != kPredictable;
    // define waived, submitted_late, service_short, repeat_early, not_written,
    // cao_displaces, aow_excluded and outside_art2 (all always known).
    const bool waived = c.unforeseen.known() && c.unforeseen.v;
    const bool submitted_late = s > AddMonths(start, -kRequestLeadMonths);
    const bool service_short = start < c.start_date + kMinServiceDays;
    const bool repeat_early = c.previous_decision_on.known() && s < AddMonths(c.previous_decision_on.v, kRepeatWaitMonths);
    const bool not_written = c.written.known() && !c.written.v;
    const bool cao_displaces = c.cao_deviation.known() && c.cao_deviation.v &&
                               (c.kind == kTimes || c.kind == kPlace || (c.kind == kHours && c.increase.known() && c.increase.v));
    const bool aow_excluded = c.kind == kHours && c.aow_age_reached.known() && c.aow_age_reached.v;
    const bool outside = c.headcount < kSmallEmployer || not_written || cao_displaces || aow_excluded ||
                         (!waived && (submitted_late || service_short || repeat_early));
    const Tri unforeseen = IsTrue(c.unforeseen);
    const Tri refused = Cmp(c.decision, [](uint8_t v) { return v == kRefused || v == kPartly; });
    const Tri granted = Cmp(c.decision, [](uint8_t v) { return v == kGranted; });
    const bool service_short_at_submission = s < c.start_date + kMinServiceDays;

    // wfw.aow_age_excluded: kind = hours and aow_age_reached = true
    Decide(t, 0, Kind::kInfo, c.kind == kHours ? IsTrue(c.aow_age_reached) : kF, kF, false);
    // wfw.service_too_short, exception wfw.service_unforeseen (unforeseen = true)
    Decide(t, 1, Kind::kInfo, B(art2_kind && service_short), unforeseen, false);
    // wfw.request_too_late, exception wfw.late_unforeseen (unforeseen = true)
    Decide(t, 2, Kind::kInfo, B(art2_kind && submitted_late), unforeseen, false);
    // wfw.request_not_written: written = false
    Decide(t, 3, Kind::kInfo, IsFalse(c.written), kF, false);
    // wfw.repeat_too_soon: submitted_on < previous_decision_on + 1 year,
    // exception wfw.repeat_unforeseen (kind != predictable and unforeseen = true)
    Decide(t, 4, Kind::kInfo,
           Cmp(c.previous_decision_on, [&](int32_t pd) { return s < AddMonths(pd, kRepeatWaitMonths); }),
           art2_kind ? unforeseen : kF, false);
    // wfw.small_employer: kind in {hours, times, place} and headcount < 10
    Decide(t, 5, Kind::kInfo, B(art2_kind && c.headcount < kSmallEmployer), kF, false);
    // wfw.cao_regime: cao_deviation = true and (kind in {times, place} or kind = hours and increase = true)
    Decide(t, 6, Kind::kInfo,
           And(IsTrue(c.cao_deviation),
               Or(B(c.kind == kTimes || c.kind == kPlace), And(B(c.kind == kHours), IsTrue(c.increase)))),
           kF, false);
    // wfw.decision_too_late: art. 2 kind and not (decided_on <= desired_start - 1 month),
    // unless decision = granted, unless outside_art2, unless submitted after the deadline
    {
      const int32_t deadline = AddMonths(start, -kDecisionLeadMonths);
      Tri in_time = Cmp(c.decided_on, [&](int32_t d) { return d <= deadline; });
      Tri cond = And(And(And(B(art2_kind), Not(in_time)), Not(granted)), B(!outside && !(s > deadline)));
      Decide(t, 7, Kind::kViolation, cond, kF, false);
    }
    // wfw.refusal_without_weighty_interest: kind in {hours, times} and refused and not weighty_interest,
    // unless outside_art2; weighty_interest is an open norm
    Decide(t, 8, Kind::kViolation,
           And(And(B(c.kind == kHours || c.kind == kTimes), refused), And(NotFact(c.weighty_interest), B(!outside))), kF,
           c.weighty_interest.has == Has::kUnknown);
    // wfw.refusal_without_reasons: art. 2 kind and refused and reasons_given = false, unless outside_art2
    Decide(t, 9, Kind::kViolation, And(And(B(art2_kind && !outside), refused), IsFalse(c.reasons_given)), kF, false);
    // wfw.refusal_without_consultation: the same with consulted = false
    Decide(t, 10, Kind::kViolation, And(And(B(art2_kind && !outside), refused), IsFalse(c.consulted)), kF, false);
    // wfw.place_not_considered: kind = place and refused and not place_considered, unless outside_art2;
    // place_considered is an open norm
    Decide(t, 11, Kind::kViolation, And(And(B(c.kind == kPlace && !outside), refused), NotFact(c.place_considered)), kF,
           c.place_considered.has == Has::kUnknown);
    // wfw.predictable_service_too_short: kind = predictable and submitted_on < start_date + 26 weeks
    Decide(t, 12, Kind::kInfo, B(c.kind == kPredictable && service_short_at_submission), kF, false);
    // The unless clauses shared by the two art. 2b duties: not in writing, too short in service, too soon.
    const bool art2b_excused = not_written || service_short_at_submission || repeat_early;
    // wfw.predictable_reply_late: not (decided_on <= submitted_on + 1 month (3 months for a small
    // employer)), unless decision = granted, unless the art. 2b excuses
    {
      const int32_t reply = AddMonths(s, c.headcount < kSmallEmployer ? kReplyMonthsSmall : kReplyMonths);
      Tri in_time = Cmp(c.decided_on, [&](int32_t d) { return d <= reply; });
      Tri cond = And(And(B(c.kind == kPredictable && !art2b_excused), Not(in_time)), Not(granted));
      Decide(t, 13, Kind::kViolation, cond, kF, false);
    }
    // wfw.predictable_no_reasons: kind = predictable and refused and reasons_given = false, unless the excuses
    Decide(t, 14, Kind::kViolation, And(And(B(c.kind == kPredictable && !art2b_excused), refused), IsFalse(c.reasons_given)),
           kF, false);
    // wkr.fixed_allowance_excess: exempt_amount > fixed_exempt_max, unless cost_study = true.
    // fixed_max_days = 214 x days_per_week / 5 x months / 12; the maximum is the day's amount (home) or
    // the km amount x km_per_day (rounded to the cent) times those days, rounded to the cent.
    for (uint32_t k = 0; k < c.allowance_count; ++k) {
      const W1Allowance& a = c.allowances[k];
      RequireYear(a.period_start, "a fixed allowance's period");
      const int64_t months = MonthsBetween(a.period_start, a.period_end + 1);
      const int64_t num = kFixedBaseDays * a.days_per_week * months, den = kFullWeekDays * 12;
      Tri over;
      if (a.kind == kHomeWorking) {
        over = B(a.exempt_cents > MulRound(kHomeAllowanceMax, num, den));
      } else {
        over = Cmp(a.km_tenths, [&](int32_t tenths) {
          return a.exempt_cents > MulRound(MulRound(kTravelPerKmMax, tenths, 10), num, den);
        });
      }
      Decide(t, 15, Kind::kRisk, And(over, Not(IsTrue(a.cost_study))), kF, false);
    }
  }
  return t;
}

// ---------------------------------------------------------------------------
// W2

namespace {

/// Per calendar month of one employee: what the 12-month windows add up.
struct MonthSums {
  int64_t items = 0;
  int64_t ss_true = 0, ss_unknown = 0;      // ss_residence_day
  int64_t fa_true = 0, fa_unknown = 0;      // fa_telework_day
  int64_t emp_false = 0, emp_unknown = 0;   // every: country = residence or country = seat
  int64_t avail_false = 0, avail_unknown = 0;  // every: country = seat or fa_telework_day
};

/// Work between 00:00 and 06:00 of the record's date and of the next date (define night_work).
inline int64_t NightWork(int64_t date, int64_t begins, int64_t ends) {
  int64_t total = 0;
  for (int64_t day : {date, date + 1}) {
    int64_t part = std::min(ends, day * 1440 + kNightTo) - std::max(begins, day * 1440 + kNightFrom);
    total += part > 0 ? part : 0;
  }
  return total;
}

/// A record's times: timed, begins and ends (define timed, begins, ends).
struct Times {
  bool timed = false;
  int64_t begins = 0;
  int64_t ends = 0;
};

inline Times TimesOf(const W2Day& d) {
  Times t;
  t.timed = d.start_has == Has::kKnown && d.end_has == Has::kKnown;
  if (t.timed) {
    t.begins = static_cast<int64_t>(d.date) * 1440 + d.start;
    t.ends = (static_cast<int64_t>(d.date) + (d.end <= d.start ? 1 : 0)) * 1440 + d.end;
  }
  return t;
}

}  // namespace

Tally BaselineW2(const W2Data& data) {
  Tally t(W2Rules());
  enum { kRest, kShift, kWeek, kSameDay, kResidence, kEmployerState, kTeleworkHigh, kRequestAvailable };
  const uint16_t seat = data.seat_country;
  std::vector<MonthSums> months;
  for (const W2Employee& e : data.employees) {
    if (e.day_count == 0) continue;
    const W2Day* days = data.days.data() + e.first_day;
    const uint32_t n = e.day_count;
    const bool birth_known = e.birth_date.known();
    // define minor: birth date known and 16 <= years_between(birth_date, date) < 18.
    auto minor = [&](int32_t date) {
      if (!birth_known) return false;
      int32_t years = MonthsBetween(e.birth_date.v, date) / 12;
      return years >= kYoungAge && years < kAdultAge;
    };
    bool any_foreign_day = false;  // a day worked in another state than the seat (crossborder_employee)
    // Daily rest: the previous record's times, the latest end of work so far, and the starts of the
    // records of the last days whose rest before them was shorter than 11 hours.
    Times prev;
    bool have_prev = false, have_last_end = false;
    int64_t last_end = 0;
    int64_t short_rests[8];
    uint32_t short_count = 0;  // ring buffer of the begins of records with a short rest before them
    // Week: totals of the current ISO week.
    int32_t week = -1, next_week = INT32_MIN;
    int64_t week_span = 0;
    bool week_worked_unknown = false, week_minor = false;
    int64_t week_worked = 0;
    auto close_week = [&]() {
      if (week < 0) return;
      // atw.week_too_long: sum of span > 60 hours and sum of worked > 60 hours, unless a minor's day
      Tri cond = And(B(week_span > kMaxWeek), week_worked_unknown ? kU : B(week_worked > kMaxWeek));
      Decide(t, kWeek, Kind::kViolation, And(cond, B(!week_minor)), kF, false);
    };
    for (uint32_t k = 0; k < n; ++k) {
      const W2Day& d = days[k];
      RequireYear(d.date, "a work day");
      if (k > 0 && d.date <= days[k - 1].date) {
        throw std::runtime_error("the baseline expects one record per employee and date, in date order: " + e.id);
      }
      const Times cur = TimesOf(d);
      const bool d_minor = minor(d.date);
      // atw.daily_rest_too_short on the pair (previous record, this one): both timed and
      // begins - previous ends < 11 hours, unless this record's employee is a minor, unless the
      // previous record is a night shift ending after 02:00; exception atw.daily_rest_reduced:
      // rest >= 8 hours, no rest under 11 hours ended in the 7 x 24 hours before, and
      // rest_reduction_needed (an open norm, never in the log: unknown).
      if (have_prev && prev.timed && cur.timed && cur.begins - prev.ends < kDailyRest && !d_minor) {
        const W2Day& a = days[k - 1];
        bool late_night = NightWork(a.date, prev.begins, prev.ends) > kNightThreshold &&
                          ((prev.ends % 1440) + 1440) % 1440 > kNightLateEnd;
        if (!late_night) {
          Tri reduced = kF;
          if (cur.begins - prev.ends >= kDailyRestReduced) {
            uint32_t recent = 0;
            for (uint32_t i = 0; i < short_count && i < 8; ++i) {
              if (short_rests[(short_count - 1 - i) % 8] > cur.begins - kReductionWindow) ++recent;
            }
            reduced = recent == 0 ? kU : kF;
          }
          Decide(t, kRest, Kind::kViolation, kT, reduced, true);
        }
      }
      // The rest before this record (define rest_before), for the pairs that follow.
      if (cur.timed) {
        if (have_last_end && cur.begins - last_end < kDailyRest) short_rests[short_count++ % 8] = cur.begins;
        last_end = have_last_end ? std::max(last_end, cur.ends) : cur.ends;
        have_last_end = true;
      }
      // atw.shift_too_long: the first record of its date (the only one here), span > 12 hours and
      // worked > 12 hours (worked = span less a known break; unknown when the break is), unless a minor.
      Tri worked_over = kF;
      int64_t span = 0, worked = 0;
      if (cur.timed) {
        span = cur.ends - cur.begins;
        worked = d.break_has == Has::kKnown ? span - d.break_minutes : span;
        if (span > kMaxShift) {
          worked_over = d.break_has == Has::kUnknown ? kU : B(worked > kMaxShift);
          Decide(t, kShift, Kind::kViolation, And(worked_over, B(!d_minor)), kF, false);
        }
      }
      // ISO week groups of the records.
      if (d.date >= next_week) {
        close_week();
        week = StartOfIsoWeek(d.date);
        next_week = week + 7;
        week_span = week_worked = 0;
        week_worked_unknown = week_minor = false;
      }
      if (cur.timed) {
        week_span += span;
        week_worked += worked;
        week_worked_unknown |= d.break_has == Has::kUnknown;
      }
      week_minor |= d_minor;
      // wkr.home_and_commuting_same_day: (home allowance known or travel allowance known) and
      // both > 0, unless taxed_allowance is known (never in the log); exception wkr.home_and_business_trip:
      // business_trip = true and location != office.
      {
        Tri home = d.home_has == Has::kKnown ? B(d.home_cents > 0) : d.home_has == Has::kNone ? kF : kU;
        Tri travel = d.travel_has == Has::kKnown ? B(d.travel_cents > 0) : d.travel_has == Has::kNone ? kF : kU;
        Tri cond = And(B(d.home_has == Has::kKnown || d.travel_has == Has::kKnown), And(home, travel));
        if (cond != kF) {
          Tri trip = d.business_trip_has == Has::kKnown ? B(d.business_trip) : d.business_trip_has == Has::kNone ? kF : kU;
          Tri not_office = d.location_has == Has::kKnown ? B(d.location != kOffice) : d.location_has == Has::kNone ? kT : kU;
          Decide(t, kSameDay, Kind::kViolation, cond, And(trip, not_office), false);
        }
      }
      any_foreign_day |= d.country_has == Has::kKnown && d.country != seat;
      prev = cur;
      have_prev = true;
    }
    close_week();

    // The cross-border rules hold only for a cross-border employee (residence or a day abroad) or,
    // for fa.telework_share_too_high, an employee with a framework A1: the others need no second pass.
    const Fact<uint16_t>& res = e.residence;
    bool framework_a1 = false;
    for (const W2A1& a : e.a1) framework_a1 |= a.basis == kFramework;
    if (!(res.known() && res.v != seat) && !any_foreign_day && !framework_a1) continue;
    // The months' contributions to the 12-month windows.
    const int32_t first_month = DaysFromCivil(CivilFromDays(days[0].date).y, CivilFromDays(days[0].date).m, 1);
    months.assign(1, MonthSums{});
    int32_t next_month = AddMonths(first_month, 1);
    for (uint32_t k = 0; k < n; ++k) {
      const W2Day& d = days[k];
      // Cross-border: the month's contribution to the 12-month windows.
      while (d.date >= next_month) {
        months.emplace_back();
        next_month = AddMonths(next_month, 1);
      }
      MonthSums& m = months.back();
      ++m.items;
      Tri in_residence = Eq(d.country_has, d.country, e.residence.has, e.residence.v);  // ss_residence_day (no COVID in 2024)
      Tri at_seat = Eq(d.country_has, d.country, Has::kKnown, seat);
      Tri home = d.location_has == Has::kKnown ? B(d.location == kHome) : d.location_has == Has::kNone ? kF : kU;
      Tri telework = And(in_residence, home);  // fa_telework_day
      m.ss_true += in_residence == kT;
      m.ss_unknown += in_residence == kU;
      m.fa_true += telework == kT;
      m.fa_unknown += telework == kU;
      Tri emp_item = Or(in_residence, at_seat);
      m.emp_false += emp_item == kF;
      m.emp_unknown += emp_item == kU;
      Tri avail_item = Or(at_seat, telework);
      m.avail_false += avail_item == kF;
      m.avail_unknown += avail_item == kU;
    }
    // The employee's facts for the cross-border rules.
    const Fact<uint16_t>& ss = e.ss_country;
    const Tri crossborder = B((res.known() && res.v != seat) || any_foreign_day);  // define crossborder_employee
    const Tri reg883_res = Cmp(res, [](uint16_t c) { return InReg883(c); });
    const Tri reg883_seat = B(InReg883(seat));
    const Tri res_not_seat = Ne(res.has, res.v, Has::kKnown, seat);
    const Tri ss_not_res = Ne(ss.has, ss.v, res.has, res.v);
    const Tri ss_not_seat = Ne(ss.has, ss.v, Has::kKnown, seat);
    const Tri res_signatory = res.has == Has::kUnknown ? kU : B(res.known() && FaSignatory(res.v));
    const Tri seat_signatory = B(FaSignatory(seat));
    // 12-month windows: one ending in each month from the 12th month of the log on.
    for (size_t last = 11; last < months.size(); ++last) {
      const int32_t w_start = AddMonths(first_month, static_cast<int32_t>(last) - 11);
      const int32_t w_end = AddMonths(first_month, static_cast<int32_t>(last) + 1) - 1;
      MonthSums s;
      for (size_t i = last - 11; i <= last; ++i) {
        const MonthSums& m = months[i];
        s.items += m.items;
        s.ss_true += m.ss_true;
        s.ss_unknown += m.ss_unknown;
        s.fa_true += m.fa_true;
        s.fa_unknown += m.fa_unknown;
        s.emp_false += m.emp_false;
        s.emp_unknown += m.emp_unknown;
        s.avail_false += m.avail_false;
        s.avail_unknown += m.avail_unknown;
      }
      // share of the items (none when there are none; unknown when a filter is), compared with a fraction.
      auto share_at_least = [&](int64_t yes, int64_t unknown, int64_t num, int64_t den) {
        if (unknown > 0) return kU;
        if (s.items == 0) return kF;
        return B(yes * den >= num * s.items);
      };
      const Tri ss_25 = share_at_least(s.ss_true, s.ss_unknown, 1, 4);
      const Tri ss_below_25 = s.ss_unknown > 0 ? kU : s.items == 0 ? kF : Not(ss_25);
      const Tri fa_50 = share_at_least(s.fa_true, s.fa_unknown, 1, 2);
      const Tri fa_below_50 = s.fa_unknown > 0 ? kU : s.items == 0 ? kF : Not(fa_50);
      const Tri every_emp = s.emp_false > 0 ? kF : s.emp_unknown > 0 ? kU : kT;
      const Tri every_avail = s.avail_false > 0 ? kF : s.avail_unknown > 0 ? kU : kT;
      // The A1 certificates against this window.
      Tri covers = kF, framework_overlaps = kF, framework_covers = kF;
      for (const W2A1& a : e.a1) {
        Tri to_none = B(a.valid_to.has == Has::kNone);
        Tri until_end = Or(to_none, Cmp(a.valid_to, [&](int32_t v) { return v >= w_end; }));
        Tri until_start = Or(to_none, Cmp(a.valid_to, [&](int32_t v) { return v >= w_start; }));
        // ss.a1_certificate_covers: basis in {framework, posting}, legislation_country = ss_country,
        // valid_from <= w.start, valid_to none or >= w.end
        covers = Or(covers, And(And(B((a.basis == kFramework || a.basis == kPosting) && a.valid_from <= w_start),
                                    Eq(Has::kKnown, a.legislation_country, ss.has, ss.v)),
                                until_end));
        // fa.telework_share_too_high: a framework A1 that overlaps the window
        framework_overlaps = Or(framework_overlaps, And(B(a.basis == kFramework && a.valid_from <= w_end), until_start));
        // fa.request_available's unless: a framework A1 that covers the window
        framework_covers = Or(framework_covers, And(B(a.basis == kFramework && a.valid_from <= w_start), until_end));
      }
      // ss.residence_state_legislation: crossborder, both in the 883 area, share >= 25 %, ss_country != residence
      Decide(t, kResidence, Kind::kViolation,
             And(And(And(crossborder, reg883_res), And(reg883_seat, ss_25)), ss_not_res), covers, false);
      // ss.employer_state_legislation: as above with residence != seat, share < 25 %, every day in
      // the residence or seat state, and ss_country != seat
      Decide(t, kEmployerState, Kind::kViolation,
             And(And(And(crossborder, reg883_res), And(reg883_seat, res_not_seat)),
                 And(And(ss_below_25, every_emp), ss_not_seat)),
             kF, false);
      // fa.telework_share_too_high (from 2023-07-01): a framework A1 and telework share >= 50 %
      if (w_start >= DaysFromCivil(2023, 7, 1)) {
        Decide(t, kTeleworkHigh, Kind::kViolation, And(framework_overlaps, fa_50), kF, false);
        // fa.request_available: crossborder, residence != seat, both signatories, share >= 25 %,
        // telework share < 50 %, every day at the seat or telework; unless a framework A1 covers
        Decide(t, kRequestAvailable, Kind::kInfo,
               And(And(And(crossborder, res_not_seat), And(res_signatory, seat_signatory)),
                   And(And(ss_25, fa_below_50), And(every_avail, Not(framework_covers)))),
               kF, false);
      }
    }
  }
  return t;
}

// ---------------------------------------------------------------------------
// Parsers

namespace {

using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

int32_t DateOf(value v) {
  int32_t d = 0;
  std::string_view s = v.get_string();
  if (!ParseDate(s, d)) throw std::runtime_error("not a date: " + std::string(s));
  return d;
}

Fact<bool> BoolFact(value v) {
  if (v.is_null()) return Fact<bool>::None();
  return Fact<bool>::Known(v.get_bool());
}

Fact<int32_t> DateFact(value v) {
  if (v.is_null()) return Fact<int32_t>::None();
  return Fact<int32_t>::Known(DateOf(v));
}

uint16_t CountryOf(std::string_view s) {
  if (s.size() != 2) throw std::runtime_error("not a country: " + std::string(s));
  return static_cast<uint16_t>((static_cast<uint8_t>(s[0]) << 8) | static_cast<uint8_t>(s[1]));
}

Fact<uint16_t> CountryFact(value v) {
  if (v.is_null()) return Fact<uint16_t>::None();
  return Fact<uint16_t>::Known(CountryOf(v.get_string()));
}

/// "12.34" (at most two decimals, no sign) in cents.
bool ParseMoney(std::string_view s, int64_t& out) {
  int64_t whole = 0, frac = 0;
  size_t i = 0;
  if (s.empty()) return false;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    whole = whole * 10 + (s[i] - '0');
  }
  int digits = 0;
  if (i < s.size()) {
    for (++i; i < s.size(); ++i, ++digits) {
      if (s[i] < '0' || s[i] > '9' || digits == 2) return false;
      frac = frac * 10 + (s[i] - '0');
    }
    if (digits == 0) return false;
  }
  out = whole * 100 + (digits == 1 ? frac * 10 : frac);
  return true;
}

/// A km figure with at most one decimal, in tenths.
int32_t TenthsOf(std::string_view s) {
  int32_t whole = 0, frac = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] < '0' || s[i] > '9') throw std::runtime_error("not a km figure: " + std::string(s));
    whole = whole * 10 + (s[i] - '0');
  }
  if (i < s.size()) {
    if (i + 2 != s.size() || s[i + 1] < '0' || s[i + 1] > '9') throw std::runtime_error("not a km figure: " + std::string(s));
    frac = s[i + 1] - '0';
  }
  return whole * 10 + frac;
}

void ParseRequest(simdjson::ondemand::object obj, W1Case& c) {
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    value v = field.value();
    if (key == "kind") {
      std::string_view k = v.get_string();
      c.kind = k == "hours" ? kHours : k == "times" ? kTimes : k == "place" ? kPlace : kPredictable;
      if (k != "hours" && k != "times" && k != "place" && k != "predictable") throw std::runtime_error("bad kind");
    } else if (key == "submitted_on") {
      c.submitted_on = DateOf(v);
    } else if (key == "desired_start") {
      c.desired_start = DateOf(v);
    } else if (key == "written") {
      c.written = BoolFact(v);
    } else if (key == "decided_on") {
      c.decided_on = DateFact(v);
    } else if (key == "decision") {
      if (v.is_null()) {
        c.decision = Fact<uint8_t>::None();
      } else {
        std::string_view k = v.get_string();
        if (k != "granted" && k != "refused" && k != "partly") throw std::runtime_error("bad decision");
        c.decision = Fact<uint8_t>::Known(k == "granted" ? kGranted : k == "refused" ? kRefused : kPartly);
      }
    } else if (key == "consulted") {
      c.consulted = BoolFact(v);
    } else if (key == "reasons_given") {
      c.reasons_given = BoolFact(v);
    } else if (key == "weighty_interest") {
      c.weighty_interest = BoolFact(v);
    } else if (key == "unforeseen") {
      c.unforeseen = BoolFact(v);
    } else if (key == "previous_decision_on") {
      c.previous_decision_on = DateFact(v);
    } else if (key == "increase") {
      c.increase = BoolFact(v);
    } else if (key == "cao_deviation") {
      c.cao_deviation = BoolFact(v);
    } else if (key == "place_considered") {
      c.place_considered = BoolFact(v);
    } else {
      throw std::runtime_error("unexpected request fact: " + std::string(key));
    }
  }
}

void ParseAllowance(simdjson::ondemand::object obj, W1Allowance& a) {
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    value v = field.value();
    if (key == "kind") {
      std::string_view k = v.get_string();
      if (k != "home_working" && k != "commuting") throw std::runtime_error("bad allowance kind");
      a.kind = k == "home_working" ? kHomeWorking : kCommuting;
    } else if (key == "period_start") {
      a.period_start = DateOf(v);
    } else if (key == "period_end") {
      a.period_end = DateOf(v);
    } else if (key == "days_per_week") {
      a.days_per_week = static_cast<int32_t>(int64_t(v.get_int64()));
    } else if (key == "exempt_amount") {
      if (!ParseMoney(v.get_string(), a.exempt_cents)) throw std::runtime_error("bad amount");
    } else if (key == "km_per_day") {
      a.km_tenths = v.is_null() ? Fact<int32_t>::None() : Fact<int32_t>::Known(TenthsOf(v.get_string()));
    } else if (key == "cost_study") {
      a.cost_study = BoolFact(v);
    } else {
      throw std::runtime_error("unexpected allowance fact: " + std::string(key));
    }
  }
}

void ParseW1Employee(simdjson::ondemand::object obj, W1Case& c) {
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    value v = field.value();
    if (key == "id") {
      (void)std::string_view(v.get_string());
    } else if (key == "start_date") {
      c.start_date = DateOf(v);
    } else if (key == "aow_age_reached") {
      c.aow_age_reached = BoolFact(v);
    } else if (key == "requests") {
      size_t count = 0;
      for (auto r : v.get_array()) {
        if (count++ > 0) throw std::runtime_error("one request per case expected");
        ParseRequest(r.get_object(), c);
      }
    } else if (key == "fixed_allowances") {
      for (auto a : v.get_array()) {
        if (c.allowance_count == 2) throw std::runtime_error("at most two fixed allowances per case expected");
        ParseAllowance(a.get_object(), c.allowances[c.allowance_count++]);
      }
    } else {
      throw std::runtime_error("unexpected employee fact: " + std::string(key));
    }
  }
}

// CSV cells: empty = unknown, `null` = none.
template <class F>
bool Cell(std::string_view cell, Has& has, F&& parse) {
  if (cell.empty()) {
    has = Has::kUnknown;
    return true;
  }
  if (cell == "null") {
    has = Has::kNone;
    return true;
  }
  has = Has::kKnown;
  return parse(cell);
}

bool ParseMinutesSpan(std::string_view s, int16_t& out) {
  // "<n> minutes" or "<n> minute".
  size_t sp = s.find(' ');
  if (sp == std::string_view::npos) return false;
  std::string_view unit = s.substr(sp + 1);
  if (unit != "minutes" && unit != "minute") return false;
  int v = 0;
  auto r = std::from_chars(s.data(), s.data() + sp, v);
  if (r.ec != std::errc() || r.ptr != s.data() + sp || v > 1440) return false;
  out = static_cast<int16_t>(v);
  return true;
}

}  // namespace

bool ParseW1Jsonl(std::string_view text, std::vector<W1Case>& out, std::string& error) {
  try {
    simdjson::padded_string padded(text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document_stream docs = parser.iterate_many(padded);
    for (auto doc : docs) {
      W1Case& c = out.emplace_back();
      simdjson::ondemand::object root = doc.get_object();
      for (auto top : root) {
        if (std::string_view(top.unescaped_key()) != "employer") throw std::runtime_error("expected `employer`");
        for (auto field : top.value().get_object()) {
          std::string_view key = field.unescaped_key();
          value v = field.value();
          if (key == "name") {
            (void)std::string_view(v.get_string());
          } else if (key == "headcount") {
            c.headcount = static_cast<int32_t>(int64_t(v.get_int64()));
          } else if (key == "employees") {
            size_t count = 0;
            for (auto e : v.get_array()) {
              if (count++ > 0) throw std::runtime_error("one employee per case expected");
              ParseW1Employee(e.get_object(), c);
            }
          } else {
            throw std::runtime_error("unexpected employer fact: " + std::string(key));
          }
        }
      }
    }
  } catch (const std::exception& ex) {
    error = "line " + std::to_string(out.size()) + ": " + ex.what();
    return false;
  }
  return true;
}

bool ParseW2(std::string_view employer_json, std::string_view csv, W2Data& out, std::string& error) {
  std::unordered_map<std::string_view, uint32_t> index;
  try {
    simdjson::padded_string padded(employer_json);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc = parser.iterate(padded);
    for (auto top : doc.get_object()) {
      if (std::string_view(top.unescaped_key()) != "employer") throw std::runtime_error("expected `employer`");
      for (auto field : top.value().get_object()) {
        std::string_view key = field.unescaped_key();
        value v = field.value();
        if (key == "headcount") {
          out.headcount = static_cast<int32_t>(int64_t(v.get_int64()));
        } else if (key == "seat_country") {
          out.seat_country = CountryOf(v.get_string());
        } else if (key == "employees") {
          for (auto item : v.get_array()) {
            W2Employee& e = out.employees.emplace_back();
            for (auto ef : item.get_object()) {
              std::string_view ek = ef.unescaped_key();
              value ev = ef.value();
              if (ek == "id") e.id = std::string(std::string_view(ev.get_string()));
              else if (ek == "start_date") e.start_date = DateOf(ev);
              else if (ek == "birth_date") e.birth_date = DateFact(ev);
              else if (ek == "residence") e.residence = CountryFact(ev);
              else if (ek == "ss_country") e.ss_country = CountryFact(ev);
              else if (ek == "a1_certificates") {
                for (auto ai : ev.get_array()) {
                  W2A1& a = e.a1.emplace_back();
                  for (auto af : ai.get_object()) {
                    std::string_view ak = af.unescaped_key();
                    value av = af.value();
                    if (ak == "basis") {
                      std::string_view b = av.get_string();
                      a.basis = b == "framework" ? kFramework : b == "posting" ? kPosting : kMultiState;
                    } else if (ak == "legislation_country") {
                      a.legislation_country = CountryOf(av.get_string());
                    } else if (ak == "valid_from") {
                      a.valid_from = DateOf(av);
                    } else if (ak == "valid_to") {
                      a.valid_to = DateFact(av);
                    } else {
                      throw std::runtime_error("unexpected A1 fact: " + std::string(ak));
                    }
                  }
                }
              } else {
                throw std::runtime_error("unexpected employee fact: " + std::string(ek));
              }
            }
          }
        } else if (key != "name") {
          throw std::runtime_error("unexpected employer fact: " + std::string(key));
        }
      }
    }
  } catch (const std::exception& ex) {
    error = std::string("employer document: ") + ex.what();
    return false;
  }
  for (uint32_t i = 0; i < out.employees.size(); ++i) index.emplace(out.employees[i].id, i);

  // The work log: header, then records grouped by employee.
  size_t pos = csv.find('\n');
  if (pos == std::string_view::npos ||
      csv.substr(0, pos) !=
          "employee,date,start,end,location,country,home_allowance,travel_allowance,break_minutes,business_trip") {
    error = "work log: unexpected header";
    return false;
  }
  ++pos;
  out.days.reserve(csv.size() / 60);
  uint64_t line = 1;
  int64_t current = -1;
  std::string_view cells[10];
  while (pos < csv.size()) {
    ++line;
    size_t eol = csv.find('\n', pos);
    if (eol == std::string_view::npos) eol = csv.size();
    std::string_view row = csv.substr(pos, eol - pos);
    pos = eol + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) continue;
    size_t c = 0, start = 0;
    for (size_t i = 0; i <= row.size(); ++i) {
      if (i == row.size() || row[i] == ',') {
        if (c == 10) break;
        cells[c++] = row.substr(start, i - start);
        start = i + 1;
      }
    }
    auto fail = [&](const std::string& what) {
      error = "work log line " + std::to_string(line) + ": " + what;
      return false;
    };
    if (c != 10 || start <= row.size()) return fail("expected 10 cells");
    if (row.find('"') != std::string_view::npos) return fail("quoted cells are not supported");
    auto it = index.find(cells[0]);
    if (it == index.end()) return fail("unknown employee");
    if (static_cast<int64_t>(it->second) != current) {
      W2Employee& e = out.employees[it->second];
      if (e.day_count != 0) return fail("the records of an employee must be contiguous");
      current = it->second;
      e.first_day = static_cast<uint32_t>(out.days.size());
    }
    W2Day& d = out.days.emplace_back();
    ++out.employees[it->second].day_count;
    int32_t v = 0;
    bool ok = ParseDate(cells[1], d.date);
    ok = ok && Cell(cells[2], d.start_has, [&](std::string_view s) { return ParseTime(s, v) && (d.start = static_cast<int16_t>(v), true); });
    ok = ok && Cell(cells[3], d.end_has, [&](std::string_view s) { return ParseTime(s, v) && (d.end = static_cast<int16_t>(v), true); });
    ok = ok && Cell(cells[4], d.location_has, [&](std::string_view s) {
      d.location = s == "home" ? kHome : s == "office" ? kOffice : kElsewhere;
      return s == "home" || s == "office" || s == "elsewhere";
    });
    ok = ok && Cell(cells[5], d.country_has, [&](std::string_view s) {
      if (s.size() != 2) return false;
      d.country = CountryOf(s);
      return true;
    });
    int64_t cents = 0;
    ok = ok && Cell(cells[6], d.home_has, [&](std::string_view s) { return ParseMoney(s, cents) && (d.home_cents = static_cast<int32_t>(cents), true); });
    ok = ok && Cell(cells[7], d.travel_has, [&](std::string_view s) { return ParseMoney(s, cents) && (d.travel_cents = static_cast<int32_t>(cents), true); });
    ok = ok && Cell(cells[8], d.break_has, [&](std::string_view s) { return ParseMinutesSpan(s, d.break_minutes); });
    ok = ok && Cell(cells[9], d.business_trip_has, [&](std::string_view s) {
      d.business_trip = s == "true";
      return s == "true" || s == "false";
    });
    if (!ok) return fail("a cell does not parse");
  }
  return true;
}

}  // namespace nw::bench
