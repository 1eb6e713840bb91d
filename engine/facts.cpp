// FactStore: columns, rows, and facts parsed from their text form.
#include "engine/facts.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dsl/support/diagnostic.hpp"
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

#if defined(__SSE2__)
namespace {
// Eight 32-bit values widened to 64 bits, the sign of each from a shift.
[[gnu::always_inline]] inline void Widen8(const int32_t* src, int64_t* out) {
  const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
  const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 4));
  const __m128i s0 = _mm_srai_epi32(x0, 31);
  const __m128i s1 = _mm_srai_epi32(x1, 31);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_unpacklo_epi32(x0, s0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2), _mm_unpackhi_epi32(x0, s0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4), _mm_unpacklo_epi32(x1, s1));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 6), _mm_unpackhi_epi32(x1, s1));
}
}  // namespace
#endif

using dsl::TypeKind;

namespace {

bool NeedsB(TypeKind k) {
  return k == TypeKind::kDecimal || k == TypeKind::kPercentage || k == TypeKind::kDuration;
}

bool Fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

}  // namespace

void Column::Configure(TypeKind kind) { has_b_ = NeedsB(kind); }

void Column::Reserve(uint32_t rows) {
  reserve_ = rows;
  if (!stored_) return;
  if (narrow_) a32_.reserve(rows);
  else a64_.reserve(rows);
  if (has_b_) b_.reserve(rows);
  s_.reserve(rows);
}

void Column::Store() {
  stored_ = true;
  size_t cap = std::max(reserve_, rows_);
  a32_.reserve(cap);
  s_.reserve(cap);
  a32_.assign(rows_, 0);
  s_.assign(rows_, fill_);
  if (has_b_) {
    b_.reserve(cap);
    b_.assign(rows_, 1);
  }
}

void Column::Widen() {
  a64_.reserve(std::max<size_t>(a32_.capacity(), rows_));
  a64_.assign(a32_.begin(), a32_.end());
  decltype(a32_)().swap(a32_);
  narrow_ = false;
}

void Column::SetState(uint32_t r, State s) {
  if (!stored_) {
    if (s == fill_) return;
    Store();
  }
  s_[r] = s;
}

void Column::Truncate(uint32_t rows) {
  if (rows >= rows_) return;
  rows_ = rows;
  if (!stored_) return;
  if (narrow_) a32_.resize(rows);
  else a64_.resize(rows);
  if (has_b_) b_.resize(rows);
  s_.resize(rows);
}

void Column::Shrink() {
  auto shrink = [](auto& v) {
    if (v.capacity() > v.size() + v.size() / 4) v.shrink_to_fit();
  };
  shrink(a32_);
  shrink(a64_);
  shrink(b_);
  shrink(s_);
}

void Column::CopyOut(uint32_t first, size_t len, int64_t* oa, int64_t* ob, State* os) const {
  if (!stored_) {
    std::fill_n(oa, len, 0);
    std::fill_n(os, len, fill_);
    if (has_b_) std::fill_n(ob, len, 1);
    return;
  }
  if (narrow_) {
    const int32_t* src = a32_.data() + first;
    size_t i = 0;
#if defined(__SSE2__)
    // Widening is most of a chunk's copy (the derived columns' chunks and the
    // keyed aggregates' keys and values read whole tables): eight rows a turn,
    // the sign of each half from a shift, where the compiler's own loop takes
    // four rows a turn and a compare.
    for (; i + 8 <= len; i += 8) Widen8(src + i, oa + i);
#endif
    for (; i < len; ++i) oa[i] = src[i];
  } else {
    std::copy_n(a64_.data() + first, len, oa);
  }
  std::copy_n(s_.data() + first, len, os);
  if (has_b_) std::copy_n(b_.data() + first, len, ob);
}

void Column::CopyStates(uint32_t first, size_t len, State* os) const {
  if (!stored_)
    std::fill_n(os, len, fill_);
  else
    std::copy_n(s_.data() + first, len, os);
}

void Column::GatherStates(const uint32_t* rows, size_t len, State* os) const {
  if (!stored_) {
    std::fill_n(os, len, fill_);
    return;
  }
  const State* cs = s_.data();
  for (size_t i = 0; i < len; ++i) os[i] = cs[rows[i]];
}

void Column::Gather(const int64_t* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const {
  GatherRows(rows, len, oa, ob, os);
}

void Column::Gather(const uint32_t* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const {
  GatherRows(rows, len, oa, ob, os);
}

template <class Row>
void Column::GatherRows(const Row* rows, size_t len, int64_t* oa, int64_t* ob, State* os) const {
  if (!stored_) {
    std::fill_n(oa, len, 0);
    std::fill_n(os, len, fill_);
    if (has_b_) std::fill_n(ob, len, 1);
    return;
  }
  const State* cs = s_.data();
  // A gather is five moves a row (the row, its value and state in, both out):
  // unrolled, the loop's count and branch are paid once per four rows, not per row.
  if (narrow_) {
    const int32_t* ca = a32_.data();
    size_t i = 0;
#if defined(__SSE2__)
    // Rows that run on in sixteens (each record but an owner's last of a
    // work log's consecutive pairs, an owner's items) are copied as a slice:
    // widened eight at a time, the states moved whole. The first and last row
    // of sixteen tell most others apart at once.
    for (; std::is_same_v<Row, uint32_t> && i + 16 <= len; i += 16) {
      const Row r0 = rows[i];
      bool run = rows[i + 15] == r0 + 15;
      if (run) {
        // All sixteen against r0 + 0..15, four rows a compare.
        const __m128i base = _mm_add_epi32(_mm_set1_epi32(static_cast<int>(r0)), _mm_set_epi32(3, 2, 1, 0));
        __m128i same = _mm_set1_epi32(-1);
        for (int q = 0; q < 4; ++q) {
          const __m128i got = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows + i + 4 * q));
          same = _mm_and_si128(same, _mm_cmpeq_epi32(got, _mm_add_epi32(base, _mm_set1_epi32(4 * q))));
        }
        run = _mm_movemask_epi8(same) == 0xFFFF;
      }
      if (!run) {
        for (size_t k = 0; k < 16; ++k) {
          oa[i + k] = ca[rows[i + k]];
          os[i + k] = cs[rows[i + k]];
        }
        continue;
      }
      const int32_t* src = ca + r0;
      Widen8(src, oa + i);
      Widen8(src + 8, oa + i + 8);
      std::memcpy(os + i, cs + r0, 16);
    }
#endif
#pragma GCC unroll 4
    for (; i < len; ++i) {
      oa[i] = ca[rows[i]];
      os[i] = cs[rows[i]];
    }
  } else {
    const int64_t* ca = a64_.data();
#pragma GCC unroll 4
    for (size_t i = 0; i < len; ++i) {
      oa[i] = ca[rows[i]];
      os[i] = cs[rows[i]];
    }
  }
  if (has_b_) {
    for (size_t i = 0; i < len; ++i) ob[i] = b_[rows[i]];
  }
}

void Column::ResetPending(uint32_t rows) {
  // The memory of an earlier evaluation is kept (a store evaluated again
  // refills the same rows). Values are left unwritten: WriteRows writes every
  // cell of a row before any reader sees it (a pending row is computed first).
  decltype(a64_)().swap(a64_);
  narrow_ = true;
  stored_ = true;
  rows_ = rows;
  reserve_ = rows;
  a32_.clear();
  a32_.resize(rows);
  s_.assign(rows, kPendingState);
  b_.clear();
  if (has_b_) b_.resize(rows);
  pending_ = rows;
}

void Column::WriteRows(const uint32_t* rows, size_t len, const int64_t* a, const int64_t* b, const State* s) {
  if (narrow_) {
    bool fits = true;
    for (size_t i = 0; i < len; ++i) fits &= Fits32(a[i]) || s[i] != State::kKnown;
    if (!fits) Widen();
  }
  for (size_t i = 0; i < len; ++i) {
    uint32_t r = rows[i];
    if (narrow_) a32_[r] = s[i] == State::kKnown ? static_cast<int32_t>(a[i]) : 0;
    else a64_[r] = a[i];
    if (has_b_) b_[r] = b != nullptr ? b[i] : 1;
    s_[r] = s[i];
  }
  pending_ -= static_cast<uint32_t>(len);
}

void Column::Reset(uint32_t rows) {
  pending_ = 0;
  // The memory of an earlier evaluation is kept (see ResetPending); Write
  // grows into it without zeroing, and writes every cell.
  decltype(a64_)().swap(a64_);
  a32_.clear();
  b_.clear();
  s_.clear();
  narrow_ = true;
  stored_ = true;
  rows_ = rows;
  reserve_ = rows;
  // Filled by Write in row order: room, but no values yet.
  a32_.reserve(rows);
  s_.reserve(rows);
  if (has_b_) b_.reserve(rows);
}

void Column::Write(uint32_t first, size_t len, const int64_t* a, const int64_t* b, const State* s) {
  if (!stored_) Store();
  // Chunks arrive in row order; grow to the end of this one (a no-op for stored rows).
  size_t end = first + len;
  if (s_.size() < end) {
    s_.resize(end);
    if (narrow_) a32_.resize(end);
    else a64_.resize(end);
    if (has_b_) b_.resize(end);
  }
  bool wide = !narrow_;
  if (narrow_) {
    // In one pass: the values (those of rows that are not known are never
    // read: 0), and whether every known value fits in 32 bits.
    int32_t* dst = a32_.data() + first;
    uint32_t overflow = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // Four rows at a time: the low halves of the values, kept where the row
    // is known; a known value whose high half is not the low half's sign
    // does not fit.
    const __m128i zero = _mm_setzero_si128();
    __m128i bad = zero;
    for (; i + 4 <= len; i += 4) {
      const __m128 v01 = _mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
      const __m128 v23 = _mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i + 2)));
      const __m128i lo = _mm_castps_si128(_mm_shuffle_ps(v01, v23, _MM_SHUFFLE(2, 0, 2, 0)));
      const __m128i hi = _mm_castps_si128(_mm_shuffle_ps(v01, v23, _MM_SHUFFLE(3, 1, 3, 1)));
      int32_t states;
      std::memcpy(&states, s + i, sizeof states);
      __m128i known = _mm_cmpeq_epi8(_mm_cvtsi32_si128(states), zero);  // State::kKnown == 0
      known = _mm_unpacklo_epi8(known, known);
      known = _mm_unpacklo_epi16(known, known);  // 32-bit lanes: all ones where known
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm_and_si128(lo, known));
      const __m128i fits = _mm_cmpeq_epi32(hi, _mm_srai_epi32(lo, 31));
      bad = _mm_or_si128(bad, _mm_andnot_si128(fits, known));
    }
    overflow = static_cast<uint32_t>(_mm_movemask_epi8(bad));
#endif
    for (; i < len; ++i) {
      const int64_t v = a[i];
      const bool known = s[i] == State::kKnown;
      const int32_t w = static_cast<int32_t>(v);
      dst[i] = known ? w : 0;
      overflow |= static_cast<uint32_t>(known & (static_cast<int64_t>(w) != v));
    }
    if (overflow != 0) {
      Widen();
      wide = true;
    }
  }
  if (wide) std::copy_n(a, len, a64_.data() + first);
  if (has_b_) {
    if (b != nullptr) std::copy_n(b, len, b_.data() + first);
    else std::fill_n(b_.data() + first, len, 1);
  }
  std::copy_n(s, len, s_.data() + first);
}

size_t Column::bytes() const {
  return a32_.capacity() * sizeof(int32_t) + a64_.capacity() * sizeof(int64_t) + b_.capacity() * sizeof(int64_t) +
         s_.capacity();
}

FactStore::FactStore(const dsl::CheckedRuleSet& rules) : rules_(&rules) {
  tables_.resize(rules.entities.size());
  for (size_t e = 0; e < rules.entities.size(); ++e) {
    const auto& fields = rules.entities[e].fields;
    tables_[e].columns.resize(fields.size());
    for (size_t f = 0; f < fields.size(); ++f) {
      tables_[e].columns[f].Configure(fields[f].type.kind);
      if (fields[f].definition < 0) tables_[e].declared.push_back(static_cast<uint32_t>(f));
    }
  }
}

uint32_t FactStore::AddRow(uint32_t entity, uint32_t owner_row, uint32_t position) {
  Table& t = tables_[entity];
  // Derived columns are filled whole by the engine.
  for (uint32_t f : t.declared) t.columns[f].Append();
  if (rules_->entities[entity].owner >= 0) {
    t.owner.push_back(owner_row);
    t.position.push_back(position);
  } else if (entity == rules_->root) {
    documents_.emplace_back();
  }
  return t.rows++;
}

void FactStore::Reserve(uint32_t entity, uint32_t rows) {
  Table& t = tables_[entity];
  const auto& fields = rules_->entities[entity].fields;
  uint32_t total = t.rows + rows;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].definition < 0) t.columns[f].Reserve(total);
  }
  if (rules_->entities[entity].owner >= 0) {
    t.owner.reserve(total);
    t.position.reserve(total);
  }
}

std::vector<uint32_t> FactStore::RowCounts() const {
  std::vector<uint32_t> rows(tables_.size());
  for (size_t e = 0; e < tables_.size(); ++e) rows[e] = tables_[e].rows;
  return rows;
}

void FactStore::Truncate(const std::vector<uint32_t>& rows) {
  for (size_t e = 0; e < tables_.size(); ++e) {
    Table& t = tables_[e];
    uint32_t n = rows[e];
    if (t.rows <= n) continue;
    t.rows = n;
    const auto& fields = rules_->entities[e].fields;
    for (size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].definition < 0) t.columns[f].Truncate(n);
    }
    if (!t.owner.empty()) {
      t.owner.resize(n);
      t.position.resize(n);
    }
  }
  if (rules_->root != dsl::kNoEntity) DropDocumentsFrom(rows[rules_->root]);
}

void FactStore::SetDocumentName(uint32_t root_row, std::string name) { documents_[root_row] = std::move(name); }

void FactStore::DropDocumentsFrom(uint32_t root_rows) {
  if (documents_.size() > root_rows) documents_.resize(root_rows);
}

int64_t FactStore::Intern(std::string text) {
  texts_.push_back(std::move(text));
  return static_cast<int64_t>(rules_->texts.size() + texts_.size() - 1);
}

const std::string& FactStore::Text(int64_t id) const {
  if (id < static_cast<int64_t>(rules_->texts.size())) return rules_->texts[static_cast<size_t>(id)];
  return texts_[static_cast<size_t>(id) - rules_->texts.size()];
}

void FactStore::Seal() {
  for (Table& t : tables_) {
    for (Column& c : t.columns) c.Shrink();
    auto shrink = [](std::vector<uint32_t>& v) {
      if (v.capacity() > v.size() + v.size() / 4) v.shrink_to_fit();
    };
    shrink(t.owner);
    shrink(t.position);
  }
  for (size_t e = 0; e < tables_.size(); ++e) {
    int32_t owner = rules_->entities[e].owner;
    if (owner < 0) continue;
    Table& t = tables_[e];
    uint32_t owner_rows = tables_[owner].rows;
    t.begin.assign(owner_rows + 1, 0);
    for (uint32_t r = 0; r < t.rows; ++r) t.begin[t.owner[r] + 1]++;
    for (uint32_t i = 0; i < owner_rows; ++i) t.begin[i + 1] += t.begin[i];
  }
}

uint32_t FactStore::RootOf(uint32_t entity, uint32_t row) const {
  while (rules_->entities[entity].owner >= 0) {
    row = tables_[entity].owner[row];
    entity = static_cast<uint32_t>(rules_->entities[entity].owner);
  }
  return row;
}

std::string FactStore::PathOf(uint32_t entity, uint32_t row) const {
  std::vector<std::string> parts;
  while (rules_->entities[entity].owner >= 0) {
    const dsl::EntityInfo& info = rules_->entities[entity];
    const dsl::FieldInfo& holder = rules_->entities[info.owner].fields[info.owner_field];
    if (holder.type.kind == TypeKind::kList) {
      parts.push_back(holder.name + "[" + std::to_string(tables_[entity].position[row]) + "]");
    } else {
      parts.push_back(holder.name);
    }
    row = tables_[entity].owner[row];
    entity = static_cast<uint32_t>(info.owner);
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += (out.empty() ? "" : ".") + *it;
  return out;
}

std::optional<std::string> ParseFactValue(const dsl::CheckedRuleSet& rules, dsl::Type type, std::string_view text,
                                          FactStore& store, dsl::Value& out) {
  FactParser parser(rules, type);
  if (parser.Parse(text, store, out)) return std::nullopt;
  return parser.Error(text);
}

bool FactParser::Parse(std::string_view text, FactStore& store, dsl::Value& out) const {
  switch (type_.kind) {
    case TypeKind::kBool:
      if (text == "true" || text == "yes" || text == "1") {
        out.a = 1;
        return true;
      }
      if (text == "false" || text == "no" || text == "0") {
        out.a = 0;
        return true;
      }
      return false;
    case TypeKind::kInteger: {
      auto r = Rational::Parse(text);
      if (!r || !r->IsInteger()) return false;
      out.a = r->num();
      return true;
    }
    case TypeKind::kDecimal: {
      auto r = Rational::Parse(text);
      if (!r) return false;
      out = {r->num(), r->den()};
      return true;
    }
    case TypeKind::kMoney: {
      auto m = Money::Parse(text);
      if (!m) return false;
      out.a = m->cents();
      return true;
    }
    case TypeKind::kPercentage: {
      auto p = Percentage::Parse(text);
      if (!p) return false;
      out = {p->fraction().num(), p->fraction().den()};
      return true;
    }
    case TypeKind::kDate: {
      auto d = Date::Parse(text);
      if (!d) return false;
      out.a = d->DaysSinceEpoch();
      return true;
    }
    case TypeKind::kDateTime: {
      auto d = DateTime::Parse(text);
      if (!d) return false;
      out.a = d->MinutesSinceEpoch();
      return true;
    }
    case TypeKind::kTime: {
      auto t = TimeOfDay::Parse(text, true);
      if (!t) return false;
      out.a = t->minutes();
      return true;
    }
    case TypeKind::kDuration: {
      auto d = Duration::Parse(text);
      if (!d) return false;
      out = {d->months(), d->days()};
      return true;
    }
    case TypeKind::kTimeSpan: {
      auto t = TimeSpan::Parse(text);
      if (!t) return false;
      out.a = t->minutes();
      return true;
    }
    case TypeKind::kText:
      out.a = store.Intern(std::string(text));
      return true;
    case TypeKind::kCountry:
      if (!IsIsoCountry(text)) return false;
      out.a = (text[0] << 8) | text[1];
      return true;
    case TypeKind::kEnum: {
      const auto& vals = rules_->enums[type_.id].values;
      for (size_t i = 0; i < vals.size(); ++i) {
        if (std::string_view(vals[i]) == text) {
          out.a = static_cast<int64_t>(i);
          return true;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

std::string FactParser::Error(std::string_view text) const {
  const std::string quoted = "\"" + std::string(text) + "\"";
  switch (type_.kind) {
    case TypeKind::kBool:
      return "expected true or false, found " + quoted;
    case TypeKind::kInteger:
      return "expected a whole number, found " + quoted;
    case TypeKind::kDecimal:
      return "expected a number such as \"1.5\", found " + quoted;
    case TypeKind::kMoney:
      return "expected an amount in euros such as \"2.35\", found " + quoted;
    case TypeKind::kPercentage:
      return "expected a percentage such as \"25%\", found " + quoted;
    case TypeKind::kDate:
      return "expected a date YYYY-MM-DD, found " + quoted;
    case TypeKind::kDateTime:
      return "expected a date and time YYYY-MM-DDTHH:MM, found " + quoted;
    case TypeKind::kTime:
      return "expected a time HH:MM, found " + quoted;
    case TypeKind::kDuration:
      return "expected a duration such as \"2 months\", found " + quoted;
    case TypeKind::kTimeSpan:
      return "expected a span of time such as \"11 hours\", found " + quoted;
    case TypeKind::kCountry:
      return "expected an ISO 3166 country code such as \"NL\", found " + quoted;
    case TypeKind::kEnum: {
      const auto& vals = rules_->enums[type_.id].values;
      std::string list;
      for (const auto& v : vals) list += (list.empty() ? "" : ", ") + v;
      std::string msg =
          "unknown value " + quoted + " for " + rules_->enums[type_.id].name + "; expected one of: " + list;
      if (auto m = ClosestMatch(std::string(text), vals)) msg += " (did you mean \"" + *m + "\"?)";
      return msg;
    }
    default:
      return "this field cannot be given as text";
  }
}

}  // namespace nw::engine
