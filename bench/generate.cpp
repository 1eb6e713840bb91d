// The deterministic generator (see generate.hpp). Rates are per mille: most
// subjects comply, a few percent break each rule, and some facts are left out
// (unknown) or given as null, so that every kind of finding occurs.
#include "bench/generate.hpp"

#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "bench/calendar.hpp"

namespace nw::bench {
namespace {

static_assert(DaysFromCivil(2024, 1, 1) == kW2FirstDay);
static_assert(IsoWeekday(kW2FirstDay) == 1);  // 2024-01-01 is a Monday

constexpr int32_t kJan1 = DaysFromCivil(2024, 1, 1);
constexpr int32_t kJul1 = DaysFromCivil(2024, 7, 1);
constexpr int32_t kJun30 = DaysFromCivil(2024, 6, 30);
constexpr int32_t kDec31 = DaysFromCivil(2024, 12, 31);

/// SplitMix64: one independent stream per (seed, stream, index).
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream, uint64_t index)
      : s_(seed * 0x9E3779B97F4A7C15ull ^ (stream << 48) ^ (index * 0xD1B54A32D192ED03ull)) {
    Next();
  }
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>((Next() >> 32) * n >> 32); }
  /// Uniform in [lo, hi].
  int32_t Between(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(Below(static_cast<uint32_t>(hi - lo + 1))); }
  /// True with probability permille / 1000.
  bool Chance(uint32_t permille) { return Below(1000) < permille; }

 private:
  uint64_t s_;
};

/// A bool fact: true, false, none, else unknown (per mille).
Fact<bool> PickBool(Rng& r, uint32_t t, uint32_t f, uint32_t none) {
  uint32_t x = r.Below(1000);
  if (x < t) return Fact<bool>::Known(true);
  if (x < t + f) return Fact<bool>::Known(false);
  if (x < t + f + none) return Fact<bool>::None();
  return {};
}

std::string DateText(int32_t day) {
  Ymd c = CivilFromDays(day);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

std::string TimeText(int32_t minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::string MoneyText(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
  return buf;
}

std::string CountryText(uint16_t c) { return std::string{static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)}; }

std::string KmText(int32_t tenths) {
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : std::string());
}

constexpr const char* kKindNames[] = {"hours", "times", "place", "predictable"};
constexpr const char* kDecisionNames[] = {"granted", "refused", "partly"};
constexpr const char* kLocationNames[] = {"home", "office", "elsewhere"};
constexpr const char* kAllowanceNames[] = {"home_working", "commuting"};
constexpr const char* kBasisNames[] = {"multi_state", "framework", "posting"};

// ---------------------------------------------------------------------------
// Store layout: entity and field indices, resolved once by name.

struct Layout {
  const dsl::CheckedRuleSet& rs;
  explicit Layout(const dsl::CheckedRuleSet& rules) : rs(rules) {}

  uint32_t Entity(std::string_view name) const {
    int32_t e = rs.FindEntity(name);
    if (e < 0) throw std::runtime_error("the rules declare no entity `" + std::string(name) + "`");
    return static_cast<uint32_t>(e);
  }
  uint32_t Field(uint32_t entity, std::string_view name) const {
    int32_t f = rs.FindField(entity, name);
    if (f < 0) throw std::runtime_error("entity `" + rs.entities[entity].name + "` has no field `" + std::string(name) + "`");
    return static_cast<uint32_t>(f);
  }
  /// Checks that an enum's values are in the order the model assumes.
  void CheckEnum(std::string_view name, std::initializer_list<const char*> values) const {
    int32_t e = rs.FindEnum(name);
    if (e < 0) throw std::runtime_error("the rules declare no enum `" + std::string(name) + "`");
    size_t i = 0;
    for (const char* v : values) {
      if (i >= rs.enums[e].values.size() || rs.enums[e].values[i] != v) {
        throw std::runtime_error("enum `" + std::string(name) + "` changed: expected `" + v + "` at " + std::to_string(i));
      }
      ++i;
    }
  }
};

/// Writes facts of one row.
class RowWriter {
 public:
  RowWriter(engine::FactStore& store, uint32_t entity, uint32_t row) : store_(store), entity_(entity), row_(row) {}
  void Set(uint32_t field, int64_t a) { store_.Set(entity_, field, row_, dsl::Value{a, 1}); }
  void SetFraction(uint32_t field, int64_t a, int64_t b) { store_.Set(entity_, field, row_, dsl::Value{a, b}); }
  template <class T>
  void Set(uint32_t field, const Fact<T>& f) {
    if (f.has == Has::kKnown) Set(field, static_cast<int64_t>(f.v));
    if (f.has == Has::kNone) store_.SetState(entity_, field, row_, engine::State::kNone);
  }
  void SetState(uint32_t field, Has has, int64_t a) {
    if (has == Has::kKnown) Set(field, a);
    if (has == Has::kNone) store_.SetState(entity_, field, row_, engine::State::kNone);
  }

 private:
  engine::FactStore& store_;
  uint32_t entity_;
  uint32_t row_;
};

// ---------------------------------------------------------------------------
// W2 employee profiles.

enum class Pattern : uint8_t { kNormal, kHeavy, kLate, kNight, kSevenDay };

/// How an employee works; a pure function of (seed, index) and the employee's residence.
struct Profile {
  Pattern pattern = Pattern::kNormal;
  uint32_t home_permille = 450;  // share of working days at home
  bool travels = false;          // some days abroad for work (elsewhere, in BE or DE)
  bool worked_days_only = false; // the log holds only the days worked (else every calendar day)
  bool vague_country = false;    // the country of a few days is not recorded
};

Profile ProfileOf(uint64_t seed, uint32_t index, const W2Employee& e) {
  Rng r(seed, 21, index);
  Profile p;
  uint32_t x = r.Below(1000);
  p.pattern = x < 930 ? Pattern::kNormal : x < 950 ? Pattern::kHeavy : x < 975 ? Pattern::kLate : x < 985 ? Pattern::kNight
                                                                                                        : Pattern::kSevenDay;
  p.travels = r.Chance(50);
  p.vague_country = r.Chance(30);
  bool cross = e.residence.known() && e.residence.v != Country("NL");
  if (cross) {
    // Frontier workers: most keep home working under 25 %, some between 25 and 50 %, a few above.
    // Those with an A1 under the Framework Agreement telework more (that is why they have it).
    bool framework = false;
    for (const W2A1& a : e.a1) framework |= a.basis == kFramework;
    uint32_t h = r.Below(100);
    p.home_permille = framework ? (h < 20 ? 150 : h < 70 ? 420 : 700) : (h < 65 ? 150 : h < 90 ? 420 : 700);
    p.worked_days_only = r.Chance(600);
  }
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------
// W1

W1Case GenerateW1Case(uint64_t seed, uint32_t index) {
  Rng r(seed, 1, index);
  W1Case c;
  c.headcount = r.Chance(80) ? r.Between(2, 9) : r.Between(10, 2500);
  c.submitted_on = kJan1 + static_cast<int32_t>(r.Below(366));
  uint32_t k = r.Below(100);
  c.kind = k < 35 ? kHours : k < 60 ? kTimes : k < 90 ? kPlace : kPredictable;
  // Mostly two to five months ahead; some too late for the two-month lead.
  c.desired_start = c.submitted_on + (r.Chance(940) ? r.Between(62, 150) : r.Between(14, 61));
  c.start_date = r.Chance(900) ? c.submitted_on - r.Between(365, 7000) : c.submitted_on - r.Between(0, 200);
  c.aow_age_reached = PickBool(r, 30, 900, 20);
  c.written = PickBool(r, 930, 30, 20);
  // The decision: its date against the deadline (one month before the start).
  int32_t deadline = AddMonths(c.desired_start, -1);
  uint32_t d = r.Below(1000);
  if (d < 50) {  // no decision at all
    c.decided_on = Fact<int32_t>::None();
    c.decision = Fact<uint8_t>::None();
  } else {
    uint32_t v = r.Below(100);
    c.decision = Fact<uint8_t>::Known(v < 65 ? kGranted : v < 90 ? kRefused : kPartly);
    if (r.Chance(920) && deadline > c.submitted_on) {
      c.decided_on = Fact<int32_t>::Known(r.Between(c.submitted_on + 1, deadline));
    } else {
      c.decided_on = Fact<int32_t>::Known(deadline + r.Between(1, 40));
    }
    if (d < 80) c.decided_on = {};  // date not given
    else if (d < 100) c.decision = {};  // outcome not given
  }
  bool refusal = c.decision.known() && c.decision.v != kGranted;
  c.consulted = PickBool(r, 880, 40, 30);
  c.reasons_given = refusal ? PickBool(r, 850, 60, 20) : PickBool(r, 100, 0, 500);
  c.weighty_interest = refusal ? PickBool(r, 550, 100, 0) : Fact<bool>{};
  c.unforeseen = PickBool(r, 40, 700, 60);
  uint32_t p = r.Below(1000);
  if (p < 850) c.previous_decision_on = Fact<int32_t>::None();
  else if (p < 970) c.previous_decision_on = Fact<int32_t>::Known(c.submitted_on - r.Between(30, 700));
  c.increase = c.kind == kHours ? PickBool(r, 450, 450, 0) : Fact<bool>{};
  c.cao_deviation = PickBool(r, 40, 880, 40);
  c.place_considered = c.kind == kPlace && refusal ? PickBool(r, 700, 60, 0) : Fact<bool>{};
  // Fixed allowances for (part of) 2024.
  for (AllowanceKind kind : {kHomeWorking, kCommuting}) {
    if (!r.Chance(kind == kHomeWorking ? 600 : 500)) continue;
    W1Allowance& a = c.allowances[c.allowance_count++];
    a.kind = kind;
    uint32_t period = r.Below(100);
    a.period_start = period < 10 ? kJul1 : kJan1;
    a.period_end = period >= 10 && period < 15 ? kJun30 : kDec31;
    a.days_per_week = r.Chance(600) ? 5 : r.Between(1, 4);
    int32_t months = MonthsBetween(a.period_start, a.period_end + 1);
    // About the exempt maximum (cents): 214 days x (days per week / 5) x (months / 12) x the day amount.
    double days = 214.0 * a.days_per_week / 5.0 * months / 12.0;
    double per_day = 235.0;
    if (kind == kCommuting) {
      uint32_t km = r.Below(1000);
      int32_t tenths = r.Between(4, 90) * 10 + (r.Chance(200) ? 5 : 0);
      if (km < 900) a.km_tenths = Fact<int32_t>::Known(tenths);
      else if (km < 940) a.km_tenths = Fact<int32_t>::None();
      per_day = 23.0 * tenths / 10.0;
    }
    auto max_cents = static_cast<int64_t>(per_day * days);
    uint32_t amount = r.Below(1000);
    a.exempt_cents = amount < 850   ? max_cents - r.Between(0, static_cast<int32_t>(max_cents / 5))
                     : amount < 930 ? max_cents + r.Between(-2, 2)
                                    : max_cents + r.Between(1, static_cast<int32_t>(max_cents / 5) + 1);
    if (a.exempt_cents < 0) a.exempt_cents = 0;
    a.cost_study = PickBool(r, 50, 800, 70);
  }
  return c;
}

std::vector<W1Case> GenerateW1(uint64_t seed, uint32_t count) {
  std::vector<W1Case> out;
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(GenerateW1Case(seed, i));
  return out;
}

void FillW1(const std::vector<W1Case>& cases, engine::FactStore& store) {
  Layout l(store.rules());
  l.CheckEnum("request_kind", {"hours", "times", "place", "predictable"});
  l.CheckEnum("decision", {"granted", "refused", "partly"});
  l.CheckEnum("wkr_allowance", {"home_working", "commuting"});
  const uint32_t root = l.rs.root, er = l.Entity("employer"), ee = l.Entity("employee"), rq = l.Entity("request"),
                 fa = l.Entity("fixed_allowance");
  const uint32_t er_name = l.Field(er, "name"), er_headcount = l.Field(er, "headcount");
  const uint32_t ee_id = l.Field(ee, "id"), ee_start = l.Field(ee, "start_date"), ee_aow = l.Field(ee, "aow_age_reached");
  const uint32_t rq_kind = l.Field(rq, "kind"), rq_sub = l.Field(rq, "submitted_on"), rq_written = l.Field(rq, "written"),
                 rq_start = l.Field(rq, "desired_start"), rq_dec_on = l.Field(rq, "decided_on"),
                 rq_dec = l.Field(rq, "decision"), rq_cons = l.Field(rq, "consulted"),
                 rq_reasons = l.Field(rq, "reasons_given"), rq_weighty = l.Field(rq, "weighty_interest"),
                 rq_unforeseen = l.Field(rq, "unforeseen"), rq_prev = l.Field(rq, "previous_decision_on"),
                 rq_increase = l.Field(rq, "increase"), rq_cao = l.Field(rq, "cao_deviation"),
                 rq_place = l.Field(rq, "place_considered");
  const uint32_t fa_kind = l.Field(fa, "kind"), fa_start = l.Field(fa, "period_start"), fa_end = l.Field(fa, "period_end"),
                 fa_days = l.Field(fa, "days_per_week"), fa_amount = l.Field(fa, "exempt_amount"),
                 fa_km = l.Field(fa, "km_per_day"), fa_study = l.Field(fa, "cost_study");
  // One name and id text for every case: interning is not what is measured.
  const int64_t name = store.Intern("Werkgever"), id = store.Intern("e1");
  for (uint32_t i = 0; i < cases.size(); ++i) {
    const W1Case& c = cases[i];
    uint32_t root_row = store.AddRow(root, 0, 0);
    store.SetDocumentName(root_row, "case " + std::to_string(i + 1));
    uint32_t er_row = store.AddRow(er, root_row, 0);
    RowWriter w(store, er, er_row);
    w.Set(er_name, name);
    w.Set(er_headcount, c.headcount);
    uint32_t ee_row = store.AddRow(ee, er_row, 0);
    RowWriter e(store, ee, ee_row);
    e.Set(ee_id, id);
    e.Set(ee_start, c.start_date);
    e.Set(ee_aow, c.aow_age_reached);
    uint32_t rq_row = store.AddRow(rq, ee_row, 0);
    RowWriter q(store, rq, rq_row);
    q.Set(rq_kind, c.kind);
    q.Set(rq_sub, c.submitted_on);
    q.Set(rq_start, c.desired_start);
    q.Set(rq_written, c.written);
    q.Set(rq_dec_on, c.decided_on);
    q.Set(rq_dec, c.decision);
    q.Set(rq_cons, c.consulted);
    q.Set(rq_reasons, c.reasons_given);
    q.Set(rq_weighty, c.weighty_interest);
    q.Set(rq_unforeseen, c.unforeseen);
    q.Set(rq_prev, c.previous_decision_on);
    q.Set(rq_increase, c.increase);
    q.Set(rq_cao, c.cao_deviation);
    q.Set(rq_place, c.place_considered);
    for (uint32_t k = 0; k < c.allowance_count; ++k) {
      const W1Allowance& a = c.allowances[k];
      uint32_t fa_row = store.AddRow(fa, ee_row, k);
      RowWriter f(store, fa, fa_row);
      f.Set(fa_kind, a.kind);
      f.Set(fa_start, a.period_start);
      f.Set(fa_end, a.period_end);
      f.Set(fa_days, a.days_per_week);
      f.Set(fa_amount, a.exempt_cents);
      if (a.km_tenths.known()) f.SetFraction(fa_km, a.km_tenths.v % 10 ? a.km_tenths.v / 5 : a.km_tenths.v / 10,
                                             a.km_tenths.v % 10 ? 2 : 1);
      else f.SetState(fa_km, a.km_tenths.has, 0);
      f.Set(fa_study, a.cost_study);
    }
  }
  store.Seal();
}

void WriteW1Jsonl(const std::vector<W1Case>& cases, std::ostream& out) {
  std::string line;
  auto date_fact = [&](const char* key, const Fact<int32_t>& f) {
    if (f.has == Has::kUnknown) return;
    line += std::string(",\"") + key + "\":";
    line += f.known() ? "\"" + DateText(f.v) + "\"" : "null";
  };
  auto bool_fact = [&](const char* key, const Fact<bool>& f) {
    if (f.has == Has::kUnknown) return;
    line += std::string(",\"") + key + "\":";
    line += f.known() ? (f.v ? "true" : "false") : "null";
  };
  for (uint32_t i = 0; i < cases.size(); ++i) {
    const W1Case& c = cases[i];
    line = "{\"employer\":{\"name\":\"Werkgever\",\"headcount\":" + std::to_string(c.headcount) +
           ",\"employees\":[{\"id\":\"e1\",\"start_date\":\"" + DateText(c.start_date) + "\"";
    bool_fact("aow_age_reached", c.aow_age_reached);
    line += std::string(",\"requests\":[{\"kind\":\"") + kKindNames[c.kind] + "\",\"submitted_on\":\"" +
            DateText(c.submitted_on) + "\",\"desired_start\":\"" + DateText(c.desired_start) + "\"";
    bool_fact("written", c.written);
    date_fact("decided_on", c.decided_on);
    if (c.decision.has != Has::kUnknown) {
      line += ",\"decision\":";
      line += c.decision.known() ? std::string("\"") + kDecisionNames[c.decision.v] + "\"" : "null";
    }
    bool_fact("consulted", c.consulted);
    bool_fact("reasons_given", c.reasons_given);
    bool_fact("weighty_interest", c.weighty_interest);
    bool_fact("unforeseen", c.unforeseen);
    date_fact("previous_decision_on", c.previous_decision_on);
    bool_fact("increase", c.increase);
    bool_fact("cao_deviation", c.cao_deviation);
    bool_fact("place_considered", c.place_considered);
    line += "}]";
    if (c.allowance_count > 0) {
      line += ",\"fixed_allowances\":[";
      for (uint32_t k = 0; k < c.allowance_count; ++k) {
        const W1Allowance& a = c.allowances[k];
        line += std::string(k ? "," : "") + "{\"kind\":\"" + kAllowanceNames[a.kind] + "\",\"period_start\":\"" +
                DateText(a.period_start) + "\",\"period_end\":\"" + DateText(a.period_end) +
                "\",\"days_per_week\":" + std::to_string(a.days_per_week) + ",\"exempt_amount\":\"" +
                MoneyText(a.exempt_cents) + "\"";
        if (a.km_tenths.has != Has::kUnknown) {
          line += ",\"km_per_day\":";
          line += a.km_tenths.known() ? "\"" + KmText(a.km_tenths.v) + "\"" : "null";
        }
        bool_fact("cost_study", a.cost_study);
        line += "}";
      }
      line += "]";
    }
    line += "}]}}\n";
    out << line;
  }
}

// ---------------------------------------------------------------------------
// W2

W2Employee GenerateW2Employee(uint64_t seed, uint32_t index) {
  Rng r(seed, 2, index);
  W2Employee e;
  char id[32];
  std::snprintf(id, sizeof id, "e%06u", index + 1);
  e.id = id;
  e.start_date = DaysFromCivil(r.Between(2005, 2023), r.Between(1, 12), 1);
  uint32_t x = r.Below(1000);
  if (x < 750) e.residence = {};
  else if (x < 850) e.residence = Fact<uint16_t>::Known(Country("NL"));
  else if (x < 930) e.residence = Fact<uint16_t>::Known(Country("BE"));
  else if (x < 980) e.residence = Fact<uint16_t>::Known(Country("DE"));
  else if (x < 988) e.residence = Fact<uint16_t>::Known(Country("FR"));
  else if (x < 993) e.residence = Fact<uint16_t>::Known(Country("GB"));
  else if (x < 996) e.residence = Fact<uint16_t>::Known(Country("DK"));
  else if (x < 998) e.residence = Fact<uint16_t>::None();
  else e.residence = Fact<uint16_t>::Known(Country("LU"));
  bool cross = e.residence.known() && e.residence.v != Country("NL");
  uint32_t s = r.Below(1000);
  if (cross) {
    if (s < 800) e.ss_country = Fact<uint16_t>::Known(Country("NL"));
    else if (s < 900) e.ss_country = Fact<uint16_t>::Known(e.residence.v);
    else if (s < 930) e.ss_country = Fact<uint16_t>::None();
  } else if (s < 600) {
    e.ss_country = Fact<uint16_t>::Known(Country("NL"));
  }
  uint32_t b = r.Below(1000);
  if (b < 40) e.birth_date = Fact<int32_t>::Known(DaysFromCivil(r.Between(1960, 2000), r.Between(1, 12), r.Between(1, 28)));
  else if (b < 50) e.birth_date = Fact<int32_t>::Known(DaysFromCivil(r.Between(2006, 2007), r.Between(1, 12), r.Between(1, 28)));
  else if (b < 60) e.birth_date = Fact<int32_t>::None();
  if (cross) {
    uint32_t a = r.Below(1000);
    W2A1 cert;
    cert.legislation_country = r.Chance(950) ? Country("NL") : e.residence.v;
    if (a < 200) {
      cert.basis = kFramework;
      cert.valid_from = DaysFromCivil(2023, 7, 1);
      uint32_t t = r.Below(100);
      cert.valid_to = t < 80 ? Fact<int32_t>::Known(DaysFromCivil(2026, 6, 30))
                      : t < 90 ? Fact<int32_t>::None() : Fact<int32_t>{};
      e.a1.push_back(cert);
    } else if (a < 250) {
      cert.basis = kPosting;
      cert.valid_from = DaysFromCivil(2023, 1, 1);
      cert.valid_to = Fact<int32_t>::Known(r.Chance(800) ? DaysFromCivil(2025, 12, 31) : DaysFromCivil(2024, 6, 30));
      e.a1.push_back(cert);
    } else if (a < 280) {
      cert.basis = kMultiState;
      cert.valid_from = DaysFromCivil(2022, 1, 1);
      cert.valid_to = Fact<int32_t>::None();
      e.a1.push_back(cert);
    }
  }
  return e;
}

void GenerateW2Days(uint64_t seed, uint32_t index, const W2Employee& e, std::vector<W2Day>& out) {
  Rng r(seed, 3, index);
  Profile p = ProfileOf(seed, index, e);
  const bool cross = e.residence.known() && e.residence.v != Country("NL");
  const uint16_t nl = Country("NL");
  int32_t after_late = -1;  // the previous day ended late: the next one starts early
  for (int32_t k = 0; k < kW2Days; ++k) {
    W2Day d;
    d.date = kW2FirstDay + k;
    int32_t wd = IsoWeekday(d.date);
    bool works = p.pattern == Pattern::kSevenDay ? true : p.pattern == Pattern::kHeavy ? wd != 7 : wd <= 5;
    if (works && r.Chance(20)) works = false;  // leave, sickness, public holidays
    if (!works && p.worked_days_only) {
      after_late = -1;
      continue;
    }
    if (!works) {
      // A day not worked: every fact known to be absent.
      d.start_has = d.end_has = d.break_has = d.country_has = d.home_has = d.travel_has = d.location_has =
          d.business_trip_has = Has::kNone;
      out.push_back(d);
      after_late = -1;
      continue;
    }
    // Place of work.
    uint32_t loc = r.Below(1000);
    d.location = loc < p.home_permille ? kHome : loc < p.home_permille + 40 ? kElsewhere : kOffice;
    d.location_has = Has::kKnown;
    d.country_has = Has::kKnown;
    d.country = d.location == kHome ? (cross ? e.residence.v : nl)
                : d.location == kElsewhere && p.travels && r.Chance(500) ? (r.Chance(500) ? Country("BE") : Country("DE"))
                                                                        : nl;
    if (p.vague_country && r.Chance(20)) d.country_has = Has::kUnknown;
    // Hours.
    int32_t start = 480 + 30 * static_cast<int32_t>(r.Below(3));
    int32_t end = 990 + 30 * static_cast<int32_t>(r.Below(3));
    int32_t brk = 30;
    switch (p.pattern) {
      case Pattern::kNormal: break;
      case Pattern::kHeavy:
        start = 420;
        end = 1230;  // 07:00-20:30
        brk = r.Chance(500) ? 45 : 30;
        break;
      case Pattern::kLate:
        if (k % 9 == 0) {
          start = 780;
          end = 1410;  // 13:00-23:30
        }
        break;
      case Pattern::kNight:
        if (k % 7 < 2) {
          start = 1080;
          end = 150;  // 18:00-02:30, ends the next day
        }
        break;
      case Pattern::kSevenDay:
        start = 540;
        end = 960;  // 09:00-16:00
        break;
    }
    if (after_late >= 0) start = after_late;
    after_late = -1;
    if (p.pattern == Pattern::kLate && k % 9 == 0) after_late = r.Chance(500) ? 390 : 510;  // 06:30 or 08:30
    if (p.pattern == Pattern::kNight && k % 7 < 2) after_late = 600;                        // 10:00
    if (!r.Chance(1)) {
      d.start = static_cast<int16_t>(start);
      d.start_has = Has::kKnown;
    }
    if (!r.Chance(1)) {
      d.end = static_cast<int16_t>(end);
      d.end_has = Has::kKnown;
    }
    uint32_t b = r.Below(1000);
    if (b < 820) {
      d.break_minutes = static_cast<int16_t>(brk);
      d.break_has = Has::kKnown;
    } else if (b < 900) {
      d.break_has = Has::kNone;
    }
    // Allowances.
    d.home_has = d.travel_has = Has::kNone;
    if (d.location == kHome) {
      d.home_cents = 235;
      d.home_has = Has::kKnown;
    } else {
      d.travel_cents = 720;
      d.travel_has = Has::kKnown;
      if (r.Chance(d.location == kOffice ? 25 : 300)) {  // part of the day at home
        d.home_cents = 235;
        d.home_has = Has::kKnown;
      }
    }
    if (r.Chance(5)) d.home_has = Has::kUnknown;
    if (r.Chance(5)) d.travel_has = Has::kUnknown;
    uint32_t t = r.Below(1000);
    if (d.location == kElsewhere) {
      d.business_trip = t < 600;
      d.business_trip_has = t < 800 ? Has::kKnown : Has::kUnknown;
    } else {
      d.business_trip = false;
      d.business_trip_has = t < 900 ? Has::kKnown : Has::kUnknown;
    }
    out.push_back(d);
  }
}

W2Data GenerateW2(uint64_t seed, uint32_t employees) {
  W2Data data;
  data.headcount = static_cast<int32_t>(employees);
  data.employees.reserve(employees);
  data.days.reserve(static_cast<size_t>(employees) * kW2Days);
  for (uint32_t i = 0; i < employees; ++i) {
    W2Employee e = GenerateW2Employee(seed, i);
    e.first_day = static_cast<uint32_t>(data.days.size());
    GenerateW2Days(seed, i, e, data.days);
    e.day_count = static_cast<uint32_t>(data.days.size()) - e.first_day;
    data.employees.push_back(std::move(e));
  }
  return data;
}

void FillW2(uint64_t seed, uint32_t employees, engine::FactStore& store) {
  Layout l(store.rules());
  l.CheckEnum("location", {"home", "office", "elsewhere"});
  l.CheckEnum("a1_basis", {"multi_state", "framework", "posting"});
  const uint32_t root = l.rs.root, er = l.Entity("employer"), ee = l.Entity("employee"), a1 = l.Entity("a1_certificate"),
                 wd = l.Entity("work_day");
  const uint32_t er_name = l.Field(er, "name"), er_headcount = l.Field(er, "headcount"),
                 er_seat = l.Field(er, "seat_country");
  const uint32_t ee_id = l.Field(ee, "id"), ee_start = l.Field(ee, "start_date"), ee_birth = l.Field(ee, "birth_date"),
                 ee_res = l.Field(ee, "residence"), ee_ss = l.Field(ee, "ss_country");
  const uint32_t a1_basis = l.Field(a1, "basis"), a1_country = l.Field(a1, "legislation_country"),
                 a1_from = l.Field(a1, "valid_from"), a1_to = l.Field(a1, "valid_to");
  const uint32_t d_date = l.Field(wd, "date"), d_start = l.Field(wd, "start"), d_end = l.Field(wd, "end"),
                 d_loc = l.Field(wd, "location"), d_country = l.Field(wd, "country"),
                 d_home = l.Field(wd, "home_allowance"), d_travel = l.Field(wd, "travel_allowance"),
                 d_break = l.Field(wd, "break_minutes"), d_trip = l.Field(wd, "business_trip");
  uint32_t root_row = store.AddRow(root, 0, 0);
  store.SetDocumentName(root_row, "employer.json");
  uint32_t er_row = store.AddRow(er, root_row, 0);
  RowWriter w(store, er, er_row);
  w.Set(er_name, store.Intern("Synthetic employer"));
  w.Set(er_headcount, employees);
  w.Set(er_seat, Country("NL"));
  std::vector<W2Employee> people;
  people.reserve(employees);
  std::vector<uint32_t> rows(employees);
  for (uint32_t i = 0; i < employees; ++i) {
    people.push_back(GenerateW2Employee(seed, i));
    const W2Employee& e = people.back();
    rows[i] = store.AddRow(ee, er_row, i);
    RowWriter x(store, ee, rows[i]);
    x.Set(ee_id, store.Intern(e.id));
    x.Set(ee_start, e.start_date);
    x.Set(ee_birth, e.birth_date);
    x.Set(ee_res, e.residence);
    x.Set(ee_ss, e.ss_country);
  }
  for (uint32_t i = 0; i < employees; ++i) {
    uint32_t k = 0;
    for (const W2A1& c : people[i].a1) {
      uint32_t row = store.AddRow(a1, rows[i], k++);
      RowWriter x(store, a1, row);
      x.Set(a1_basis, c.basis);
      x.Set(a1_country, c.legislation_country);
      x.Set(a1_from, c.valid_from);
      x.Set(a1_to, c.valid_to);
    }
  }
  std::vector<W2Day> days;
  store.Reserve(wd, employees * 366);  // at most a year of days each
  for (uint32_t i = 0; i < employees; ++i) {
    days.clear();
    GenerateW2Days(seed, i, people[i], days);
    for (uint32_t k = 0; k < days.size(); ++k) {
      const W2Day& d = days[k];
      uint32_t row = store.AddRow(wd, rows[i], k);
      RowWriter x(store, wd, row);
      x.Set(d_date, d.date);
      x.SetState(d_start, d.start_has, d.start);
      x.SetState(d_end, d.end_has, d.end);
      x.SetState(d_loc, d.location_has, d.location);
      x.SetState(d_country, d.country_has, d.country);
      x.SetState(d_home, d.home_has, d.home_cents);
      x.SetState(d_travel, d.travel_has, d.travel_cents);
      x.SetState(d_break, d.break_has, d.break_minutes);
      x.SetState(d_trip, d.business_trip_has, d.business_trip ? 1 : 0);
    }
  }
  store.Seal();
}

void WriteW2(uint64_t seed, uint32_t employees, std::ostream& employer_json, std::ostream& csv) {
  std::vector<W2Employee> people;
  people.reserve(employees);
  employer_json << "{\"employer\":{\"name\":\"Synthetic employer\",\"headcount\":" << employees
                << ",\"seat_country\":\"NL\",\"employees\":[";
  for (uint32_t i = 0; i < employees; ++i) {
    people.push_back(GenerateW2Employee(seed, i));
    const W2Employee& e = people.back();
    std::string s = std::string(i ? "," : "") + "{\"id\":\"" + e.id + "\",\"start_date\":\"" + DateText(e.start_date) + "\"";
    auto country = [&](const char* key, const Fact<uint16_t>& f) {
      if (f.has == Has::kUnknown) return;
      s += std::string(",\"") + key + "\":" + (f.known() ? "\"" + CountryText(f.v) + "\"" : "null");
    };
    if (e.birth_date.has != Has::kUnknown) {
      s += ",\"birth_date\":" + (e.birth_date.known() ? "\"" + DateText(e.birth_date.v) + "\"" : std::string("null"));
    }
    country("residence", e.residence);
    country("ss_country", e.ss_country);
    if (!e.a1.empty()) {
      s += ",\"a1_certificates\":[";
      for (size_t k = 0; k < e.a1.size(); ++k) {
        const W2A1& c = e.a1[k];
        s += std::string(k ? "," : "") + "{\"basis\":\"" + kBasisNames[c.basis] + "\",\"legislation_country\":\"" +
             CountryText(c.legislation_country) + "\",\"valid_from\":\"" + DateText(c.valid_from) + "\"";
        if (c.valid_to.has != Has::kUnknown) {
          s += ",\"valid_to\":" + (c.valid_to.known() ? "\"" + DateText(c.valid_to.v) + "\"" : std::string("null"));
        }
        s += "}";
      }
      s += "]";
    }
    s += "}";
    employer_json << s;
  }
  employer_json << "]}}\n";

  csv << "employee,date,start,end,location,country,home_allowance,travel_allowance,break_minutes,business_trip\n";
  std::vector<W2Day> days;
  std::string line;
  auto cell = [&](Has has, const std::string& text) {
    line += ',';
    if (has == Has::kKnown) line += text;
    else if (has == Has::kNone) line += "null";
  };
  for (uint32_t i = 0; i < employees; ++i) {
    days.clear();
    GenerateW2Days(seed, i, people[i], days);
    for (const W2Day& d : days) {
      line = people[i].id;
      line += ',';
      line += DateText(d.date);
      cell(d.start_has, d.start_has == Has::kKnown ? TimeText(d.start) : "");
      cell(d.end_has, d.end_has == Has::kKnown ? TimeText(d.end) : "");
      cell(d.location_has, kLocationNames[d.location]);
      cell(d.country_has, CountryText(d.country));
      cell(d.home_has, MoneyText(d.home_cents));
      cell(d.travel_has, MoneyText(d.travel_cents));
      cell(d.break_has, std::to_string(d.break_minutes) + " minutes");
      cell(d.business_trip_has, d.business_trip ? "true" : "false");
      line += '\n';
      csv << line;
    }
  }
}

}  // namespace nw::bench
