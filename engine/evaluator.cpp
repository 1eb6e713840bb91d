// The batch evaluator: values, three-valued logic, arithmetic with units,
// calls, aggregates, and the frames that subject clauses range over.
#include "engine/internal/evaluator.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <set>

#include "dsl/support/values/checked_math.hpp"
#include "dsl/support/values/date.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/rational.hpp"

namespace nw::engine::internal {

using dsl::Op;
using dsl::TypeKind;
using dsl::AggregateFn;

namespace {

// The variables an expression reads that it does not bind itself (an aggregate
// inside it binds its item), and whether it reads a parameter without a date.
void FreeVars(const dsl::CheckedRuleSet& rs, uint32_t node, std::set<uint32_t>& vars, bool& params) {
  if (node == UINT32_MAX) return;
  const dsl::CExpr& e = rs.expr(node);
  if (e.op == Op::kVar) vars.insert(e.index);
  if (e.op == Op::kParam) params = true;
  if (e.op == Op::kAggregate) {
    std::set<uint32_t> inner;
    for (uint32_t a : e.args) FreeVars(rs, a, inner, params);
    inner.erase(e.index);
    vars.insert(inner.begin(), inner.end());
    return;
  }
  for (uint32_t a : e.args) FreeVars(rs, a, vars, params);
}

// Sixteen rows of a three-valued result from their bits: where `known`, the
// value bit (0 or 1) and State::kKnown; elsewhere State::kError where `error`,
// else State::kUnknown. A row that is not known gets its value bit too (the
// value of such a row is not read).
[[gnu::always_inline]] inline void StoreTruth16(uint32_t known, uint32_t value, uint32_t error, int64_t* oa,
                                                State* os) {
#if defined(__SSE2__)
  static_assert(static_cast<int>(State::kKnown) == 0 && static_cast<int>(State::kUnknown) == 2 &&
                static_cast<int>(State::kError) == 3);
  // Each bit to a byte: the low byte of the mask to lanes 0-7, the high to 8-15,
  // then each lane keeps its own bit.
  const __m128i bit = _mm_set_epi8(-128, 64, 32, 16, 8, 4, 2, 1, -128, 64, 32, 16, 8, 4, 2, 1);
  auto bytes = [&](uint32_t mask) {
    __m128i v = _mm_cvtsi32_si128(static_cast<int>(mask & 0xFFFFu));
    v = _mm_unpacklo_epi8(v, v);
    v = _mm_unpacklo_epi16(v, v);
    v = _mm_unpacklo_epi32(v, v);
    return _mm_cmpeq_epi8(_mm_and_si128(v, bit), bit);  // 0xFF where set
  };
  const __m128i kn = bytes(known), er = bytes(error);
  const __m128i st = _mm_andnot_si128(kn, _mm_or_si128(_mm_set1_epi8(2), _mm_and_si128(er, _mm_set1_epi8(1))));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(os), st);
  StoreBytes16(_mm_and_si128(bytes(value), _mm_set1_epi8(1)), oa);
#else
  for (uint32_t k = 0; k < 16; ++k) {
    const bool kn = (known >> k) & 1;
    oa[k] = static_cast<int64_t>((value >> k) & 1);
    os[k] = kn ? State::kKnown : ((error >> k) & 1) ? State::kError : State::kUnknown;
  }
#endif
}

// Worst of two states for arithmetic: error, then unknown, then none.
inline State Combine(State x, State y) { return x > y ? x : y; }

inline Rational R(int64_t a, int64_t b) { return *Rational::Make(a, b == 0 ? 1 : b); }

// A value as an exact fraction (integers, decimals and percentages).
inline Rational AsRational(TypeKind k, int64_t a, int64_t b) {
  if (k == TypeKind::kDecimal || k == TypeKind::kPercentage) return R(a, b);
  return Rational::FromInteger(a);
}

inline bool IsFraction(TypeKind k) { return k == TypeKind::kDecimal || k == TypeKind::kPercentage; }

// Whether values of a type have a second part (b): fractions and durations. The
// second part of other values is never read, so constants leave it unwritten.
inline bool HasSecond(TypeKind k) { return IsFraction(k) || k == TypeKind::kDuration; }

// True when every value of the chunk is known: kernels then skip state handling.
inline bool AllKnown(const Vec& v, size_t len) {
  const State* s = v.s.data();
  uint8_t acc = 0;
  for (size_t i = 0; i < len; ++i) acc |= static_cast<uint8_t>(s[i]);
  return acc == 0;
}

inline int64_t DaysOf(int64_t a) { return a; }

// Whether rows[i] == rows[0] + i for every i (a slice of a column). Most
// slices that are not show it at their last row (pairs skip a row at each
// owner's boundary); the others are read whole, without an early exit, so
// that the loop vectorises.
inline bool Consecutive(const uint32_t* rows, size_t len) {
  if (len == 0) return false;
  const uint32_t first = rows[0], n = static_cast<uint32_t>(len);
  if (rows[n - 1] != first + (n - 1)) return false;
  uint32_t diff = 0;
  for (uint32_t i = 0; i < n; ++i) diff |= rows[i] ^ (first + i);
  return diff == 0;
}

// o[i] = (x[i] != 0) AND / OR (y[i] != 0), as 0 or 1: `and` / `or` of operands
// known in every row (a rule's conjunctions over a year of work-log records).
// Without SSE4.1 there is no 64-bit compare, so a value is 0 where both its
// 32-bit halves are: two rows at a time from SSE2 instead of a compare, a set
// and a store per row.
inline void BoolKernel(bool is_and, const int64_t* x, const int64_t* y, size_t len, int64_t* o) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i z = _mm_setzero_si128();
  const __m128i one = _mm_set1_epi64x(1);
  auto zero64 = [&](const int64_t* p) {
    const __m128i e = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), z);
    return _mm_and_si128(e, _mm_shuffle_epi32(e, _MM_SHUFFLE(2, 3, 0, 1)));  // all ones where the value is 0
  };
  if (is_and) {
    for (; i + 2 <= len; i += 2) {
      const __m128i zero = _mm_or_si128(zero64(x + i), zero64(y + i));  // the result is 0
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), _mm_andnot_si128(zero, one));
    }
  } else {
    for (; i + 2 <= len; i += 2) {
      const __m128i zero = _mm_and_si128(zero64(x + i), zero64(y + i));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), _mm_andnot_si128(zero, one));
    }
  }
#endif
  for (; i < len; ++i) o[i] = is_and ? (x[i] != 0) & (y[i] != 0) : (x[i] != 0) | (y[i] != 0);
}

// Iterates from[pick[0]], from[pick[1]], ...: the rows of a variable at the rows
// of a frame that are kept. A vector built from a range of these is written
// once, where resize() and a loop would zero it first (a row per work-log
// record for the day frames).
struct GatherIterator {
  using iterator_category = std::random_access_iterator_tag;
  using value_type = uint32_t;
  using difference_type = std::ptrdiff_t;
  using pointer = const uint32_t*;
  using reference = uint32_t;
  const uint32_t* from = nullptr;
  const uint32_t* pick = nullptr;
  uint32_t operator*() const { return from[*pick]; }
  uint32_t operator[](difference_type k) const { return from[pick[k]]; }
  GatherIterator& operator++() {
    ++pick;
    return *this;
  }
  GatherIterator operator++(int) {
    GatherIterator was = *this;
    ++pick;
    return was;
  }
  GatherIterator& operator--() {
    --pick;
    return *this;
  }
  GatherIterator& operator+=(difference_type k) {
    pick += k;
    return *this;
  }
  GatherIterator& operator-=(difference_type k) {
    pick -= k;
    return *this;
  }
  GatherIterator operator-(difference_type k) const { return {from, pick - k}; }
  GatherIterator operator+(difference_type k) const { return {from, pick + k}; }
  difference_type operator-(const GatherIterator& o) const { return pick - o.pick; }
  bool operator==(const GatherIterator& o) const { return pick == o.pick; }
  bool operator!=(const GatherIterator& o) const { return pick != o.pick; }
  bool operator<(const GatherIterator& o) const { return pick < o.pick; }
};

// o[i] = Combine(x[i], y[i]) for every row: sixteen at a time with SSE2.
inline void CombineStates(const State* x, const State* y, size_t len, State* o) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= len; i += 16) {
    const __m128i m = _mm_max_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)),
                                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(y + i)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), m);
  }
#endif
  for (; i < len; ++i) o[i] = Combine(x[i], y[i]);
}

// o[i] = x[i] + y[i] (or - y[i]) for every row, wrapping; whether some row
// overflowed. SSE2 adds and subtracts 64-bit lanes, two rows at a time; a
// sum overflows where its operands have the same sign and the result another
// (a difference: where they differ and the result's sign is not x's).
inline bool AddSub64(bool sub, const int64_t* x, const int64_t* y, size_t len, int64_t* o) {
  size_t i = 0;
  bool overflow = false;
#if defined(__SSE2__)
  __m128i ov = _mm_setzero_si128();
  if (sub) {
    for (; i + 2 <= len; i += 2) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y + i));
      const __m128i r = _mm_sub_epi64(a, b);
      ov = _mm_or_si128(ov, _mm_and_si128(_mm_xor_si128(a, b), _mm_xor_si128(a, r)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), r);
    }
  } else {
    for (; i + 2 <= len; i += 2) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y + i));
      const __m128i r = _mm_add_epi64(a, b);
      ov = _mm_or_si128(ov, _mm_andnot_si128(_mm_xor_si128(a, b), _mm_xor_si128(a, r)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), r);
    }
  }
  overflow = _mm_movemask_pd(_mm_castsi128_pd(ov)) != 0;  // the sign bits
#endif
  for (; i < len; ++i) {
    overflow |= sub ? __builtin_sub_overflow(x[i], y[i], &o[i]) : __builtin_add_overflow(x[i], y[i], &o[i]);
  }
  return overflow;
}

// o[i] = x[i] OP y[i] as 0 or 1 for plain integers, every row. x86-64 has no
// 64-bit compare before SSE4.x, so SSE2 takes two rows at a time by other
// means: equal where both 32-bit halves are; x < y from the sign of x - y,
// corrected where the difference overflows (operands of different signs
// whose difference has not x's sign), shifted down to 0 or 1.
inline void CompareKernel(Op op, const int64_t* x, const int64_t* y, size_t len, int64_t* o) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i one = _mm_set1_epi64x(1);
  auto load = [](const int64_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
  auto store = [&](size_t k, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(o + k), v); };
  auto eq = [](__m128i a, __m128i b) {  // all ones where a == b
    const __m128i e = _mm_cmpeq_epi32(a, b);
    return _mm_and_si128(e, _mm_shuffle_epi32(e, _MM_SHUFFLE(2, 3, 0, 1)));
  };
  auto lt = [](__m128i a, __m128i b) {  // 1 where a < b, else 0
    const __m128i d = _mm_sub_epi64(a, b);
    const __m128i sign = _mm_xor_si128(d, _mm_and_si128(_mm_xor_si128(a, b), _mm_xor_si128(a, d)));
    return _mm_srli_epi64(sign, 63);
  };
  switch (op) {
    case Op::kEq:
      for (; i + 2 <= len; i += 2) store(i, _mm_and_si128(eq(load(x + i), load(y + i)), one));
      break;
    case Op::kNe:
      for (; i + 2 <= len; i += 2) store(i, _mm_andnot_si128(eq(load(x + i), load(y + i)), one));
      break;
    case Op::kLt:
      for (; i + 2 <= len; i += 2) store(i, lt(load(x + i), load(y + i)));
      break;
    case Op::kGt:
      for (; i + 2 <= len; i += 2) store(i, lt(load(y + i), load(x + i)));
      break;
    case Op::kLe:
      for (; i + 2 <= len; i += 2) store(i, _mm_xor_si128(lt(load(y + i), load(x + i)), one));
      break;
    case Op::kGe:
      for (; i + 2 <= len; i += 2) store(i, _mm_xor_si128(lt(load(x + i), load(y + i)), one));
      break;
    default:
      break;
  }
#endif
  switch (op) {
    case Op::kEq:
      for (; i < len; ++i) o[i] = x[i] == y[i];
      break;
    case Op::kNe:
      for (; i < len; ++i) o[i] = x[i] != y[i];
      break;
    case Op::kLt:
      for (; i < len; ++i) o[i] = x[i] < y[i];
      break;
    case Op::kLe:
      for (; i < len; ++i) o[i] = x[i] <= y[i];
      break;
    case Op::kGt:
      for (; i < len; ++i) o[i] = x[i] > y[i];
      break;
    case Op::kGe:
      for (; i < len; ++i) o[i] = x[i] >= y[i];
      break;
    default:
      break;
  }
}

// Kleene `and` / `or` of two values: a decisive operand decides; otherwise error, then unknown.
// Without a branch: an undecided row keeps the value it had (only its state is read).
inline void Kleene(bool is_and, State xs, int64_t xa, State ys, int64_t ya, int64_t& oa, State& os) {
  bool xk = xs == State::kKnown, yk = ys == State::kKnown;
  bool xt = xk & (xa != 0), yt = yk & (ya != 0);
  bool xf = (xk & (xa == 0)) | (xs == State::kNone), yf = (yk & (ya == 0)) | (ys == State::kNone);
  bool decisive = is_and ? (xf | yf) : (xt | yt);
  bool both = is_and ? (xt & yt) : (xf & yf);
  int64_t value = is_and ? !decisive : decisive;
  bool error = (xs == State::kError) | (ys == State::kError);
  oa = (decisive | both) ? value : oa;
  os = (decisive | both) ? State::kKnown : error ? State::kError : State::kUnknown;
}

// The calendar conversions of the value library (unsigned, inline).
using nw::internal::CivilFromDays;
using nw::internal::DaysFromCivil;

// date ± (months, days): the months first, clamped to the end of a shorter
// month (AddMonths with kLawMonthEnd), then the days; nullopt outside 0001-01-01..9999-12-31.
std::optional<int64_t> AddDuration(int64_t date, int64_t months, int64_t days, int sign) {
  if (date < Date::kMinDays || date > Date::kMaxDays) return std::nullopt;
  const YearMonthDay ymd = CivilFromDays(date);
  const int64_t total = int64_t{ymd.year} * 12 + (ymd.month - 1) + static_cast<int32_t>(sign * months);
  if (total < 12 || total >= int64_t{10000} * 12) return std::nullopt;
  const int year = static_cast<int>(total / 12);
  const int month = static_cast<int>(total % 12) + 1;
  const int64_t moved = DaysFromCivil(year, month, std::min(ymd.day, DaysInMonth(year, month)));
  const int64_t shift = sign * days;
  constexpr int64_t kSpan = int64_t{Date::kMaxDays} - Date::kMinDays;
  if (shift < -kSpan || shift > kSpan) return std::nullopt;
  const int64_t r = moved + shift;
  if (r < Date::kMinDays || r > Date::kMaxDays) return std::nullopt;
  return r;
}

// Exact fractions in 64 bits, for the common case: each function returns false
// when an intermediate does not fit (the caller then takes Rational, which
// reduces in 128 bits), else the reduced result with a positive denominator,
// as Rational holds it.
inline uint64_t Gcd(uint64_t a, uint64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  const int shift = __builtin_ctzll(a | b);
  a >>= __builtin_ctzll(a);
  do {
    b >>= __builtin_ctzll(b);
    if (a > b) std::swap(a, b);
    b -= a;
  } while (b != 0);
  return a << shift;
}

// An operand as num/den with den > 0 (integers over 1); false for a negative denominator.
inline bool Fraction(TypeKind k, int64_t a, int64_t b, int64_t& num, int64_t& den) {
  num = a;
  den = IsFraction(k) ? (b == 0 ? 1 : b) : 1;
  return den > 0;
}

inline bool Reduced(int64_t num, int64_t den, int64_t& on, int64_t& od) {
  if (num == INT64_MIN || den == INT64_MIN || den == 0) return false;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  if (den == 1 || num == 0) {
    on = num;
    od = num == 0 ? 1 : den;
    return true;
  }
  const uint64_t g = Gcd(num < 0 ? 0 - static_cast<uint64_t>(num) : static_cast<uint64_t>(num), den);
  on = num / static_cast<int64_t>(g);
  od = den / static_cast<int64_t>(g);
  return true;
}

// num / den rounded half away from zero (den > 0).
inline int64_t RoundHalfAway(int64_t num, int64_t den) {
  const int64_t q = num / den, r = num % den;
  if (r == 0) return q;
  const uint64_t twice = (r < 0 ? static_cast<uint64_t>(-r) : static_cast<uint64_t>(r)) * 2;
  return twice >= static_cast<uint64_t>(den) ? q + (num < 0 ? -1 : 1) : q;
}

}  // namespace

Evaluator::Evaluator(const dsl::CheckedRuleSet& rules, FactStore& facts, Date as_of)
    : rules_(rules), facts_(facts), as_of_(as_of), bufs_(rules.exprs.size()) {
  uint32_t largest = 0;
  for (size_t e = 0; e < facts.table_count(); ++e) largest = std::max(largest, facts.table(static_cast<uint32_t>(e)).rows);
  identity_.resize(largest);
  std::iota(identity_.begin(), identity_.end(), 0u);
}

uint32_t Evaluator::TreeSize(uint32_t node) {
  if (tree_size_.empty()) tree_size_.assign(rules_.exprs.size(), 0);
  if (node == UINT32_MAX) return 0;
  uint32_t& n = tree_size_[node];
  if (n == 0) {
    uint32_t total = 1;
    for (uint32_t a : rules_.expr(node).args) total += TreeSize(a);
    n = total;
  }
  return n;
}

void Evaluator::Fail(const std::string& message) {
  if (std::find(errors_.begin(), errors_.end(), message) == errors_.end()) errors_.push_back(message);
}

const dsl::ParamVersion* Evaluator::ParamVersionAt(uint32_t param) const {
  for (const dsl::ParamVersion& v : rules_.params[param].versions) {
    if (v.from <= as_of_ && (!v.to || as_of_ <= *v.to)) return &v;
  }
  return nullptr;
}

const dsl::ParamVersion* Evaluator::ParamVersionOn(uint32_t param, int64_t day) const {
  for (const dsl::ParamVersion& v : rules_.params[param].versions) {
    if (v.from.DaysSinceEpoch() <= day && (!v.to || day <= v.to->DaysSinceEpoch())) return &v;
  }
  return nullptr;
}

Frame Frame::Filter(const std::vector<uint8_t>& keep) const {
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < size; ++i) {
    if (keep[i]) rows.push_back(static_cast<uint32_t>(i));
  }
  return Select(0, rows);
}

Frame Frame::Select(size_t off, const std::vector<uint32_t>& pick, const std::vector<uint32_t>* only) const {
  Frame out;
  out.size = pick.size();
  out.judged = judged;
  out.runs = runs;
  for (const auto& [id, slot] : vars) {
    if (only != nullptr && !std::binary_search(only->begin(), only->end(), id)) continue;
    VarSlot copy;
    copy.groups = slot.groups;
    copy.runs = slot.runs;  // a selection keeps the runs' order
    const uint32_t* from = slot.rows->data() + off;
    copy.rows->assign(GatherIterator{from, pick.data()}, GatherIterator{from, pick.data() + pick.size()});
    out.vars.emplace(id, std::move(copy));
  }
  if (judged) {
    out.judge_day.resize(pick.size());
    for (size_t k = 0; k < pick.size(); ++k) out.judge_day[k] = judge_day[off + pick[k]];
  }
  return out;
}

void Evaluator::EvalParamPerRow(uint32_t param, const int64_t* days, const State* states, size_t len, Vec& out) {
  const auto& versions = rules_.params[param].versions;
  {
    // Mostly every day of a chunk lies in one version, and no other version
    // covers any of them: then each row takes that version's value.
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    if (states == nullptr) {
      Bounds(days, len, lo, hi);
    } else {
      for (size_t i = 0; i < len; ++i) {
        bool known = states[i] == State::kKnown;
        lo = known && days[i] < lo ? days[i] : lo;
        hi = known && days[i] > hi ? days[i] : hi;
      }
    }
    const dsl::ParamVersion* only = nullptr;
    size_t covering = 0;
    for (const dsl::ParamVersion& v : versions) {
      int64_t from = v.from.DaysSinceEpoch(), to = v.to ? v.to->DaysSinceEpoch() : INT64_MAX;
      if (from <= hi && lo <= to) {
        ++covering;
        if (from <= lo && hi <= to) only = &v;
      }
    }
    if (lo <= hi && covering == 1 && only != nullptr) {
      if (states == nullptr) {
        std::fill_n(out.a.data(), len, only->value.a);
        if (HasSecond(rules_.params[param].type.kind)) std::fill_n(out.b.data(), len, only->value.b);
        std::fill_n(out.s.data(), len, State::kKnown);
        return;
      }
      for (size_t i = 0; i < len; ++i) {
        if (states != nullptr && states[i] != State::kKnown) {
          out.s[i] = states[i];
          continue;
        }
        out.a[i] = only->value.a;
        out.b[i] = only->value.b;
        out.s[i] = State::kKnown;
      }
      return;
    }
  }
  const dsl::ParamVersion* last = nullptr;
  for (size_t i = 0; i < len; ++i) {
    if (states != nullptr && states[i] != State::kKnown) {
      out.s[i] = states[i] == State::kNone ? State::kNone : states[i];
      continue;
    }
    int64_t day = days[i];
    // Consecutive rows mostly share a version.
    if (last == nullptr || last->from.DaysSinceEpoch() > day || (last->to && day > last->to->DaysSinceEpoch())) {
      last = nullptr;
      for (const dsl::ParamVersion& v : versions) {
        if (v.from.DaysSinceEpoch() <= day && (!v.to || day <= v.to->DaysSinceEpoch())) {
          last = &v;
          break;
        }
      }
    }
    if (last == nullptr) {
      out.s[i] = State::kError;
      Fail("no value of parameter `" + rules_.params[param].name + "` is in force on " +
           Date::FromDaysSinceEpoch(day)->ToString());
      continue;
    }
    out.a[i] = last->value.a;
    out.b[i] = last->value.b;
    out.s[i] = State::kKnown;
  }
}

const std::vector<uint32_t>& Evaluator::SortedBy(uint32_t entity, uint32_t field) {
  auto key = std::make_pair(entity, field);
  auto it = sorted_.find(key);
  if (it != sorted_.end()) return it->second;
  const Table& t = facts_.table(entity);
  // The keyed aggregates' index on this field (IndexFor: the day's aggregates keyed on
  // `x.date = d.date`) is a stable sort of the same rows by (owner, key) with the rows of
  // unknown or absent keys last; when every key is known that is this order, so the scan (or
  // the sort) of a work log already done for the definitions serves the periods' frames too.
  if (auto ix = key_indexes_.find(key); ix != key_indexes_.end() && ix->second.all_known && !t.owner.empty()) {
    return ix->second.perm;
  }
  std::vector<uint32_t> perm(t.rows);
  std::iota(perm.begin(), perm.end(), 0u);
  const Column& c = t.columns[field];
  bool owned = !t.owner.empty();
  auto less = [&](uint32_t x, uint32_t y) {
    if (owned && t.owner[x] != t.owner[y]) return t.owner[x] < t.owner[y];
    return c.a(x) < c.a(y);
  };
  // Work logs usually arrive in order; sorting is needed only when they do not.
  bool in_order = true;
  for (uint32_t r = 1; r < t.rows && in_order; ++r) in_order = !less(r, r - 1);
  if (!in_order) std::stable_sort(perm.begin(), perm.end(), less);
  const std::vector<uint32_t>& stored = sorted_.emplace(key, std::move(perm)).first->second;
  if (in_order) identity_orders_.insert(&stored);
  return stored;
}

void Evaluator::EvalAll(uint32_t node, const Frame& f, Vec& out) {
  out.Resize(f.size);
  for (size_t off = 0; off < f.size; off += kChunk) {
    size_t len = std::min(kChunk, f.size - off);
    const Vec& v = Eval(node, f, off, len);
    std::copy_n(v.a.begin(), len, out.a.begin() + off);
    std::copy_n(v.b.begin(), len, out.b.begin() + off);
    std::copy_n(v.s.begin(), len, out.s.begin() + off);
  }
}

void Evaluator::CollectionRanges(uint32_t coll_node, const Frame& f, size_t off, size_t len, std::vector<uint32_t>& lo,
                                 std::vector<uint32_t>& hi, std::vector<State>& st,
                                 const std::vector<uint32_t>*& perm, uint32_t& entity) {
  const dsl::CExpr& ce = rules_.expr(coll_node);
  lo.resize(len);
  hi.resize(len);
  st.resize(len);
  entity = ce.type.id;
  if (ce.type.kind == TypeKind::kGroup) {
    const VarSlot& slot = f.vars.at(ce.index);  // group values come only from group variables
    perm = slot.groups->perm;
    for (size_t i = 0; i < len; ++i) {
      uint32_t g = (*slot.rows)[off + i];
      lo[i] = slot.groups->lo[g];
      hi[i] = slot.groups->hi[g];
      st[i] = State::kKnown;
    }
    return;
  }
  // A list: the owner's row; its children are contiguous in table order.
  const Vec& v = Eval(coll_node, f, off, len);
  const Table& t = facts_.table(entity);
  perm = &identity_;
  for (size_t i = 0; i < len; ++i) {
    st[i] = v.s[i];
    if (v.s[i] == State::kKnown) {
      lo[i] = t.begin[v.a[i]];
      hi[i] = t.begin[v.a[i] + 1];
    } else {
      lo[i] = hi[i] = 0;
    }
  }
}

const Vec* Evaluator::EvalByRuns(uint32_t node, const Frame& f, size_t off, size_t len) {
  if (run_var_.empty()) {
    run_var_.assign(bufs_.size(), kRunUnanalysed);
    run_params_.assign(bufs_.size(), 0);
  }
  uint32_t& var = run_var_[node];
  if (var == kRunUnanalysed) {
    const dsl::CExpr& e = rules_.expr(node);
    std::set<uint32_t> vars;
    bool params = false;
    FreeVars(rules_, node, vars, params);
    run_params_[node] = params;
    // A read of a variable's fact is a gather already: not worth the runs.
    const bool trivial = e.op == Op::kVar || e.op == Op::kLiteral || e.op == Op::kSetLit || e.op == Op::kParam ||
                         (e.op == Op::kField && rules_.expr(e.args[0]).op == Op::kVar);
    var = vars.size() == 1 && !trivial ? *vars.begin() : kNoRunVar;
  }
  if (var == kNoRunVar) return nullptr;
  auto it = f.vars.find(var);
  // Parameters without a date are read on each row's judging date.
  if (it == f.vars.end() || !it->second.runs || (f.judged && run_params_[node])) return nullptr;
  const uint32_t* rows = it->second.rows->data() + off;
  std::vector<uint32_t> heads{0};  // first position of each run
  heads.reserve(len / 8 + 1);
  size_t i = 1;
#if defined(__SSE2__)
  // Sixteen rows a turn against the row before each: the runs' first rows.
  for (; i + 16 <= len && heads.size() * 4 <= len; i += 16) {
    uint32_t same = 0;
    for (int q = 0; q < 4; ++q) {
      const __m128i cur = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows + i + 4 * q));
      const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows + i + 4 * q - 1));
      same |= static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(cur, prev)))) << (4 * q);
    }
    for (uint32_t bits = ~same & 0xFFFFu; bits != 0; bits &= bits - 1)
      heads.push_back(static_cast<uint32_t>(i + static_cast<size_t>(__builtin_ctz(bits))));
  }
#endif
  for (; i < len && heads.size() * 4 <= len; ++i) {
    if (rows[i] != rows[i - 1]) heads.push_back(static_cast<uint32_t>(i));
  }
  if (heads.size() * 4 > len) return nullptr;  // short runs: row by row is as quick
  const size_t n = heads.size();
  Frame runs;
  runs.size = n;
  VarSlot slot;
  slot.groups = it->second.groups;
  slot.rows->resize(n);
  for (size_t k = 0; k < n; ++k) (*slot.rows)[k] = rows[heads[k]];
  runs.vars.emplace(var, std::move(slot));
  runs.judged = f.judged;
  if (f.judged) {
    runs.judge_day.resize(n);
    for (size_t k = 0; k < n; ++k) runs.judge_day[k] = f.judge_day[off + heads[k]];
  }
  Eval(node, runs, 0, n);  // no runs there: row by row
  // Spread the runs' values over their rows, the last run first (run k's value
  // sits at position k, at or before its first row).
  Vec& out = bufs_[node];
  out.Resize(len);
  const bool second = HasSecond(rules_.expr(node).type.kind);
  for (size_t k = n; k-- > 0;) {
    const size_t from = heads[k], to = k + 1 < n ? heads[k + 1] : len;
    const int64_t a = out.a[k], b = second ? out.b[k] : 1;
    const State st = out.s[k];
    std::fill(out.a.data() + from, out.a.data() + to, a);
    if (second) std::fill(out.b.data() + from, out.b.data() + to, b);
    std::fill(out.s.data() + from, out.s.data() + to, st);
  }
  out.seq = -1;
  ConstantRows(node) = 0;
  return &out;
}

const Vec& Evaluator::Eval(uint32_t node, const Frame& f, size_t off, size_t len) {
  if (f.runs && len >= 32 && !every_operand_) {
    if (const Vec* v = EvalByRuns(node, f, off, len)) return *v;
  }
  const dsl::CExpr& e = rules_.expr(node);
  Vec& out = bufs_[node];
  out.Resize(len);
  auto* oa = out.a.data();
  auto* ob = out.b.data();
  auto* os = out.s.data();
  switch (e.op) {
    case Op::kLiteral:
      if (ConstantRows(node) >= len) return out;  // filled by an earlier chunk
      std::fill_n(oa, len, e.literal.a);
      if (HasSecond(e.type.kind)) std::fill_n(ob, len, e.literal.b);
      std::fill_n(os, len, State::kKnown);
      ConstantRows(node) = static_cast<uint32_t>(len);
      return out;
    case Op::kSetLit: {
      if (ConstantRows(node) >= len) return out;
      int64_t mask = 0;
      for (uint32_t a : e.args) mask |= int64_t{1} << rules_.expr(a).literal.a;
      std::fill_n(oa, len, mask);
      std::fill_n(os, len, State::kKnown);
      ConstantRows(node) = static_cast<uint32_t>(len);
      return out;
    }
    case Op::kParamOn: {
      const Vec& d = Eval(e.args[0], f, off, len);
      EvalParamPerRow(e.index, d.a.data(), AllKnown(d, len) ? nullptr : d.s.data(), len, out);
      return out;
    }
    case Op::kParam: {
      if (f.judged) {
        EvalParamPerRow(e.index, f.judge_day.data() + off, nullptr, len, out);
        ConstantRows(node) = 0;
        return out;
      }
      if (ConstantRows(node) >= len) return out;  // the value on the evaluation date, filled before
      const dsl::ParamVersion* v = ParamVersionAt(e.index);
      if (v == nullptr) {
        Fail("no value of parameter `" + rules_.params[e.index].name + "` is in force on " + as_of_.ToString());
        std::fill_n(os, len, State::kError);
        ConstantRows(node) = 0;
        return out;
      }
      std::fill_n(oa, len, v->value.a);
      if (HasSecond(e.type.kind)) std::fill_n(ob, len, v->value.b);
      std::fill_n(os, len, State::kKnown);
      ConstantRows(node) = static_cast<uint32_t>(len);
      return out;
    }
    case Op::kVar: {
      const VarSlot& slot = f.vars.at(e.index);
      const uint32_t* rows = slot.rows->data() + off;
      for (size_t i = 0; i < len; ++i) oa[i] = rows[i];
      out.seq = len > 0 && (slot.identity || Consecutive(rows, len)) ? static_cast<int64_t>(rows[0]) : int64_t{-1};
      std::fill_n(os, len, State::kKnown);
      return out;
    }
    case Op::kField: {
      uint32_t entity = rules_.expr(e.args[0]).type.id;
      const Table& t = facts_.table(entity);
      const dsl::FieldInfo& field = rules_.entities[entity].fields[e.index];
      if (rules_.expr(e.args[0]).op == Op::kVar && !every_operand_ && field.type.kind != TypeKind::kList &&
          field.type.kind != TypeKind::kEntity) {
        // A variable's own fact: read the column at the variable's rows, without
        // evaluating the variable (explanations, which read its buffer, take the path below).
        const VarSlot& slot = f.vars.at(rules_.expr(e.args[0]).index);
        const uint32_t* rows = slot.rows->data() + off;
        bool consecutive = len > 0 && (slot.identity || Consecutive(rows, len));
        const Column& c = t.columns[e.index];
        if (c.has_pending()) {
          // The rows not computed yet, listed without a branch per row (mostly none).
          std::unique_ptr<uint32_t[]> pending(new uint32_t[len]);
          size_t n = 0;
          for (size_t i = 0; i < len; ++i) {
            pending[n] = rows[i];
            n += c.pending(rows[i]);
          }
          if (n > 0) {
            std::vector<uint32_t> todo(pending.get(), pending.get() + n);
            ComputePending(entity, e.index, std::move(todo));
          }
        }
        if (consecutive) c.CopyOut(rows[0], len, oa, ob, os);
        else c.Gather(rows, len, oa, ob, os);
        return out;
      }
      const Vec& base = Eval(e.args[0], f, off, len);
      if (field.type.kind == TypeKind::kList) {
        // A list value is its owner's row; the children are found from it.
        for (size_t i = 0; i < len; ++i) {
          oa[i] = base.a[i];
          os[i] = base.s[i];
        }
        return out;
      }
      if (field.type.kind == TypeKind::kEntity) {
        // A single nested entity: the child row held by this owner row, if any.
        const Table& child = facts_.table(field.type.id);
        for (size_t i = 0; i < len; ++i) {
          if (base.s[i] != State::kKnown) {
            os[i] = base.s[i];
            continue;
          }
          uint32_t b = child.begin[base.a[i]], en = child.begin[base.a[i] + 1];
          os[i] = b < en ? State::kKnown : State::kNone;
          oa[i] = b;
        }
        return out;
      }
      const Column& c = t.columns[e.index];
      if (c.has_pending()) {
        std::vector<uint32_t> todo;
        todo.reserve(len);
        for (size_t i = 0; i < len; ++i) {
          if (base.s[i] == State::kKnown && c.pending(static_cast<uint32_t>(base.a[i]))) todo.push_back(static_cast<uint32_t>(base.a[i]));
        }
        ComputePending(entity, e.index, std::move(todo));
      }
      if (base.seq >= 0) {
        // Consecutive rows: a slice of the column.
        c.CopyOut(static_cast<uint32_t>(base.seq), len, oa, ob, os);
        return out;
      }
      if (AllKnown(base, len)) {
        c.Gather(base.a.data(), len, oa, ob, os);
        return out;
      }
      for (size_t i = 0; i < len; ++i) {
        if (base.s[i] != State::kKnown) {
          os[i] = base.s[i] == State::kNone ? State::kNone : base.s[i];
          continue;
        }
        uint32_t r = static_cast<uint32_t>(base.a[i]);
        oa[i] = c.a(r);
        ob[i] = c.b(r);
        os[i] = c.state(r);
      }
      return out;
    }
    case Op::kOwner: {
      const Table& t = facts_.table(rules_.expr(e.args[0]).type.id);
      if (rules_.expr(e.args[0]).op == Op::kVar && !every_operand_) {
        // A variable's owner, read at the variable's rows (see kField).
        const VarSlot& slot = f.vars.at(rules_.expr(e.args[0]).index);
        const uint32_t* rows = slot.rows->data() + off;
        const uint32_t* owner = t.owner.data();
        if (len > 0 && slot.identity) {
          // Consecutive rows (a table's rows in order): a slice of the owners.
          owner += rows[0];
          for (size_t i = 0; i < len; ++i) oa[i] = owner[i];
        } else {
          for (size_t i = 0; i < len; ++i) oa[i] = owner[rows[i]];
        }
        std::fill_n(os, len, State::kKnown);
        return out;
      }
      const Vec& base = Eval(e.args[0], f, off, len);
      for (size_t i = 0; i < len; ++i) {
        os[i] = base.s[i];
        if (base.s[i] == State::kKnown) oa[i] = t.owner[base.a[i]];
      }
      return out;
    }
    case Op::kGroupStart:
    case Op::kGroupEnd: {
      const dsl::CExpr& g = rules_.expr(e.args[0]);
      const VarSlot& slot = f.vars.at(g.index);
      const auto& dates = e.op == Op::kGroupStart ? slot.groups->start : slot.groups->end;
      for (size_t i = 0; i < len; ++i) oa[i] = dates[(*slot.rows)[off + i]];
      std::fill_n(os, len, State::kKnown);
      return out;
    }
    case Op::kNot: {
      const Vec& x = Eval(e.args[0], f, off, len);
      const int64_t* xa = x.a.data();  // locals: a state store would otherwise reload x's vectors
      const State* xst = x.s.data();
      for (size_t i = 0; i < len; ++i) {
        // A bool known to be absent counts as false. Without a branch per row.
        const State xs = xst[i];
        const bool decided = (xs == State::kKnown) | (xs == State::kNone);
        const int64_t v = !((xs == State::kKnown) & (xa[i] != 0));
        oa[i] = decided ? v : oa[i];
        os[i] = decided ? State::kKnown : xs;
      }
      return out;
    }
    case Op::kAnd:
    case Op::kOr: {
      const Vec& x = Eval(e.args[0], f, off, len);
      bool is_and = e.op == Op::kAnd;
      // Rows the left operand decides (false for `and`, true for `or`) need no right
      // operand; the others are listed in one pass without a branch per row.
      size_t decided = 0;
      // The open rows are listed in a buffer kept by the evaluator: they are copied
      // out before the right operand is evaluated (which may list its own).
      uint32_t* open = nullptr;
      if (!every_operand_) {
        if (open_rows_.size() < len + 16) open_rows_.resize(len + 16);  // room for ListBits16
        open = open_rows_.data();
        uint32_t* o = open;
        const State* xs = x.s.data();
        const int64_t* xa = x.a.data();
        size_t n = 0;
        size_t i0 = 0;
        for (; i0 + 16 <= len; i0 += 16) {
          RowBits b = RowBits16(xs + i0, xa + i0);
          uint32_t decides = is_and ? (b.none | (b.known & b.zero)) : (b.known & ~b.zero);
          n = ListBits16(~decides & 0xFFFFu, static_cast<uint32_t>(i0), o, n);
        }
        if (is_and) {
          for (size_t i = i0; i < len; ++i) {
            o[n] = static_cast<uint32_t>(i);
            n += !((xs[i] == State::kNone) | ((xs[i] == State::kKnown) & (xa[i] == 0)));
          }
        } else {
          for (size_t i = i0; i < len; ++i) {
            o[n] = static_cast<uint32_t>(i);
            n += !((xs[i] == State::kKnown) & (xa[i] != 0));
          }
        }
        decided = len - n;
      }
      if (decided == len) {
        std::fill_n(oa, len, is_and ? 0 : 1);
        std::fill_n(os, len, State::kKnown);
        return out;
      }
      if (decided * 2 >= len && TreeSize(e.args[1]) > 3) {
        // Most rows are decided: the right operand only for the others.
        std::vector<uint32_t> pick(open, open + (len - decided));
        Frame sub = f.Select(off, pick, &VarsRead(e.args[1]));
        const Vec& y = Eval(e.args[1], sub, 0, pick.size());
        std::fill_n(oa, len, is_and ? 0 : 1);
        std::fill_n(os, len, State::kKnown);
        for (size_t j = 0; j < pick.size(); ++j) {
          size_t i = pick[j];
          Kleene(is_and, x.s[i], x.a[i], y.s[j], y.a[j], oa[i], os[i]);
        }
        return out;
      }
      const Vec& y = Eval(e.args[1], f, off, len);
      if (AllKnown(x, len) && AllKnown(y, len)) {
        BoolKernel(is_and, x.a.data(), y.a.data(), len, oa);
        std::fill_n(os, len, State::kKnown);
        return out;
      }
      // Sixteen rows at a time from their bits, then the rest one by one.
      size_t i0 = 0;
      for (; i0 + 16 <= len; i0 += 16) {
        RowBits bx = RowBits16(x.s.data() + i0, x.a.data() + i0), by = RowBits16(y.s.data() + i0, y.a.data() + i0);
        uint32_t xt = bx.known & ~bx.zero, yt = by.known & ~by.zero;
        uint32_t xf = (bx.known & bx.zero) | bx.none, yf = (by.known & by.zero) | by.none;
        uint32_t decisive = is_and ? (xf | yf) : (xt | yt);
        uint32_t known = decisive | (is_and ? (xt & yt) : (xf & yf));
        uint32_t value = is_and ? ~decisive : decisive;
        uint32_t error = bx.error | by.error;
        StoreTruth16(known, value, error, oa + i0, os + i0);
      }
      for (size_t i = i0; i < len; ++i) Kleene(is_and, x.s[i], x.a[i], y.s[i], y.a[i], oa[i], os[i]);
      return out;
    }
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: {
      const Vec& l = Eval(e.args[0], f, off, len);
      const Vec& r = Eval(e.args[1], f, off, len);
      EvalCompare(e, l, r, len, out);
      return out;
    }
    case Op::kIn: {
      const Vec& l = Eval(e.args[0], f, off, len);
      const Vec& r = Eval(e.args[1], f, off, len);
      if (AllKnown(l, len) && AllKnown(r, len)) {
        for (size_t i = 0; i < len; ++i) oa[i] = (r.a[i] >> l.a[i]) & 1;
        std::fill_n(os, len, State::kKnown);
        return out;
      }
      for (size_t i = 0; i < len; ++i) {
        // Without a branch per row; a row not known shifts by nothing.
        const State s = Combine(l.s[i], r.s[i]);
        const bool known = s == State::kKnown, none = s == State::kNone;
        const int64_t v = (r.a[i] >> (known ? l.a[i] : 0)) & 1;
        oa[i] = known ? v : none ? 0 : oa[i];
        os[i] = none ? State::kKnown : s;
      }
      return out;
    }
    case Op::kIsKnown: case Op::kIsNone: case Op::kIsUnknown: {
      const State want = e.op == Op::kIsKnown ? State::kKnown : e.op == Op::kIsNone ? State::kNone : State::kUnknown;
      const dsl::CExpr& x_expr = rules_.expr(e.args[0]);
      const State* xs = nullptr;  // local: a state store would otherwise reload x's vector
      if (x_expr.op == Op::kField && rules_.expr(x_expr.args[0]).op == Op::kVar && !every_operand_ &&
          x_expr.type.kind != TypeKind::kList && x_expr.type.kind != TypeKind::kEntity) {
        // A variable's own fact, computed already: its states are all that is read.
        const Table& t = facts_.table(rules_.expr(x_expr.args[0]).type.id);
        const Column& c = t.columns[x_expr.index];
        if (!c.has_pending()) {
          const VarSlot& slot = f.vars.at(rules_.expr(x_expr.args[0]).index);
          const uint32_t* rows = slot.rows->data() + off;
          Vec& xv = bufs_[e.args[0]];
          xv.Resize(len);
          if (len > 0 && (slot.identity || Consecutive(rows, len)))
            c.CopyStates(rows[0], len, xv.s.data());
          else
            c.GatherStates(rows, len, xv.s.data());
          xs = xv.s.data();
        }
      }
      if (xs == nullptr) xs = Eval(e.args[0], f, off, len).s.data();
      size_t i = 0;
#if defined(__SSE2__)
      // Sixteen rows a turn: the truth widened from a byte to a value, the state
      // an error where the operand's is (State::kKnown is 0, kError 3).
      static_assert(static_cast<int>(State::kKnown) == 0 && static_cast<int>(State::kError) == 3);
      const __m128i want16 = _mm_set1_epi8(static_cast<char>(want));
      const __m128i error16 = _mm_set1_epi8(static_cast<char>(State::kError));
      const __m128i one16 = _mm_set1_epi8(1);
      for (; i + 16 <= len; i += 16) {
        const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xs + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(os + i), _mm_and_si128(_mm_cmpeq_epi8(st, error16), error16));
        StoreBytes16(_mm_and_si128(_mm_cmpeq_epi8(st, want16), one16), oa + i);
      }
#endif
      for (; i < len; ++i) {
        const State st = xs[i];
        os[i] = st == State::kError ? State::kError : State::kKnown;
        oa[i] = st == want;
      }
      return out;
    }
    case Op::kIf: {
      const Vec& c = Eval(e.args[0], f, off, len);
      const Vec& x = Eval(e.args[1], f, off, len);
      const Vec& y = Eval(e.args[2], f, off, len);
      // An integer branch of a decimal `if` is a fraction over 1.
      const bool x_over_1 = IsFraction(e.type.kind) && !IsFraction(rules_.expr(e.args[1]).type.kind);
      const bool y_over_1 = IsFraction(e.type.kind) && !IsFraction(rules_.expr(e.args[2]).type.kind);
      // Local pointers: a state store (a byte) would otherwise reload the operands' vectors.
      const int64_t *ca = c.a.data(), *xa = x.a.data(), *xb = x.b.data(), *ya = y.a.data(), *yb = y.b.data();
      const State *cst = c.s.data(), *xst = x.s.data(), *yst = y.s.data();
      for (size_t i = 0; i < len; ++i) {
        // Without a branch per row: a row whose condition is not decided takes its state.
        const State cs = cst[i];
        const bool decided = (cs == State::kKnown) | (cs == State::kNone);
        const bool take_x = (cs == State::kKnown) & (ca[i] != 0);
        const int64_t a = take_x ? xa[i] : ya[i];
        const int64_t b = take_x ? (x_over_1 ? 1 : xb[i]) : (y_over_1 ? 1 : yb[i]);
        const State st = take_x ? xst[i] : yst[i];
        oa[i] = decided ? a : oa[i];
        ob[i] = decided ? b : ob[i];
        os[i] = decided ? st : cs;
      }
      return out;
    }
    case Op::kNeg: {
      const Vec& x = Eval(e.args[0], f, off, len);
      for (size_t i = 0; i < len; ++i) {
        os[i] = x.s[i];
        if (x.s[i] != State::kKnown) continue;
        if (e.type.kind == TypeKind::kDuration) {
          oa[i] = -x.a[i];
          ob[i] = -x.b[i];
        } else {
          auto n = CheckedNeg(x.a[i]);
          if (!n) {
            os[i] = State::kError;
            Fail("a negation overflows");
            continue;
          }
          oa[i] = *n;
          ob[i] = x.b[i];
        }
      }
      return out;
    }
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kAt: {
      const Vec& l = Eval(e.args[0], f, off, len);
      const Vec& r = Eval(e.args[1], f, off, len);
      EvalArith(e, l, r, len, out);
      return out;
    }
    case Op::kCall:
      EvalCall(e, f, off, len, out);
      return out;
    case Op::kAggregate:
      EvalAggregate(node, f, off, len, out);
      return out;
  }
  std::fill_n(os, len, State::kError);
  return out;
}

void Evaluator::EvalCompare(const dsl::CExpr& e, const Vec& l, const Vec& r, size_t len, Vec& out) {
  TypeKind lk = rules_.expr(e.args[0]).type.kind;
  TypeKind rk = rules_.expr(e.args[1]).type.kind;
  bool fractions = IsFraction(lk) || IsFraction(rk);
  bool duration = lk == TypeKind::kDuration;
  bool text = lk == TypeKind::kText;
  if (!fractions && !duration && !text) {
    // Plain integers (counts, cents, days, minutes, enum and country codes),
    // compared in every row; rows with an operand not known then take its state.
    const int64_t* x = l.a.data();
    const int64_t* y = r.a.data();
    int64_t* o = out.a.data();
    CompareKernel(e.op, x, y, len, o);
    if (AllKnown(l, len) && AllKnown(r, len)) {
      std::fill_n(out.s.data(), len, State::kKnown);
      return;
    }
    // A fact known to be absent equals nothing and orders before nothing.
    const int64_t absent = e.op == Op::kNe ? 1 : 0;
    State* os = out.s.data();
    // Through local pointers: a state store (a byte) would otherwise reload the operands' vectors.
    const State* ls = l.s.data();
    const State* rs = r.s.data();
    size_t i0 = 0;
#if defined(__SSE2__)
    // Sixteen rows at a time: the states combine by their maximum (Combine),
    // an absent one becomes known, and only the rows with an absent operand
    // (few: a break not taken, an end not given) get the value `absent`.
    const __m128i none_state = _mm_set1_epi8(static_cast<char>(State::kNone));
    for (; i0 + 16 <= len; i0 += 16) {
      const __m128i st = _mm_max_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ls + i0)),
                                      _mm_loadu_si128(reinterpret_cast<const __m128i*>(rs + i0)));
      const __m128i none = _mm_cmpeq_epi8(st, none_state);
      static_assert(static_cast<int>(State::kKnown) == 0, "an absent operand's row becomes known by clearing it");
      _mm_storeu_si128(reinterpret_cast<__m128i*>(os + i0), _mm_andnot_si128(none, st));
      for (uint32_t bits = static_cast<uint32_t>(_mm_movemask_epi8(none)); bits != 0; bits &= bits - 1) {
        o[i0 + static_cast<size_t>(__builtin_ctz(bits))] = absent;
      }
    }
#endif
    for (size_t i = i0; i < len; ++i) {
      const State st = Combine(ls[i], rs[i]);
      const bool none = st == State::kNone;
      o[i] = none ? absent : o[i];
      os[i] = none ? State::kKnown : st;
    }
    return;
  }
  for (size_t i = 0; i < len; ++i) {
    State s = Combine(l.s[i], r.s[i]);
    if (s == State::kNone) {
      // A fact known to be absent equals nothing and orders before nothing.
      out.a[i] = e.op == Op::kNe ? 1 : 0;
      out.s[i] = State::kKnown;
      continue;
    }
    out.s[i] = s;
    if (s != State::kKnown) continue;
    int cmp;
    if (fractions) {
      Rational x = AsRational(lk, l.a[i], l.b[i]), y = AsRational(rk, r.a[i], r.b[i]);
      cmp = x < y ? -1 : (y < x ? 1 : 0);
    } else if (duration) {
      auto c = Compare(Duration::FromParts(static_cast<int32_t>(l.a[i]), static_cast<int32_t>(l.b[i])),
                       Duration::FromParts(static_cast<int32_t>(r.a[i]), static_cast<int32_t>(r.b[i])));
      if (!c) {
        out.s[i] = State::kError;
        Fail("durations of months and of days cannot be compared");
        continue;
      }
      cmp = *c < 0 ? -1 : (*c > 0 ? 1 : 0);
    } else if (text) {
      int c = facts_.Text(l.a[i]).compare(facts_.Text(r.a[i]));
      cmp = c < 0 ? -1 : (c > 0 ? 1 : 0);
    } else {
      cmp = l.a[i] < r.a[i] ? -1 : (l.a[i] > r.a[i] ? 1 : 0);
    }
    bool res = false;
    switch (e.op) {
      case Op::kEq: res = cmp == 0; break;
      case Op::kNe: res = cmp != 0; break;
      case Op::kLt: res = cmp < 0; break;
      case Op::kLe: res = cmp <= 0; break;
      case Op::kGt: res = cmp > 0; break;
      case Op::kGe: res = cmp >= 0; break;
      default: break;
    }
    out.a[i] = res;
  }
}

void Evaluator::EvalArith(const dsl::CExpr& e, const Vec& l, const Vec& r, size_t len, Vec& out) {
  TypeKind lk = rules_.expr(e.args[0]).type.kind;
  TypeKind rk = rules_.expr(e.args[1]).type.kind;
  TypeKind res = e.type.kind;
  if (AllKnown(l, len) && AllKnown(r, len)) {
    // Common integer kernels: counts, cents, minutes, moments, days.
    const int64_t* x = l.a.data();
    const int64_t* y = r.a.data();
    int64_t* o = out.a.data();
    // Sums and differences of plain integers: integer ± integer, money ± money, timespan ± timespan,
    // datetime ± timespan, datetime − datetime, time − time (not dates, durations or fractions).
    bool plain = !IsFraction(lk) && !IsFraction(rk) && res != TypeKind::kDate && res != TypeKind::kDuration;
    bool overflow = false;
    if (e.op == Op::kAt) {
      for (size_t i = 0; i < len; ++i) o[i] = x[i] * 1440 + y[i];  // days are bounded, so this cannot overflow
      std::fill_n(out.s.data(), len, State::kKnown);
      return;
    }
    if ((e.op == Op::kAdd || e.op == Op::kSub) && plain) {
      overflow = AddSub64(e.op == Op::kSub, x, y, len, o);
      if (!overflow) {
        std::fill_n(out.s.data(), len, State::kKnown);
        return;
      }
    }
    if (e.op == Op::kMul && (res == TypeKind::kInteger || res == TypeKind::kMoney || res == TypeKind::kTimeSpan) &&
        !IsFraction(lk) && !IsFraction(rk)) {
      // Products of integers (an amount times a count is exact: nothing to round).
      int64_t* ob = out.b.data();
      for (size_t i = 0; i < len; ++i) overflow |= __builtin_mul_overflow(x[i], y[i], &o[i]);
      if (!overflow) {
        std::fill_n(ob, len, 1);
        std::fill_n(out.s.data(), len, State::kKnown);
        return;
      }
    }
    if ((e.op == Op::kMul || e.op == Op::kDiv) &&
        (IsFraction(res) || res == TypeKind::kMoney || res == TypeKind::kTimeSpan)) {
      // Exact fractions, and amounts times or divided by a fraction (rounded half away
      // from zero), in 64 bits; a row that does not fit sends the chunk to the loop below.
      bool mul = e.op == Op::kMul, amount = !IsFraction(res), amount_left = lk == res;
      const int64_t* xb = l.b.data();
      const int64_t* yb = r.b.data();
      int64_t* ob = out.b.data();
      // Operands mostly repeat (a parameter times a few day counts): each distinct
      // pair is computed once per chunk.
      struct Slot {
        int64_t x, xb, y, yb, a, b;  // the operands as fractions, the result
      };
      constexpr size_t kSlots = 256;
      std::array<Slot, kSlots> memo;
      std::array<uint8_t, kSlots> used{};
      bool fits = true;
      for (size_t i = 0; i < len && fits; ++i) {
        int64_t xn, xd, yn, yd, p, q;
        fits = Fraction(lk, x[i], xb[i], xn, xd) && Fraction(rk, y[i], yb[i], yn, yd);
        if (!fits) break;
        uint64_t h = static_cast<uint64_t>(xn) * 0x9E3779B97F4A7C15u ^ static_cast<uint64_t>(xd) * 0xC2B2AE3D27D4EB4Fu ^
                     static_cast<uint64_t>(yn) * 0x165667B19E3779F9u ^ static_cast<uint64_t>(yd) * 0x27D4EB2F165667C5u;
        Slot& m = memo[h >> 56];
        if (used[h >> 56] && m.x == xn && m.xb == xd && m.y == yn && m.yb == yd) {
          o[i] = m.a;
          ob[i] = m.b;
          continue;
        }
        if (amount) {
          int64_t a = amount_left ? xn : yn, fn = amount_left ? yn : xn, fd = amount_left ? yd : xd;
          if (!mul) std::swap(fn, fd);
          if (fd < 0 && fd != INT64_MIN && fn != INT64_MIN) {
            fn = -fn;
            fd = -fd;
          }
          fits = fd > 0 && !__builtin_mul_overflow(a, fn, &p);
          if (fits) {
            o[i] = RoundHalfAway(p, fd);
            ob[i] = 1;
          }
        } else {
          fits = (mul || yn != 0) && !__builtin_mul_overflow(xn, mul ? yn : yd, &p) &&
                 !__builtin_mul_overflow(xd, mul ? yd : yn, &q) && Reduced(p, q, o[i], ob[i]);
        }
        if (fits) {
          used[h >> 56] = 1;
          m = Slot{xn, xd, yn, yd, o[i], ob[i]};
        }
      }
      if (fits) {
        std::fill_n(out.s.data(), len, State::kKnown);
        return;
      }
    }
    if (res == TypeKind::kDate && lk == TypeKind::kDate && rk == TypeKind::kDuration) {
      // Whole days need no calendar: only months do.
      bool days_only = true;
      for (size_t i = 0; i < len && days_only; ++i) days_only = r.a[i] == 0;
      if (days_only) {
        int sign = e.op == Op::kAdd ? 1 : -1;
        for (size_t i = 0; i < len; ++i) o[i] = x[i] + sign * r.b[i];
        bool in_range = true;
        for (size_t i = 0; i < len; ++i) in_range &= o[i] >= Date::kMinDays && o[i] <= Date::kMaxDays;
        if (in_range) {
          std::fill_n(out.s.data(), len, State::kKnown);
          return;
        }
      } else {
        // Months: mostly one duration (a parameter) added to dates that repeat,
        // within a chunk and across chunks and rules: each distinct date and
        // duration is moved once per evaluation.
        bool same = true;
        for (size_t i = 0; i < len; ++i) same &= (r.a[i] == r.a[0]) & (r.b[i] == r.b[0]);
        if (same) {
          if (MoveDates(x, nullptr, r.a[0], r.b[0], e.op == Op::kAdd ? 1 : -1, len, o, out.s.data())) return;
        }
      }
    }
  }
  if (res == TypeKind::kDate && lk == TypeKind::kDate && rk == TypeKind::kDuration && len > 0 && AllKnown(r, len) &&
      !AllKnown(l, len)) {
    // The same with dates not known in some rows (they take their state).
    bool same = true;
    for (size_t i = 0; i < len; ++i) same &= (r.a[i] == r.a[0]) & (r.b[i] == r.b[0]);
    if (same && MoveDates(l.a.data(), l.s.data(), r.a[0], r.b[0], e.op == Op::kAdd ? 1 : -1, len, out.a.data(), out.s.data())) {
      return;
    }
  }
  bool plain = !IsFraction(lk) && !IsFraction(rk) && res != TypeKind::kDate && res != TypeKind::kDuration;
  if (e.op == Op::kAt || ((e.op == Op::kAdd || e.op == Op::kSub) && plain)) {
    // The same kernels with some operands not known: their rows take the worse
    // state. Every row is computed without a branch (a row not known has no
    // value to keep); only a known row's overflow counts.
    bool overflow = false;
    int64_t* o = out.a.data();
    State* os = out.s.data();
    const int64_t* x = l.a.data();
    const int64_t* y = r.a.data();
    CombineStates(l.s.data(), r.s.data(), len, os);
    if (e.op == Op::kAt) {
      for (size_t i = 0; i < len; ++i) {
        int64_t minutes;
        const bool ov = __builtin_mul_overflow(x[i], 1440, &minutes) | __builtin_add_overflow(minutes, y[i], &o[i]);
        overflow |= ov & (os[i] == State::kKnown);
      }
    } else if (AddSub64(e.op == Op::kSub, x, y, len, o)) {
      // Some row overflowed: it matters only where the row is known (mostly none is).
      int64_t wrapped;
      for (size_t i = 0; i < len; ++i) {
        const bool ov = e.op == Op::kAdd ? __builtin_add_overflow(x[i], y[i], &wrapped)
                                         : __builtin_sub_overflow(x[i], y[i], &wrapped);
        overflow |= ov & (os[i] == State::kKnown);
      }
    }
    if (!overflow) return;
  }
  auto fail = [&](size_t i, const char* what) {
    out.s[i] = State::kError;
    Fail(what);
  };
  size_t prev = SIZE_MAX;  // the last row computed here: neighbouring rows often repeat their operands
  for (size_t i = 0; i < len; ++i) {
    State s = Combine(l.s[i], r.s[i]);
    out.s[i] = s;
    if (s != State::kKnown) continue;
    int64_t la = l.a[i], lb = l.b[i], ra = r.a[i], rb = r.b[i];
    if (prev != SIZE_MAX && la == l.a[prev] && lb == l.b[prev] && ra == r.a[prev] && rb == r.b[prev]) {
      out.a[i] = out.a[prev];
      out.b[i] = out.b[prev];
      out.s[i] = out.s[prev];
      continue;
    }
    prev = i;
    switch (e.op) {
      case Op::kAt: {
        // date at time: minutes since the epoch; 24:00 is the next day's midnight.
        auto m = CheckedAdd(*CheckedMul(la, 1440), ra);
        if (!m) { fail(i, "a moment is out of range"); break; }
        out.a[i] = *m;
        break;
      }
      case Op::kAdd:
      case Op::kSub: {
        int sign = e.op == Op::kAdd ? 1 : -1;
        if (res == TypeKind::kDate && (lk == TypeKind::kDate || lk == TypeKind::kDuration)) {
          // date ± duration, or duration + date.
          auto d = lk == TypeKind::kDate ? AddDuration(la, ra, rb, sign) : AddDuration(ra, la, lb, 1);
          if (!d) { fail(i, "a date is out of range"); break; }
          out.a[i] = *d;
        } else if (res == TypeKind::kDuration && lk == TypeKind::kDate) {
          out.a[i] = 0;  // date - date: whole days
          out.b[i] = DaysOf(la) - DaysOf(ra);
        } else if (res == TypeKind::kDuration) {
          out.a[i] = la + sign * ra;
          out.b[i] = lb + sign * rb;
        } else if (IsFraction(res)) {
          int64_t xn, xd, yn, yd, p, q, d;
          if (Fraction(lk, la, lb, xn, xd) && Fraction(rk, ra, rb, yn, yd) && !__builtin_mul_overflow(xn, yd, &p) &&
              !__builtin_mul_overflow(yn, xd, &q) && !__builtin_mul_overflow(xd, yd, &d) &&
              !(sign > 0 ? __builtin_add_overflow(p, q, &p) : __builtin_sub_overflow(p, q, &p)) &&
              Reduced(p, d, out.a[i], out.b[i])) {
            break;
          }
          Rational x = AsRational(lk, la, lb), y = AsRational(rk, ra, rb);
          auto z = sign > 0 ? x.Add(y) : x.Sub(y);
          if (!z) { fail(i, "a calculation overflows"); break; }
          out.a[i] = z->num();
          out.b[i] = z->den();
        } else {
          // integer, money, timespan, datetime ± timespan, datetime - datetime, time - time: plain minutes or units.
          auto z = sign > 0 ? CheckedAdd(la, ra) : CheckedSub(la, ra);
          if (!z) { fail(i, "a calculation overflows"); break; }
          out.a[i] = *z;
          out.b[i] = 1;
        }
        break;
      }
      case Op::kMul:
      case Op::kDiv: {
        bool mul = e.op == Op::kMul;
        if (res == TypeKind::kMoney || res == TypeKind::kTimeSpan) {
          // Amount times or divided by a scalar, rounded half away from zero to the cent or minute.
          bool amount_left = lk == res;
          int64_t amount = amount_left ? la : ra;
          {
            int64_t fn, fd, n;
            if (amount_left ? Fraction(rk, ra, rb, fn, fd) : Fraction(lk, la, lb, fn, fd)) {
              if (!mul) std::swap(fn, fd);  // times the reciprocal
              if (fd < 0 && fd != INT64_MIN && fn != INT64_MIN) {
                fn = -fn;
                fd = -fd;
              }
              if (fd > 0 && !__builtin_mul_overflow(amount, fn, &n)) {
                out.a[i] = RoundHalfAway(n, fd);
                out.b[i] = 1;
                break;
              }
            }
          }
          Rational factor = amount_left ? AsRational(rk, ra, rb) : AsRational(lk, la, lb);
          if (!mul) {
            if (factor.IsZero()) { fail(i, "a division by zero"); break; }
            factor = *R(1, 1).Div(factor);
          }
          auto p = Rational::FromInteger(amount).Mul(factor);
          auto v = p ? p->RoundToInteger(RoundingMode::kHalfAwayFromZero) : std::nullopt;
          if (!v) { fail(i, "a calculation overflows"); break; }
          out.a[i] = *v;
          out.b[i] = 1;
        } else if (res == TypeKind::kDuration) {
          int64_t k = lk == TypeKind::kInteger ? la : ra;
          int64_t m = lk == TypeKind::kInteger ? ra : la, d = lk == TypeKind::kInteger ? rb : lb;
          out.a[i] = m * k;
          out.b[i] = d * k;
        } else if (res == TypeKind::kInteger) {
          auto z = CheckedMul(la, ra);
          if (!z) { fail(i, "a calculation overflows"); break; }
          out.a[i] = *z;
          out.b[i] = 1;
        } else {
          // Exact fractions: decimal and percentage; money / money and timespan / timespan give a ratio.
          int64_t xn, xd, yn, yd, p, q;
          if (Fraction(lk, la, lb, xn, xd) && Fraction(rk, ra, rb, yn, yd) && (mul || yn != 0) &&
              !__builtin_mul_overflow(xn, mul ? yn : yd, &p) && !__builtin_mul_overflow(xd, mul ? yd : yn, &q) &&
              Reduced(p, q, out.a[i], out.b[i])) {
            break;
          }
          Rational x = AsRational(lk, la, lb), y = AsRational(rk, ra, rb);
          if (!mul && y.IsZero()) { fail(i, "a division by zero"); break; }
          auto z = mul ? x.Mul(y) : x.Div(y);
          if (!z) { fail(i, "a calculation overflows"); break; }
          out.a[i] = z->num();
          out.b[i] = z->den();
        }
        break;
      }
      default: break;
    }
  }
}

bool Evaluator::MoveDates(const int64_t* x, const State* xs, int64_t months, int64_t days, int sign, size_t len,
                          int64_t* o, State* os) {
  if (moved_dates_.empty()) moved_dates_.resize(kMovedDates);
  MovedDate* memo = moved_dates_.data();
  const uint64_t hd = (static_cast<uint64_t>(months) * 0x9E3779B97F4A7C15u) ^
                      (static_cast<uint64_t>(days) * 0xC2B2AE3D27D4EB4Fu) ^ (sign > 0 ? 0u : 0x165667B19E3779F9u);
  const uint64_t mix = (hd >> 32) ^ hd;
  for (size_t i = 0; i < len; ++i) {
    const State s = xs == nullptr ? State::kKnown : xs[i];
    os[i] = s;
    if (s != State::kKnown) continue;
    MovedDate& m = memo[(static_cast<uint64_t>(x[i]) ^ mix) & (kMovedDates - 1)];
    if (m.filled && m.date == x[i] && m.months == months && m.days == days && m.sign == sign) {
      o[i] = m.result;
      continue;
    }
    auto d = AddDuration(x[i], months, days, sign);
    if (!d) return false;
    m = MovedDate{true, sign, x[i], months, days, *d};
    o[i] = *d;
  }
  return true;
}

void Evaluator::EvalCall(const dsl::CExpr& e, const Frame& f, size_t off, size_t len, Vec& out) {
  const Vec* args_buf[4] = {nullptr, nullptr, nullptr, nullptr};
  // The operands (builtins take at most four): a fixed array, not a vector per call.
  struct Args {
    const Vec* v[4] = {nullptr, nullptr, nullptr, nullptr};
    size_t n = 0;
    const Vec* const* begin() const { return v; }
    const Vec* const* end() const { return v + n; }
    size_t size() const { return n; }
    const Vec* operator[](size_t k) const { return v[k]; }
  } args;
  std::vector<const Vec*> more;  // operands past the fourth (no builtin has them today)
  for (uint32_t a : e.args) {
    const Vec* v = &Eval(a, f, off, len);
    if (args.n < 4) args.v[args.n++] = v;
    else more.push_back(v);
  }
  for (size_t k = 0; k < args.size() && k < 4; ++k) args_buf[k] = args[k];
  auto b = static_cast<dsl::Builtin>(e.index);
  if (b == dsl::Builtin::kAsOf) {
    // The evaluation date: a document in force, an age, a period up to now.
    std::fill_n(out.a.data(), len, as_of_.DaysSinceEpoch());
    std::fill_n(out.s.data(), len, State::kKnown);
    return;
  }
  if (b == dsl::Builtin::kWorkEnd && AllKnown(*args_buf[0], len) && AllKnown(*args_buf[1], len) && AllKnown(*args_buf[2], len)) {
    // End of work that may cross midnight, in minutes since the epoch.
    const int64_t* day = args_buf[0]->a.data();
    const int64_t* start = args_buf[1]->a.data();
    const int64_t* end = args_buf[2]->a.data();
    int64_t* o = out.a.data();
    for (size_t i = 0; i < len; ++i) o[i] = (day[i] + (end[i] <= start[i])) * 1440 + end[i];
    std::fill_n(out.s.data(), len, State::kKnown);
    return;
  }
  TypeKind k0 = e.args.empty() ? TypeKind::kError : rules_.expr(e.args[0]).type.kind;
  // months_between / years_between: the first date mostly repeats (a birth date, a start date).
  bool have_first = false, have_second = false;
  int64_t first_days = 0, second_days = 0;
  YearMonthDay first_ymd{}, second_ymd{};
  // Each row's state, the worst of its operands', for the chunk first (sixteen
  // rows at a time), rather than operand by operand in every row.
  if (args.size() == 0) {
    std::fill_n(out.s.data(), len, State::kKnown);
  } else {
    CombineStates(args[0]->s.data(), args[args.size() > 1 ? 1 : 0]->s.data(), len, out.s.data());
    for (size_t k = 2; k < args.size(); ++k) CombineStates(out.s.data(), args[k]->s.data(), len, out.s.data());
    for (const Vec* v : more) CombineStates(out.s.data(), v->s.data(), len, out.s.data());
  }
  for (size_t i = 0; i < len; ++i) {
    const State s = out.s[i];
    out.b[i] = 1;
    if (s != State::kKnown) continue;
    int64_t x = args[0]->a[i];
    auto date = [](int64_t d) { return *Date::FromDaysSinceEpoch(d); };
    switch (b) {
      case dsl::Builtin::kMin:
      case dsl::Builtin::kMax: {
        const Vec& p = *args[0];
        const Vec& q = *args[1];
        bool first;
        if (IsFraction(k0)) {
          first = (b == dsl::Builtin::kMin) == !(R(q.a[i], q.b[i]) < R(p.a[i], p.b[i]));
        } else {
          first = (b == dsl::Builtin::kMin) == (p.a[i] <= q.a[i]);
        }
        out.a[i] = first ? p.a[i] : q.a[i];
        out.b[i] = first ? p.b[i] : q.b[i];
        break;
      }
      case dsl::Builtin::kAbs:
        out.a[i] = x < 0 ? -x : x;
        out.b[i] = args[0]->b[i];
        break;
      case dsl::Builtin::kYear: out.a[i] = date(x).year(); break;
      case dsl::Builtin::kMonth: out.a[i] = date(x).month(); break;
      case dsl::Builtin::kDay: out.a[i] = date(x).day(); break;
      case dsl::Builtin::kWeekday: out.a[i] = date(x).IsoWeekday(); break;
      case dsl::Builtin::kDaysBetween: out.a[i] = args[1]->a[i] - x; break;
      case dsl::Builtin::kWeeksBetween: out.a[i] = (args[1]->a[i] - x) / 7; break;
      case dsl::Builtin::kMonthsBetween:
      case dsl::Builtin::kYearsBetween: {
        // Whole calendar months from the first date to the second (month ends clamp):
        // the first date moved by the months between their calendar months lands in
        // the second date's month, on its own day or that month's last day.
        if (!have_first || x != first_days) {
          first_ymd = CivilFromDays(x);
          first_days = x;
          have_first = true;
        }
        // The second date mostly repeats too (the end of a period).
        if (!have_second || args[1]->a[i] != second_days) {
          second_ymd = CivilFromDays(args[1]->a[i]);
          second_days = args[1]->a[i];
          have_second = true;
        }
        const YearMonthDay d2 = second_ymd;
        int64_t months = int64_t{d2.year - first_ymd.year} * 12 + (d2.month - first_ymd.month);
        int moved_day = std::min<int>(first_ymd.day, DaysInMonth(d2.year, d2.month));
        if (months > 0 && moved_day > d2.day) --months;
        if (months < 0 && moved_day < d2.day) ++months;
        out.a[i] = b == dsl::Builtin::kYearsBetween ? months / 12 : months;
        break;
      }
      case dsl::Builtin::kDateOf: out.a[i] = x >= 0 ? x / 1440 : -((-x + 1439) / 1440); break;
      case dsl::Builtin::kTimeOf: out.a[i] = ((x % 1440) + 1440) % 1440; break;
      case dsl::Builtin::kHours: {
        auto r = *Rational::Make(x, 60);
        out.a[i] = r.num();
        out.b[i] = r.den();
        break;
      }
      case dsl::Builtin::kStartOfYear: out.a[i] = Date::FromYmd(date(x).year(), 1, 1)->DaysSinceEpoch(); break;
      case dsl::Builtin::kEndOfYear: out.a[i] = Date::FromYmd(date(x).year(), 12, 31)->DaysSinceEpoch(); break;
      case dsl::Builtin::kStartOfMonth: out.a[i] = date(x).StartOfMonth().DaysSinceEpoch(); break;
      case dsl::Builtin::kEndOfMonth: out.a[i] = date(x).EndOfMonth().DaysSinceEpoch(); break;
      case dsl::Builtin::kDate: {
        auto d = Date::FromYmd(static_cast<int>(x), static_cast<int>(args[1]->a[i]), static_cast<int>(args[2]->a[i]));
        if (!d) {
          out.s[i] = State::kError;
          Fail("`date(...)` names a day that does not exist");
        } else {
          out.a[i] = d->DaysSinceEpoch();
        }
        break;
      }
      case dsl::Builtin::kToPercentage:
        out.a[i] = x;
        out.b[i] = k0 == TypeKind::kInteger ? 1 : args[0]->b[i];
        break;
      case dsl::Builtin::kWorkEnd: {
        // End of work that starts on a day at a time: an end not after the start falls on the next day.
        int64_t day = x, start = args[1]->a[i], end = args[2]->a[i];
        out.a[i] = (end <= start ? day + 1 : day) * 1440 + end;
        break;
      }
      case dsl::Builtin::kAsOf:
        out.a[i] = as_of_.DaysSinceEpoch();
        break;
      case dsl::Builtin::kPrevails: {
        // Lex superior: a higher source prevails; at the same level, lex posterior: the later one.
        int64_t level_a = x, level_b = args[2]->a[i];
        out.a[i] = level_a < level_b || (level_a == level_b && args[1]->a[i] > args[3]->a[i]);
        break;
      }
    }
  }
}

void Evaluator::ItemRanges(uint32_t node, const Frame& f, size_t row, uint32_t& lo, uint32_t& hi, uint32_t& lo2,
                           uint32_t& hi2, State& state, const std::vector<uint32_t>*& perm) {
  const dsl::CExpr& e = rules_.expr(node);
  std::vector<uint32_t> vlo, vhi, vlo2(1, 0), vhi2(1, 0);
  std::vector<State> st;
  uint32_t entity = 0;
  CollectionRanges(e.args[0], f, row, 1, vlo, vhi, st, perm, entity);
  state = st[0];
  if (state == State::kKnown) NarrowByKey(node, f, row, 1, vlo, vhi, vlo2, vhi2, st, perm);
  lo = vlo[0];
  hi = vhi[0];
  lo2 = vlo2[0];
  hi2 = vhi2[0];
}

void Evaluator::EvalAggregate(uint32_t node, const Frame& f, size_t off, size_t len, Vec& out) {
  if (EvalKeyedAggregate(node, f, off, len, out)) return;
  const dsl::CExpr& e = rules_.expr(node);
  AggScratch& sc = Scratch(node, f);
  std::vector<uint32_t>& lo = sc.lo;
  std::vector<uint32_t>& hi = sc.hi;
  std::vector<State>& cst = sc.cst;
  const std::vector<uint32_t>* perm = nullptr;
  uint32_t entity = 0;
  CollectionRanges(e.args[0], f, off, len, lo, hi, cst, perm, entity);
  std::vector<uint32_t>& lo2 = sc.lo2;
  std::vector<uint32_t>& hi2 = sc.hi2;
  lo2.assign(len, 0);
  hi2.assign(len, 0);
  NarrowByKey(node, f, off, len, lo, hi, lo2, hi2, cst, perm);
  uint32_t value = e.args[1], filter = e.args[2];
  TypeKind vk = value != UINT32_MAX ? rules_.expr(value).type.kind : TypeKind::kInteger;

  // The items are evaluated a chunk at a time in an inner frame that carries the
  // outer variables the aggregate's expressions read.
  Frame& inner = sc.inner;
  std::vector<uint32_t>& item_rows = *inner.vars.at(e.index).rows;
  std::vector<std::pair<std::vector<uint32_t>*, const std::vector<uint32_t>*>> carried;
  for (uint32_t v : sc.outer_vars) {
    auto it = f.vars.find(v);
    if (it == f.vars.end()) continue;
    VarSlot& slot = inner.vars[v];
    slot.groups = it->second.groups;
    carried.push_back({slot.rows.get(), it->second.rows.get()});
  }
  inner.judged = f.judged;
  // Accumulators per outer row.
  std::vector<int64_t> count(len, 0), total_count(len, 0);
  std::vector<Rational> sum(len), sum_all(len);
  std::vector<int64_t> isum(len, 0), isum_all(len, 0);
  std::vector<int64_t> best_a(len, 0), best_b(len, 1);
  std::vector<uint8_t> have(len, 0), unknown(len, 0), error(len, 0), any_true(len, 0), any_false(len, 0);
  bool fractions = IsFraction(vk);
  // Runs of items of one outer row in the inner chunk: (first item, outer row).
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  runs.reserve(64);
  const AggregateFn fn = e.aggregate;
  // Counting functions without a value read only the filter's truth.
  const bool filter_only =
      value == UINT32_MAX && filter != UINT32_MAX &&
      (fn == AggregateFn::kExists || fn == AggregateFn::kAll || fn == AggregateFn::kCount || fn == AggregateFn::kShare);
  const bool integer_sum = fn == AggregateFn::kSum && value != UINT32_MAX && !fractions;
  // One item of outer row i: its filter's state and truth, its value's state and parts.
  auto add_item = [&](uint32_t i, State fs, bool ftrue, bool has_value, State vs, int64_t va, int64_t vb) {
    const bool ft = fs == State::kKnown && ftrue;
    const bool ff = (fs == State::kKnown && !ftrue) || fs == State::kNone;
    if (fs == State::kError) error[i] = 1;
    if (fs == State::kUnknown) unknown[i] = 1;
    ++total_count[i];
    if (ft) any_true[i] = 1;
    if (ff) any_false[i] = 1;
    if (fn == AggregateFn::kShare && has_value && vs == State::kKnown) {
      if (fractions)
        sum_all[i] = sum_all[i].Add(R(va, vb)).value_or(sum_all[i]);
      else
        isum_all[i] += va;
    }
    if (!ft) return;
    ++count[i];
    if (!has_value) return;
    if (vs == State::kUnknown) unknown[i] = 1;
    if (vs == State::kError) error[i] = 1;
    if (vs != State::kKnown) return;  // a value known to be absent adds nothing
    switch (fn) {
      case AggregateFn::kSum:
      case AggregateFn::kAverage:
      case AggregateFn::kShare:
        if (fractions) {
          auto z = sum[i].Add(R(va, vb));
          if (!z)
            error[i] = 1;
          else
            sum[i] = *z;
        } else {
          auto z = CheckedAdd(isum[i], va);
          if (!z)
            error[i] = 1;
          else
            isum[i] = *z;
        }
        have[i] = 1;
        break;
      case AggregateFn::kMin:
      case AggregateFn::kMax: {
        bool better;
        if (!have[i])
          better = true;
        else if (fractions)
          better = fn == AggregateFn::kMin ? R(va, vb) < R(best_a[i], best_b[i]) : R(best_a[i], best_b[i]) < R(va, vb);
        else
          better = fn == AggregateFn::kMin ? va < best_a[i] : va > best_a[i];
        if (better) {
          best_a[i] = va;
          best_b[i] = vb;
        }
        have[i] = 1;
        break;
      }
      default:
        break;
    }
  };
  // The counting functions and integer sums over items [from, to) of outer row
  // i, without a branch per item. truth(q): the item's filter holds; every
  // filter and value is known (a work log's `d.timed` and `d.span`, mostly), so
  // the flags follow from the count.
  auto fold_known = [&](uint32_t i, size_t from, size_t to, auto truth, const int64_t* va) {
    int64_t cnt = 0, total = isum[i];
    bool overflow = false;
    for (size_t q = from; q < to; ++q) {
      const bool t = truth(q);
      cnt += t;
      if (integer_sum) overflow |= __builtin_add_overflow(total, t ? va[q] : 0, &total);
    }
    error[i] |= overflow;
    any_true[i] |= cnt > 0;
    any_false[i] |= cnt < static_cast<int64_t>(to - from);
    count[i] += cnt;
    total_count[i] += static_cast<int64_t>(to - from);
    if (integer_sum) {
      isum[i] = total;
      have[i] |= cnt > 0;
    }
  };
  // The same with filters and values of any state: code(q) is the item's
  // filter as 0 false (or absent), 1 true, 2 unknown, 3 error.
  auto fold_states = [&](uint32_t i, size_t from, size_t to, auto code, const int64_t* va, const State* vs) {
    uint8_t err = 0, unk = 0, tru = 0, fal = 0, hv = 0;
    int64_t cnt = 0, total = isum[i];
    bool overflow = false;
    for (size_t q = from; q < to; ++q) {
      const uint8_t c = code(q);
      const bool t = c == 1;
      err |= c == 3;
      unk |= c == 2;
      tru |= t;
      fal |= c == 0;
      cnt += t;
      if (integer_sum) {
        const State st = vs[q];
        unk |= t & (st == State::kUnknown);
        err |= t & (st == State::kError);
        const bool add = t & (st == State::kKnown);
        hv |= add;
        overflow |= __builtin_add_overflow(total, add ? va[q] : 0, &total);
      }
    }
    error[i] |= err | overflow;
    unknown[i] |= unk;
    any_true[i] |= tru;
    any_false[i] |= fal;
    count[i] += cnt;
    total_count[i] += static_cast<int64_t>(to - from);
    if (integer_sum) {
      isum[i] = total;
      have[i] |= hv;
    }
  };
  auto flush = [&](size_t ilen) {
    if (ilen == 0) return;
    inner.size = ilen;
    const Vec* fv = filter != UINT32_MAX ? &Eval(filter, inner, 0, ilen) : nullptr;
    const Vec* vv = value != UINT32_MAX ? &Eval(value, inner, 0, ilen) : nullptr;
    if (filter_only || integer_sum) {
      // The common cases: a run of one outer row's items at a time.
      const State* fs = fv != nullptr ? fv->s.data() : nullptr;
      const int64_t* fa = fv != nullptr ? fv->a.data() : nullptr;
      const int64_t* va = integer_sum ? vv->a.data() : nullptr;
      const State* vs = integer_sum ? vv->s.data() : nullptr;
      const bool known = (fv == nullptr || AllKnown(*fv, ilen)) && (!integer_sum || AllKnown(*vv, ilen));
      for (size_t r = 0; r < runs.size(); ++r) {
        const uint32_t i = runs[r].second;
        const size_t from = runs[r].first, to = r + 1 < runs.size() ? runs[r + 1].first : ilen;
        if (known) {
          fold_known(
              i, from, to, [&](size_t q) { return fa == nullptr || fa[q] != 0; }, va);
        } else {
          fold_states(
              i, from, to,
              [&](size_t q) -> uint8_t {
                if (fs == nullptr) return 1;
                const uint8_t st = static_cast<uint8_t>(fs[q]);  // 0 known, 1 absent, 2 unknown, 3 error
                return st == 0 ? static_cast<uint8_t>(fa[q] != 0) : st == 1 ? uint8_t{0} : st;
              },
              va, vs);
        }
      }
      return;
    }
    for (size_t k = 0; k < ilen; ++k) {
      add_item(sc.segment[k], fv ? fv->s[k] : State::kKnown, fv == nullptr || fv->a[k] != 0, vv != nullptr,
               vv ? vv->s[k] : State::kKnown, vv ? vv->a[k] : 0, vv ? vv->b[k] : 1);
    }
  };

  // Items are taken a run at a time: each outer row's slice of the order, its
  // carried variables and judging day filled for the whole run.
  size_t k = 0;
  // Positions in an identity order are rows: no copy (runs are mostly short,
  // a week's records, where a call to memmove costs more than the loop).
  const bool identity_order = perm == &identity_ || identity_orders_.count(perm) > 0;
  auto take = [&](size_t i, uint32_t from_p, uint32_t to_p) {
    const uint32_t* order = perm->data();
    while (from_p < to_p) {
      const size_t n = std::min<size_t>(to_p - from_p, kChunk - k);
      if (runs.empty() || runs.back().second != i || k == 0)
        runs.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(i)});
      uint32_t* items_at = item_rows.data() + k;
      if (identity_order) {
        for (uint32_t q = 0; q < n; ++q) items_at[q] = from_p + q;
      } else {
        std::copy_n(order + from_p, n, items_at);
      }
      std::fill_n(sc.segment.data() + k, n, static_cast<uint32_t>(i));
      for (auto& [to, from] : carried) std::fill_n(to->data() + k, n, (*from)[off + i]);
      if (f.judged) std::fill_n(inner.judge_day.data() + k, n, f.judge_day[off + i]);
      k += n;
      from_p += static_cast<uint32_t>(n);
      if (k == kChunk) {
        flush(k);
        runs.clear();
        k = 0;
      }
    }
  };
  if (const ItemValues* iv = ItemwiseFor(node, f, off, len, lo, hi, lo2, hi2, cst, perm, entity)) {
    // Each item's filter and value were evaluated once for the whole order:
    // each outer row folds its ranges of them.
    const uint8_t* code = iv->filter.data();
    const int64_t* va = iv->a.data();
    const int64_t* vb = iv->b.empty() ? nullptr : iv->b.data();
    const State* vs = iv->s.data();
    const bool has_value = value != UINT32_MAX;
    const bool fast = iv->all_known && (filter_only || integer_sum || (value == UINT32_MAX && filter == UINT32_MAX));
    for (size_t i = 0; i < len; ++i) {
      if (cst[i] != State::kKnown) continue;
      for (int part = 0; part < 2; ++part) {
        const uint32_t from = part == 0 ? lo[i] : lo2[i], to = part == 0 ? hi[i] : hi2[i];
        if (from >= to) continue;
        if (fast) {
          fold_known(
              static_cast<uint32_t>(i), from, to, [&](size_t q) { return code[q] != 0; }, va);
          continue;
        }
        if (filter_only || integer_sum) {
          fold_states(
              static_cast<uint32_t>(i), from, to, [&](size_t q) { return code[q]; }, va, vs);
          continue;
        }
        for (uint32_t q = from; q < to; ++q) {
          const uint8_t c = code[q];
          const State fs = c <= 1 ? State::kKnown : c == 2 ? State::kUnknown : State::kError;
          add_item(static_cast<uint32_t>(i), fs, c == 1, has_value, has_value ? vs[q] : State::kKnown,
                   has_value ? va[q] : 0, vb != nullptr ? vb[q] : 1);
        }
      }
    }
  } else {
    for (size_t i = 0; i < len; ++i) {
      if (cst[i] != State::kKnown) continue;
      take(i, lo[i], hi[i]);
      take(i, lo2[i], hi2[i]);  // items whose key is unknown, when the range was narrowed
    }
    flush(k);
  }
  for (size_t i = 0; i < len; ++i) {
    out.b[i] = 1;
    if (cst[i] != State::kKnown) {
      out.s[i] = cst[i];
      continue;
    }
    out.s[i] = State::kKnown;
    if (error[i]) {
      out.s[i] = State::kError;
      continue;
    }
    switch (e.aggregate) {
      case AggregateFn::kExists:
        if (any_true[i]) out.a[i] = 1;
        else if (unknown[i]) out.s[i] = State::kUnknown;
        else out.a[i] = 0;
        break;
      case AggregateFn::kAll:
        if (any_false[i]) out.a[i] = 0;
        else if (unknown[i]) out.s[i] = State::kUnknown;
        else out.a[i] = 1;
        break;
      case AggregateFn::kCount:
        if (unknown[i]) out.s[i] = State::kUnknown;
        else out.a[i] = count[i];
        break;
      case AggregateFn::kShare: {
        if (unknown[i]) {
          out.s[i] = State::kUnknown;
          break;
        }
        Rational num, den;
        if (value == UINT32_MAX) {
          num = Rational::FromInteger(count[i]);
          den = Rational::FromInteger(total_count[i]);
        } else if (fractions) {
          num = sum[i];
          den = sum_all[i];
        } else {
          num = Rational::FromInteger(isum[i]);
          den = Rational::FromInteger(isum_all[i]);
        }
        if (den.IsZero()) {
          out.s[i] = State::kNone;  // a share of nothing is absent, not zero
          break;
        }
        Rational q = *num.Div(den);
        out.a[i] = q.num();
        out.b[i] = q.den();
        break;
      }
      case AggregateFn::kSum:
        if (unknown[i]) out.s[i] = State::kUnknown;
        else if (fractions) {
          out.a[i] = sum[i].num();
          out.b[i] = sum[i].den();
        } else {
          out.a[i] = isum[i];
        }
        break;
      case AggregateFn::kAverage: {
        if (unknown[i]) {
          out.s[i] = State::kUnknown;
          break;
        }
        if (count[i] == 0 || !have[i]) {
          out.s[i] = State::kNone;
          break;
        }
        Rational total_value = fractions ? sum[i] : Rational::FromInteger(isum[i]);
        Rational avg = *total_value.Div(Rational::FromInteger(count[i]));
        if (e.type.kind == TypeKind::kMoney || e.type.kind == TypeKind::kTimeSpan) {
          out.a[i] = *avg.RoundToInteger(RoundingMode::kHalfAwayFromZero);
        } else {
          out.a[i] = avg.num();
          out.b[i] = avg.den();
        }
        break;
      }
      case AggregateFn::kMin:
      case AggregateFn::kMax:
        if (unknown[i]) out.s[i] = State::kUnknown;
        else if (!have[i]) out.s[i] = State::kNone;
        else {
          out.a[i] = best_a[i];
          out.b[i] = best_b[i];
        }
        break;
    }
  }
}

const std::vector<uint32_t>& Evaluator::VarsRead(uint32_t node) {
  auto it = vars_read_.find(node);
  if (it == vars_read_.end()) {
    std::set<uint32_t> vars;
    bool params = false;
    FreeVars(rules_, node, vars, params);
    it = vars_read_.emplace(node, std::vector<uint32_t>(vars.begin(), vars.end())).first;
  }
  return it->second;
}

void Evaluator::ReleaseItemValues() {
  for (auto& [node, iv] : itemwise_) {
    if (iv.perm == nullptr) continue;
    decltype(iv.filter)().swap(iv.filter);
    decltype(iv.a)().swap(iv.a);
    decltype(iv.b)().swap(iv.b);
    decltype(iv.s)().swap(iv.s);
    iv.perm = nullptr;  // computed again if read again
    iv.general_items = 0;
  }
}

const Evaluator::ItemValues* Evaluator::ItemwiseFor(uint32_t node, const Frame& f, size_t off, size_t len,
                                                    const std::vector<uint32_t>& lo, const std::vector<uint32_t>& hi,
                                                    const std::vector<uint32_t>& lo2, const std::vector<uint32_t>& hi2,
                                                    const std::vector<State>& cst, const std::vector<uint32_t>* perm,
                                                    uint32_t entity) {
  // Explanations read every node's buffer for the subject's own items.
  if (every_operand_ || perm == nullptr) return nullptr;
  const dsl::CExpr& e = rules_.expr(node);
  ItemValues& iv = itemwise_[node];
  if (!iv.analysed) {
    iv.analysed = true;
    std::set<uint32_t> vars;
    FreeVars(rules_, e.args[1], vars, iv.reads_params);
    FreeVars(rules_, e.args[2], vars, iv.reads_params);
    vars.erase(e.index);
    // A list of a variable (`e.days`): its items' owner is that variable's row.
    const dsl::CExpr& c = rules_.expr(e.args[0]);
    uint32_t list_owner = UINT32_MAX;
    if (c.op == Op::kField && c.type.kind == TypeKind::kList && rules_.expr(c.args[0]).op == Op::kVar)
      list_owner = rules_.expr(c.args[0]).index;
    if (list_owner != UINT32_MAX && vars.erase(list_owner) > 0) iv.owner_var = list_owner;
    iv.usable = vars.empty();
  }
  // Parameters without a date are read on each outer row's judging date.
  if (!iv.usable || (iv.reads_params && f.judged)) return nullptr;
  if (iv.perm != nullptr) return iv.perm == perm ? &iv : nullptr;
  const Table& t = facts_.table(entity);
  const size_t n = perm == &identity_ ? t.rows : perm->size();
  uint64_t now = 0;
  for (size_t i = 0; i < len; ++i) {
    if (cst[i] == State::kKnown) now += (hi[i] - lo[i]) + (hi2[i] - lo2[i]);
  }
  // Worth it when the frame's rows, at the rate of this chunk, read at least
  // half of the items; otherwise the general path folds the few it reads.
  const uint64_t rest_rows = f.size > off ? f.size - off : 0;
  const uint64_t projected = iv.general_items + (len > 0 ? now * rest_rows / len : 0);
  if (projected * 2 < n) {
    iv.general_items += now;
    return nullptr;
  }
  Frame frame;
  frame.size = n;
  VarSlot slot;
  slot.rows = std::shared_ptr<std::vector<uint32_t>>(std::shared_ptr<void>(), const_cast<std::vector<uint32_t>*>(perm));
  slot.identity = perm == &identity_ || identity_orders_.count(perm) > 0;
  frame.vars.emplace(e.index, std::move(slot));
  if (iv.owner_var != UINT32_MAX) {
    VarSlot owners;
    owners.rows->resize(n);
    const uint32_t* order = perm->data();
    for (size_t p = 0; p < n; ++p) (*owners.rows)[p] = t.owner[order[p]];
    owners.runs = true;
    frame.runs = true;
    frame.vars.emplace(iv.owner_var, std::move(owners));
  }
  const uint32_t value = e.args[1], filter = e.args[2];
  const bool has_value = value != UINT32_MAX;
  const bool second = has_value && HasSecond(rules_.expr(value).type.kind);
  iv.filter.resize(n);
  if (has_value) {
    iv.a.resize(n);
    iv.s.resize(n);
    if (second) iv.b.resize(n);
  }
  uint8_t unsure = 0;  // some code or state not known
  for (size_t o = 0; o < n; o += kChunk) {
    const size_t l = std::min(kChunk, n - o);
    uint8_t* ft = iv.filter.data() + o;
    if (filter == UINT32_MAX) {
      std::fill_n(ft, l, uint8_t{1});
    } else {
      const Vec& v = Eval(filter, frame, o, l);
      const State* vs = v.s.data();
      const int64_t* va = v.a.data();
      size_t i = 0;
      for (; i + 16 <= l; i += 16) unsure |= TruthCodes16(vs + i, va + i, ft + i);
      for (; i < l; ++i) {
        // Known: its truth; absent: false; unknown 2, error 3 (the states' values).
        const uint8_t st = static_cast<uint8_t>(vs[i]);
        ft[i] = st == 0 ? static_cast<uint8_t>(va[i] != 0) : st == 1 ? uint8_t{0} : st;
        unsure |= static_cast<uint8_t>(st >= 2);
      }
    }
    if (has_value) {
      const Vec& v = Eval(value, frame, o, l);
      std::copy_n(v.a.data(), l, iv.a.data() + o);
      if (second) std::copy_n(v.b.data(), l, iv.b.data() + o);
      std::copy_n(v.s.data(), l, iv.s.data() + o);
      for (size_t i = 0; i < l; ++i) unsure |= static_cast<uint8_t>(v.s[i] != State::kKnown);
    }
  }
  iv.all_known = unsure == 0;
  iv.perm = perm;
  return &iv;
}

void Evaluator::CollectVars(uint32_t node, std::set<uint32_t>& vars) const {
  if (node == UINT32_MAX) return;
  const dsl::CExpr& e = rules_.expr(node);
  if (e.op == Op::kVar) vars.insert(e.index);
  for (uint32_t a : e.args) CollectVars(a, vars);
}

Evaluator::AggScratch& Evaluator::Scratch(uint32_t node, const Frame& f) {
  auto it = scratch_.find(node);
  if (it == scratch_.end()) {
    auto sc = std::make_unique<AggScratch>();
    const dsl::CExpr& e = rules_.expr(node);
    std::set<uint32_t> vars;
    CollectVars(e.args[1], vars);
    CollectVars(e.args[2], vars);
    vars.erase(e.index);
    sc->outer_vars.assign(vars.begin(), vars.end());
    sc->segment.resize(kChunk);
    sc->inner.judge_day.resize(kChunk);
    sc->inner.vars[e.index].rows->resize(kChunk);
    for (uint32_t v : sc->outer_vars) {
      sc->inner.vars[v].rows->resize(kChunk);
      sc->inner.vars[v].runs = true;  // an outer row for each of its items
      sc->inner.runs = true;
    }
    it = scratch_.emplace(node, std::move(sc)).first;
  }
  (void)f;
  return *it->second;
}

void Evaluator::ComputeDefinitions(const std::vector<bool>* needed) {
  for (size_t di = 0; di < rules_.definitions.size(); ++di) {
    const dsl::DefinitionInfo& d = rules_.definitions[di];
    if (needed != nullptr && !(*needed)[di]) continue;
    Table& t = facts_.table(d.entity);
    if (OnDemand(di)) {
      // Computed for the rows that are read, when they are read (ComputePending).
      t.columns[d.field].ResetPending(t.rows);
      t.columns[d.field].computed = true;
      continue;
    }
    Frame f;
    f.size = t.rows;
    VarSlot slot;
    // Every row in order: the evaluator's identity (at least as long as any
    // table), read in place; the frame lives only here.
    slot.rows = std::shared_ptr<std::vector<uint32_t>>(std::shared_ptr<void>(), &identity_);
    slot.identity = true;
    f.vars.emplace(d.var, std::move(slot));
    Column& c = t.columns[d.field];
    TypeKind body_kind = rules_.expr(d.body).type.kind;
    // Only fractions and durations have a second part.
    bool body_b = IsFraction(body_kind) || body_kind == TypeKind::kDuration;
    c.Reset(t.rows);
    // A body that is a day aggregate of the work log (a self plan): its results
    // are by row already, written whole rather than copied out chunk by chunk.
    const int64_t* whole_a = nullptr;
    const State* whole_s = nullptr;
    if (!body_b && WholeSelfResults(d.body, d.var, t.rows, whole_a, whole_s)) {
      c.Write(0, t.rows, whole_a, nullptr, whole_s);
      c.computed = true;
      RecycleKeyedItems();
      continue;
    }
    for (size_t off = 0; off < f.size; off += kChunk) {
      size_t len = std::min(kChunk, f.size - off);
      const Vec& v = Eval(d.body, f, off, len);
      c.Write(static_cast<uint32_t>(off), len, v.a.data(), body_b ? v.b.data() : nullptr, v.s.data());
    }
    c.computed = true;
    // A definition's aggregates are evaluated only here: their sorted items can
    // go (their buffers serve the next definition's aggregates).
    RecycleKeyedItems();
  }
  // Rules hold their frames from here on: the spares go.
  decltype(spare_values_)().swap(spare_values_);
  decltype(spare_states_)().swap(spare_states_);
  decltype(spare_filter_)().swap(spare_filter_);
}

bool Evaluator::OnDemand(size_t definition) {
  if (on_demand_.empty()) {
    // Fields read straight from their columns: keys of keyed aggregates and the
    // dates groups and pairs are ordered by. They are computed whole.
    std::set<std::pair<uint32_t, uint32_t>> keys;
    for (uint32_t n = 0; n < rules_.exprs.size(); ++n) {
      const dsl::CExpr& e = rules_.expr(n);
      if (e.op != Op::kAggregate || e.args.empty() || rules_.expr(e.args[0]).type.kind != TypeKind::kList) continue;
      const KeyedPlan& plan = PlanFor(n);
      if (plan.has_key) keys.insert({rules_.expr(e.args[0]).type.id, plan.key_field});
    }
    for (const dsl::RuleInfo& r : rules_.rules) {
      for (const dsl::CBinding& b : r.bindings) {
        if (b.kind != dsl::Binding::Kind::kEntity && b.kind != dsl::Binding::Kind::kEach) keys.insert({b.entity, b.by_field});
      }
    }
    // The item's own facts in a keyed aggregate's filter and value are read for
    // every item (KeyedItems), and so are those of the definitions computed
    // whole: computing them whole costs less than row by row.
    auto own_fields = [&](uint32_t root, uint32_t var, uint32_t entity) {
      std::vector<uint32_t> todo{root};
      while (!todo.empty()) {
        uint32_t n = todo.back();
        todo.pop_back();
        if (n == UINT32_MAX) continue;
        const dsl::CExpr& e = rules_.expr(n);
        if (e.op == Op::kField && rules_.expr(e.args[0]).op == Op::kVar && rules_.expr(e.args[0]).index == var) {
          keys.insert({entity, e.index});
        }
        for (uint32_t a : e.args) todo.push_back(a);
      }
    };
    for (uint32_t n = 0; n < rules_.exprs.size(); ++n) {
      const dsl::CExpr& e = rules_.expr(n);
      if (e.op != Op::kAggregate || e.args.empty() || rules_.expr(e.args[0]).type.kind != TypeKind::kList) continue;
      const KeyedPlan& plan = PlanFor(n);
      if (!plan.usable) continue;
      uint32_t entity = rules_.expr(e.args[0]).type.id;
      own_fields(e.args[1], e.index, entity);
      for (uint32_t r : plan.rest) own_fields(r, e.index, entity);
    }
    for (size_t before = 0; before != keys.size();) {
      before = keys.size();
      for (const dsl::DefinitionInfo& d : rules_.definitions) {
        if (d.body != UINT32_MAX && keys.count({d.entity, d.field})) own_fields(d.body, d.var, d.entity);
      }
    }
    on_demand_.assign(rules_.definitions.size(), 0);
    for (size_t di = 0; di < rules_.definitions.size(); ++di) {
      const dsl::DefinitionInfo& d = rules_.definitions[di];
      if (d.body == UINT32_MAX || keys.count({d.entity, d.field})) continue;
      // Without aggregates in its body, a row's value needs only that row's facts.
      std::vector<uint32_t> todo{d.body};
      bool aggregate = false;
      while (!todo.empty() && !aggregate) {
        const dsl::CExpr& e = rules_.expr(todo.back());
        todo.pop_back();
        aggregate = e.op == Op::kAggregate;
        for (uint32_t a : e.args) {
          if (a != UINT32_MAX) todo.push_back(a);
        }
      }
      on_demand_[di] = aggregate ? 0 : 1;
    }
  }
  return on_demand_[definition] != 0;
}

void Evaluator::ComputePending(uint32_t entity, uint32_t field, std::vector<uint32_t> rows) {
  if (rows.empty()) return;
  // Mostly a chunk's rows in order, often a slice of the table: sort only when
  // they are not in order; a slice is marked so that readers copy it whole.
  uint32_t diff = 0;
  for (size_t i = 0; i < rows.size(); ++i) diff |= rows[i] ^ (rows[0] + static_cast<uint32_t>(i));
  bool slice = diff == 0;
  if (!slice) {
    bool increasing = true;
    for (size_t i = 1; i < rows.size() && increasing; ++i) increasing = rows[i - 1] < rows[i];
    if (!increasing) {
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
  }
  const dsl::DefinitionInfo& d = rules_.definitions[rules_.entities[entity].fields[field].definition];
  Frame frame;
  frame.size = rows.size();
  VarSlot slot;
  *slot.rows = std::move(rows);
  slot.identity = slice;
  const std::vector<uint32_t>& listed = *slot.rows;
  frame.vars.emplace(d.var, std::move(slot));
  TypeKind body_kind = rules_.expr(d.body).type.kind;
  bool body_b = IsFraction(body_kind) || body_kind == TypeKind::kDuration;
  Column& c = facts_.table(entity).columns[field];
  // Bodies worth evaluating once per distinct input (explanations evaluate every
  // operand of a single row: they take the plain path).
  const size_t di = static_cast<size_t>(rules_.entities[entity].fields[field].definition);
  DefMemo* memo = nullptr;
  if (!every_operand_ && listed.size() >= kMemoMinRows) {
    DefMemo& m = MemoFor(di);
    if (m.usable && !m.off && m.costly >= 4) memo = &m;
  }
  if (memo != nullptr) {
    // The inlined definitions' variables take the same rows.
    const VarSlot own = frame.vars.at(d.var);
    for (uint32_t x : memo->inlined) frame.vars.emplace(rules_.definitions[x].var, own);
  }
  for (size_t off = 0; off < listed.size(); off += kChunk) {
    size_t len = std::min(kChunk, listed.size() - off);
    if (memo != nullptr && !memo->off && len >= kMemoMinRows && MemoChunk(di, *memo, frame, off, len)) continue;
    const Vec& v = Eval(d.body, frame, off, len);
    c.WriteRows(listed.data() + off, len, v.a.data(), body_b ? v.b.data() : nullptr, v.s.data());
  }
}

namespace {

// Whether a node only walks from the variable to one of its rows or an owner's
// (the row, its owners, a nested entity): its value is a row, never a fact.
bool MemoNavigation(const dsl::CheckedRuleSet& rs, uint32_t node, uint32_t var) {
  if (node == UINT32_MAX) return false;
  const dsl::CExpr& e = rs.expr(node);
  switch (e.op) {
    case Op::kVar:
      return e.index == var;
    case Op::kOwner:
      return MemoNavigation(rs, e.args[0], var);
    case Op::kField: {
      if (e.type.kind != TypeKind::kEntity) return false;
      const dsl::CExpr& base = rs.expr(e.args[0]);
      if (base.type.kind != TypeKind::kEntity) return false;
      return rs.entities[base.type.id].fields[e.index].definition < 0 && MemoNavigation(rs, e.args[0], var);
    }
    default:
      return false;
  }
}

}  // namespace

// A body qualifies when its value for a row follows from the values of its input
// facts alone, and evaluating it for fewer rows (one per distinct input) leaves
// the same messages in the same order: a node that may fail for some rows, or an
// on-demand definition (computed when read), may not sit in the right operand of
// `and` / `or`, which is evaluated for a number of rows that depends on the chunk.
bool Evaluator::MemoWalk(uint32_t node, uint32_t var, bool under_right, DefMemo& m) {
  if (node == UINT32_MAX) return false;
  const dsl::CExpr& e = rules_.expr(node);
  auto args = [&](bool right) {
    for (uint32_t a : e.args) {
      if (!MemoWalk(a, var, right, m)) return false;
    }
    return true;
  };
  switch (e.op) {
    case Op::kLiteral:
    case Op::kSetLit:
      return true;
    case Op::kParam:  // fails, if at all, for every row alike
      return !m.params;
    case Op::kNot:
    case Op::kIsKnown:
    case Op::kIsNone:
    case Op::kIsUnknown:
    case Op::kIn:
    case Op::kIf:
      return args(under_right);
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      // Durations of months and of days cannot be compared: such a comparison may fail.
      if ((under_right || m.params) && rules_.expr(e.args[0]).type.kind == TypeKind::kDuration) return false;
      return args(under_right);
    case Op::kAnd:
    case Op::kOr:
      return MemoWalk(e.args[0], var, under_right, m) && MemoWalk(e.args[1], var, true, m);
    case Op::kParamOn: {
      if (under_right) return false;
      if (!m.params) return args(under_right);
      // A parameter on a fact's date: the input is its value, not the date.
      const dsl::CExpr& day = rules_.expr(e.args[0]);
      if (day.op != Op::kField || day.type.kind == TypeKind::kList || day.type.kind == TypeKind::kEntity) return false;
      const dsl::CExpr& base = rules_.expr(day.args[0]);
      if (base.type.kind != TypeKind::kEntity || !MemoNavigation(rules_, day.args[0], var) ||
          rules_.entities[base.type.id].fields[day.index].definition >= 0) {
        return false;
      }
      if (std::find(m.inputs.begin(), m.inputs.end(), node) == m.inputs.end()) m.inputs.push_back(node);
      return true;
    }
    case Op::kNeg:
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kAt:
    case Op::kCall:
      return !under_right && !m.params && args(under_right);
    case Op::kField: {
      if (e.type.kind == TypeKind::kList || e.type.kind == TypeKind::kEntity) return false;
      const dsl::CExpr& base = rules_.expr(e.args[0]);
      if (base.type.kind != TypeKind::kEntity || !MemoNavigation(rules_, e.args[0], var)) return false;
      const int32_t def = rules_.entities[base.type.id].fields[e.index].definition;
      const bool own = base.op == Op::kVar;  // a fact of the row itself
      if (def >= 0 && OnDemand(static_cast<size_t>(def))) {
        // Another definition on the same row: its inputs join ours.
        if (under_right || !own || m.params) return false;
        const DefMemo& inner = MemoFor(static_cast<size_t>(def));
        if (!inner.usable) return false;
        for (uint32_t in : inner.inputs) {
          if (!MemoWalk(in, rules_.definitions[def].var, under_right, m)) return false;
        }
        for (uint32_t x : inner.inlined) {
          if (std::find(m.inlined.begin(), m.inlined.end(), x) == m.inlined.end()) m.inlined.push_back(x);
        }
        if (std::find(m.inlined.begin(), m.inlined.end(), static_cast<uint32_t>(def)) == m.inlined.end()) {
          m.inlined.push_back(static_cast<uint32_t>(def));
        }
        return true;
      }
      // An input. The row's own facts are read once per field, whichever
      // variable (ours or an inlined definition's: they take the same rows) reads them.
      for (uint32_t in : m.inputs) {
        const dsl::CExpr& x = rules_.expr(in);
        if (in == node || (own && x.op == Op::kField && rules_.expr(x.args[0]).op == Op::kVar && x.index == e.index &&
                           rules_.expr(x.args[0]).type.id == base.type.id)) {
          return true;
        }
      }
      m.inputs.push_back(node);
      return true;
    }
    default:
      return false;
  }
}

Evaluator::DefMemo& Evaluator::MemoFor(size_t definition) {
  if (def_memo_.empty()) def_memo_.resize(rules_.definitions.size());
  DefMemo& m = def_memo_[definition];
  if (!m.analysed) {
    m.analysed = true;  // before the walk: a definition does not inline itself
    const dsl::DefinitionInfo& d = rules_.definitions[definition];
    // Parameters on a fact's date as inputs, where nothing else may fail (so
    // that evaluating them first fails in the same order); else the facts.
    m.params = true;
    m.usable = d.body != UINT32_MAX && MemoWalk(d.body, d.var, false, m);
    if (!m.usable) {
      m.inputs.clear();
      m.inlined.clear();
      m.params = false;
      m.usable = d.body != UINT32_MAX && MemoWalk(d.body, d.var, false, m);
    }
    if (!m.usable) {
      m.inputs.clear();
      m.inlined.clear();
    }
    // Worth it where the body (with the definitions it inlines) computes: a body
    // of comparisons and connectives costs about what finding distinct inputs does.
    auto costly = [&](uint32_t root) {
      uint32_t n = 0;
      std::vector<uint32_t> todo{root};
      while (!todo.empty()) {
        const uint32_t x = todo.back();
        todo.pop_back();
        if (x == UINT32_MAX) continue;
        const dsl::CExpr& e = rules_.expr(x);
        switch (e.op) {
          case Op::kParamOn:
          case Op::kAdd:
          case Op::kSub:
          case Op::kMul:
          case Op::kDiv:
          case Op::kCall:
          case Op::kIf:
            ++n;
            break;
          default:
            break;
        }
        for (uint32_t a : e.args) todo.push_back(a);
      }
      return n;
    };
    if (m.usable) {
      m.costly = costly(d.body);
      for (uint32_t x : m.inlined) m.costly += costly(rules_.definitions[x].body);
    }
  }
  return m;
}

bool Evaluator::MemoChunk(size_t definition, DefMemo& m, const Frame& frame, size_t off, size_t len) {
  const dsl::DefinitionInfo& d = rules_.definitions[definition];
  const uint32_t* rows = frame.vars.at(d.var).rows->data() + off;
  // Inputs are read from their columns: none may wait to be computed.
  for (uint32_t in : m.inputs) {
    const dsl::CExpr& e = rules_.expr(rules_.expr(in).op == Op::kParamOn ? rules_.expr(in).args[0] : in);
    if (facts_.table(rules_.expr(e.args[0]).type.id).columns[e.index].has_pending()) return false;
  }
  if (memo_depth_ >= memo_scratch_.size()) memo_scratch_.push_back(std::make_unique<MemoScratch>());
  MemoScratch& sc = *memo_scratch_[memo_depth_];
  // Inlined definitions: the chunk's rows all wait (they are computed along, for
  // every row) or none does (they are read).
  sc.written.clear();
  for (uint32_t x : m.inlined) {
    const dsl::DefinitionInfo& dx = rules_.definitions[x];
    const Column& cx = facts_.table(dx.entity).columns[dx.field];
    size_t n = 0;
    if (cx.has_pending()) {
      for (size_t i = 0; i < len; ++i) n += cx.pending(rows[i]);
    }
    if (n == len)
      sc.written.push_back(x);
    else if (n != 0)
      return false;
  }
  // The inputs of each row, and one row (the first) of each distinct input.
  const size_t k = m.inputs.size();
  sc.ins.resize(k);
  sc.second.resize(k);
  for (size_t j = 0; j < k; ++j) {
    sc.ins[j] = &Eval(m.inputs[j], frame, off, len);
    sc.second[j] = HasSecond(rules_.expr(m.inputs[j]).type.kind);
  }
  // Each row's inputs as one key: mostly they fit in 64 bits, each input a
  // field of the bits its values in the chunk need (rows not known: their
  // state; their values are never read), and equal keys are equal inputs.
  // Else a hash, and rows with equal hashes are checked to have equal inputs.
  sc.h.assign(len, 0);
  uint64_t* h = sc.h.data();
  bool exact = true;
  unsigned total = 0;
  for (size_t j = 0; j < k && exact; ++j) {
    const int64_t* a = sc.ins[j]->a.data();
    const int64_t* b = sc.ins[j]->b.data();
    const State* st = sc.ins[j]->s.data();
    const bool with_b = sc.second[j] != 0;
    // The bounds of the known values, without a branch per row.
    const bool all_known = AllKnown(*sc.ins[j], len);
    auto bounds = [&](const int64_t* v, int64_t& lo, int64_t& hi) {
      int64_t l0 = INT64_MAX, l1 = INT64_MAX, h0 = INT64_MIN, h1 = INT64_MIN;
      if (all_known) {
        // Every row known (mostly): no masks.
        lo = INT64_MAX;
        hi = INT64_MIN;
        Bounds(v, len, lo, hi);
        return;
      }
      // A row not known takes the bounds' start values (masks: a branch here
      // would be mispredicted wherever known and other rows mix).
      auto at = [&](size_t r, int64_t& l, int64_t& u) {
        const int64_t mask = -static_cast<int64_t>(st[r] == State::kKnown);
        const int64_t x = v[r] & mask;
        l = std::min(l, x | (INT64_MAX & ~mask));
        u = std::max(u, x | (INT64_MIN & ~mask));
      };
      size_t i = 0;
      for (; i + 2 <= len; i += 2) {
        at(i, l0, h0);
        at(i + 1, l1, h1);
      }
      if (i < len) at(i, l0, h0);
      lo = std::min(l0, l1);
      hi = std::max(h0, h1);
    };
    int64_t lo = INT64_MAX, hi = INT64_MIN, blo = INT64_MAX, bhi = INT64_MIN;
    bounds(a, lo, hi);
    if (with_b) bounds(b, blo, bhi);
    if (lo > hi) lo = hi = 0;  // no row known
    if (blo > bhi) blo = bhi = 0;
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    const uint64_t bspan = static_cast<uint64_t>(bhi) - static_cast<uint64_t>(blo);
    if (span > (uint64_t{1} << 60) || bspan > (uint64_t{1} << 60)) {
      exact = false;
      break;
    }
    // Codes 0-3: a state (known is 0: never a code); 4 on: known values. Each
    // field has at most 61 bits (the spans above).
    const unsigned bits = 64 - static_cast<unsigned>(__builtin_clzll(span + 4));
    const unsigned bbits = with_b ? 64 - static_cast<unsigned>(__builtin_clzll(bspan + 1)) : 0;
    total += bits + bbits;
    if (total > 64) {
      exact = false;
      break;
    }
    const uint64_t ulo = static_cast<uint64_t>(lo), ublo = static_cast<uint64_t>(blo);
    if (all_known && !with_b) {
      for (size_t i = 0; i < len; ++i) h[i] = (h[i] << bits) | (static_cast<uint64_t>(a[i]) - ulo + 4);
      continue;
    }
    for (size_t i = 0; i < len; ++i) {
      const uint64_t known = uint64_t{0} - static_cast<uint64_t>(st[i] == State::kKnown);
      const uint64_t code = (known & (static_cast<uint64_t>(a[i]) - ulo + 4)) | (~known & static_cast<uint64_t>(st[i]));
      h[i] = (h[i] << bits) | code;
    }
    if (with_b) {
      for (size_t i = 0; i < len; ++i) {
        const uint64_t known = uint64_t{0} - static_cast<uint64_t>(st[i] == State::kKnown);
        h[i] = (h[i] << bbits) | (known & (static_cast<uint64_t>(b[i]) - ublo));
      }
    }
  }
  if (!exact) {
    std::fill_n(h, len, uint64_t{0x9E3779B97F4A7C15u});
    for (size_t j = 0; j < k; ++j) {
      const int64_t* a = sc.ins[j]->a.data();
      const int64_t* b = sc.ins[j]->b.data();
      const State* st = sc.ins[j]->s.data();
      const bool with_b = sc.second[j] != 0;
      for (size_t i = 0; i < len; ++i) {
        const bool known = st[i] == State::kKnown;
        uint64_t x = static_cast<uint64_t>(a[i]) * 0xC2B2AE3D27D4EB4Fu;
        if (with_b) x ^= static_cast<uint64_t>(b[i]) * 0x165667B19E3779F9u;
        x = (known ? x : 0) + static_cast<uint64_t>(st[i]) + 1;
        uint64_t y = (h[i] ^ x) * 0x9E3779B97F4A7C15u;
        h[i] = y ^ (y >> 29);
      }
    }
  }
  // The first row of each distinct key.
  size_t cap = 64;
  unsigned cap_bits = 6;
  while (cap < 2 * len) {
    cap <<= 1;
    ++cap_bits;
  }
  if (sc.table.size() < cap) sc.table.assign(cap, 0);
  sc.rep_of.resize(len);
  sc.rep_pos.resize(len);
  sc.rep_hash.resize(len);
  sc.slots.resize(len);
  const size_t limit = len * 3 / 4;  // more distinct inputs than this: not worth it
  uint32_t* table = sc.table.data();
  uint32_t* rep_of = sc.rep_of.data();
  uint32_t* rep_pos = sc.rep_pos.data();
  uint64_t* rep_hash = sc.rep_hash.data();
  uint32_t* slots = sc.slots.data();
  uint32_t n = 0;  // distinct keys so far
  bool distinct = false;
  for (size_t i = 0; i < len; ++i) {
    const uint64_t hv = h[i];
    size_t slot = static_cast<size_t>((hv * 0x9E3779B97F4A7C15u) >> (64 - cap_bits));
    for (;;) {
      const uint32_t t = table[slot];
      if (t == 0) {
        rep_pos[n] = static_cast<uint32_t>(i);
        rep_hash[n] = hv;
        slots[n] = static_cast<uint32_t>(slot);
        rep_of[i] = n++;
        table[slot] = n;
        break;
      }
      if (rep_hash[t - 1] == hv) {
        rep_of[i] = t - 1;
        break;
      }
      slot = (slot + 1) & (cap - 1);
    }
    if (n > limit) {
      distinct = true;
      break;
    }
  }
  for (uint32_t r = 0; r < n; ++r) table[slots[r]] = 0;
  if (distinct) {
    m.off = true;
    return false;
  }
  if (!exact) {
    // Each row has the inputs of its first row (else two inputs share a hash:
    // the chunk takes the plain path).
    bool differ = false;
    const uint32_t* pos = rep_pos;
    for (size_t j = 0; j < k; ++j) {
      const int64_t* a = sc.ins[j]->a.data();
      const int64_t* b = sc.ins[j]->b.data();
      const State* st = sc.ins[j]->s.data();
      const bool with_b = sc.second[j] != 0;
      for (size_t i = 0; i < len; ++i) {
        const uint32_t p = pos[rep_of[i]];
        const bool known = st[i] == State::kKnown;
        differ |= (st[i] != st[p]) | (known & ((a[i] != a[p]) | (with_b & (b[i] != b[p]))));
      }
    }
    if (differ) return false;
  }
  // The body for one row of each distinct input.
  Frame sub;
  sub.size = n;
  VarSlot slot;
  slot.rows->resize(n);
  for (size_t j = 0; j < n; ++j) (*slot.rows)[j] = rows[sc.rep_pos[j]];
  sub.vars.emplace(d.var, slot);
  for (uint32_t x : m.inlined) sub.vars.emplace(rules_.definitions[x].var, slot);
  const std::vector<uint32_t>& rep_rows = *slot.rows;
  struct Depth {
    size_t& depth;
    explicit Depth(size_t& d) : depth(d) { ++depth; }
    ~Depth() { --depth; }
  };
  {
    Depth nested(memo_depth_);
    const Vec& v = Eval(d.body, sub, 0, n);
    // Every row takes the value of its input's row.
    TypeKind body_kind = rules_.expr(d.body).type.kind;
    const bool body_b = IsFraction(body_kind) || body_kind == TypeKind::kDuration;
    sc.a.resize(len);
    sc.b.resize(len);
    sc.s.resize(len);
    for (size_t i = 0; i < len; ++i) {
      const uint32_t j = sc.rep_of[i];
      sc.a[i] = v.a[j];
      if (body_b) sc.b[i] = v.b[j];
      sc.s[i] = v.s[j];
    }
    facts_.table(d.entity).columns[d.field].WriteRows(rows, len, sc.a.data(), body_b ? sc.b.data() : nullptr,
                                                      sc.s.data());
  }
  // The inlined definitions, computed for those rows while the body was
  // evaluated: the other rows take the same values.
  for (uint32_t x : sc.written) {
    const dsl::DefinitionInfo& dx = rules_.definitions[x];
    Column& cx = facts_.table(dx.entity).columns[dx.field];
    bool all = true;
    for (size_t j = 0; j < n && all; ++j) all = !cx.pending(rep_rows[j]);
    if (!all) continue;  // not read for every row: left to be computed when read
    sc.ra.resize(n);
    sc.rb.resize(n);
    sc.rs.resize(n);
    cx.Gather(rep_rows.data(), n, sc.ra.data(), sc.rb.data(), sc.rs.data());
    sc.wrows.resize(len);
    size_t cnt = 0;
    for (size_t i = 0; i < len; ++i) {
      // Every row but the first of its input, without a branch per row.
      const uint32_t j = rep_of[i];
      sc.wrows[cnt] = rows[i];
      sc.a[cnt] = sc.ra[j];
      sc.b[cnt] = sc.rb[j];
      sc.s[cnt] = sc.rs[j];
      cnt += rep_pos[j] != i;
    }
    cx.WriteRows(sc.wrows.data(), cnt, sc.a.data(), sc.b.data(), sc.s.data());
  }
  return true;
}

Frame Evaluator::BuildFrame(const std::vector<dsl::CBinding>& bindings) {
  Frame f;
  f.size = 1;
  for (const dsl::CBinding& b : bindings) {
    Frame next;
    std::vector<uint32_t, UninitAllocator<uint32_t>> from;  // outer frame row of each new row (written before read)
    VarSlot slot;
    VarSlot second;              // kConsecutive: the next row in date order
    slot.rows->clear();
    if (b.kind == dsl::Binding::Kind::kEntity) {
      uint32_t rows = facts_.table(b.entity).rows;
      from.reserve(f.size * rows);
      slot.rows->reserve(f.size * rows);
      for (size_t i = 0; i < f.size; ++i) {
        for (uint32_t r = 0; r < rows; ++r) {
          from.push_back(static_cast<uint32_t>(i));
          slot.rows->push_back(r);
        }
      }
    } else {
      std::vector<uint32_t> lo, hi;
      std::vector<State> st;
      const std::vector<uint32_t>* perm = nullptr;
      uint32_t entity = 0;
      const std::vector<uint32_t>* sorted = nullptr;
      if (b.kind != dsl::Binding::Kind::kEach) sorted = &SortedBy(b.entity, b.by_field);
      auto groups = std::make_shared<GroupSet>();
      groups->entity = b.entity;
      groups->perm = sorted;
      const Column* by = sorted ? &facts_.table(b.entity).columns[b.by_field] : nullptr;
      if (b.kind == dsl::Binding::Kind::kEach || b.kind == dsl::Binding::Kind::kConsecutive) {
        // Items are at most all rows of the entity.
        from.reserve(facts_.table(b.entity).rows);
        slot.rows->reserve(facts_.table(b.entity).rows);
        if (b.kind == dsl::Binding::Kind::kConsecutive) second.rows->reserve(facts_.table(b.entity).rows);
      }
      for (size_t off = 0; off < f.size; off += kChunk) {
        size_t len = std::min(kChunk, f.size - off);
        CollectionRanges(b.collection, f, off, len, lo, hi, st, perm, entity);
        if (b.kind == dsl::Binding::Kind::kEach || b.kind == dsl::Binding::Kind::kConsecutive) {
          // Items (pairs) of the chunk's rows, written in place: room for all of
          // them first, then each row's slice of the order (no check per item).
          // An owner's long slice (a year of work-log records) is appended
          // whole instead, so that its room is not zeroed before it is written;
          // short ones (a case's few records) take less with one resize.
          const bool pairs = b.kind == dsl::Binding::Kind::kConsecutive;
          const std::vector<uint32_t>& order = pairs ? *sorted : *perm;
          size_t add = 0, owners = 0;
          for (size_t k = 0; k < len; ++k) {
            if (st[k] == State::kKnown && lo[k] < hi[k]) {
              add += hi[k] - lo[k] - (pairs ? 1 : 0);
              ++owners;
            }
          }
          size_t at = from.size();
          from.resize(at + add);  // not zeroed (UninitAllocator)
          uint32_t* fr = from.data();
          const uint32_t* src = order.data();
          if (add >= 64 * owners) {
            slot.rows->reserve(at + add);
            if (pairs) second.rows->reserve(at + add);
            for (size_t k = 0; k < len; ++k) {
              if (st[k] != State::kKnown || lo[k] >= hi[k]) continue;
              const uint32_t n = hi[k] - lo[k] - (pairs ? 1 : 0);
              std::fill_n(fr + at, n, static_cast<uint32_t>(off + k));
              slot.rows->insert(slot.rows->end(), src + lo[k], src + lo[k] + n);
              if (pairs) second.rows->insert(second.rows->end(), src + lo[k] + 1, src + lo[k] + 1 + n);
              at += n;
            }
            continue;
          }
          slot.rows->resize(at + add);
          if (pairs) second.rows->resize(at + add);
          uint32_t* rows = slot.rows->data();
          uint32_t* next_rows = pairs ? second.rows->data() : nullptr;
          for (size_t k = 0; k < len; ++k) {
            if (st[k] != State::kKnown || lo[k] >= hi[k]) continue;
            const uint32_t n = hi[k] - lo[k] - (pairs ? 1 : 0);
            std::fill_n(fr + at, n, static_cast<uint32_t>(off + k));
            std::copy_n(src + lo[k], n, rows + at);
            if (pairs) std::copy_n(src + lo[k] + 1, n, next_rows + at);
            at += n;
          }
          continue;
        }
        for (size_t k = 0; k < len; ++k) {
          if (st[k] != State::kKnown) continue;
          uint32_t outer = static_cast<uint32_t>(off + k);
          // Lists are contiguous in table order and, since rows are sorted by owner
          // first, in the same positions of the sorted order.
          switch (b.kind) {
            case dsl::Binding::Kind::kEach:
            case dsl::Binding::Kind::kConsecutive:
              break;  // above
            case dsl::Binding::Kind::kGroup: {
              auto key = [&](uint32_t row) -> std::pair<int32_t, int32_t> {
                Date d = *Date::FromDaysSinceEpoch(by->a(row));
                if (b.group == "week") {
                  Date s = d.StartOfIsoWeek();
                  return {s.DaysSinceEpoch(), s.DaysSinceEpoch() + 6};
                }
                if (b.group == "month") return {d.StartOfMonth().DaysSinceEpoch(), d.EndOfMonth().DaysSinceEpoch()};
                if (b.group == "year") {
                  return {Date::FromYmd(d.year(), 1, 1)->DaysSinceEpoch(), Date::FromYmd(d.year(), 12, 31)->DaysSinceEpoch()};
                }
                return {d.DaysSinceEpoch(), d.DaysSinceEpoch()};
              };
              uint32_t p = lo[k];
              while (p < hi[k]) {
                auto [s, en] = key((*sorted)[p]);
                uint32_t q = p;
                while (q < hi[k] && by->a((*sorted)[q]) <= en) ++q;
                from.push_back(outer);
                slot.rows->push_back(static_cast<uint32_t>(groups->lo.size()));
                groups->lo.push_back(p);
                groups->hi.push_back(q);
                groups->start.push_back(s);
                groups->end.push_back(en);
                p = q;
              }
              break;
            }
            case dsl::Binding::Kind::kPeriod: {
              if (lo[k] >= hi[k]) break;
              Date first = *Date::FromDaysSinceEpoch(by->a((*sorted)[lo[k]]));
              Date last = *Date::FromDaysSinceEpoch(by->a((*sorted)[hi[k] - 1]));
              // Windows of N weeks (or months) that lie within the weeks (months) the records span,
              // one ending in each week (month) from the N-th on.
              std::vector<std::pair<int32_t, int32_t>> windows;
              if (b.group == "weeks") {
                int32_t w0 = first.StartOfIsoWeek().DaysSinceEpoch();
                int32_t wl = last.StartOfIsoWeek().DaysSinceEpoch();
                for (int32_t end_week = w0 + 7 * (b.count - 1); end_week <= wl; end_week += 7) {
                  windows.push_back({end_week - 7 * (b.count - 1), end_week + 6});
                }
              } else {
                Date m0 = first.StartOfMonth(), ml = last.StartOfMonth();
                for (Date m = *AddMonths(m0, b.count - 1, kLawMonthEnd); m <= ml; m = *AddMonths(m, 1, kLawMonthEnd)) {
                  Date s = *AddMonths(m, -(b.count - 1), kLawMonthEnd);
                  windows.push_back({s.DaysSinceEpoch(), m.EndOfMonth().DaysSinceEpoch()});
                }
              }
              uint32_t a = lo[k], z = lo[k];
              for (auto [s, en] : windows) {
                while (a < hi[k] && by->a((*sorted)[a]) < s) ++a;
                if (z < a) z = a;
                while (z < hi[k] && by->a((*sorted)[z]) <= en) ++z;
                from.push_back(outer);
                slot.rows->push_back(static_cast<uint32_t>(groups->lo.size()));
                groups->lo.push_back(a);
                groups->hi.push_back(z);
                groups->start.push_back(s);
                groups->end.push_back(en);
              }
              break;
            }
            case dsl::Binding::Kind::kEntity: break;
          }
        }
      }
      if (b.kind == dsl::Binding::Kind::kGroup || b.kind == dsl::Binding::Kind::kPeriod) slot.groups = groups;
    }
    next.size = from.size();
    for (const auto& [id, old] : f.vars) {
      VarSlot copy;
      copy.groups = old.groups;
      const uint32_t* was = old.rows->data();
      copy.rows->assign(GatherIterator{was, from.data()}, GatherIterator{was, from.data() + next.size});
      next.vars.emplace(id, std::move(copy));
    }
    if (b.kind == dsl::Binding::Kind::kConsecutive) next.vars.emplace(b.var2, std::move(second));
    next.vars[b.var] = std::move(slot);
    f = std::move(next);
  }
  for (auto& [id, slot] : f.vars) {
    const uint32_t* rows = slot.rows->data();
    // An outer variable (the employee of each record) shows it at the last row.
    if (f.size > 0 && rows[f.size - 1] != static_cast<uint32_t>(f.size - 1)) {
      slot.identity = false;
      continue;
    }
    uint32_t diff = 0;
    for (size_t i = 0; i < f.size; ++i) diff |= rows[i] ^ static_cast<uint32_t>(i);
    slot.identity = diff == 0;
  }
  return f;
}

}  // namespace nw::engine::internal
