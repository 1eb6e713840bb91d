// Internal: the batch evaluator. An expression is evaluated for a chunk of a
// frame's rows at a time, node by node, so the cost of dispatch is paid once
// per node and chunk rather than once per subject.
#pragma once

#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/checked.hpp"
#include "engine/facts.hpp"

namespace nw::engine::internal {

/// Chunk buffers, frames and keyed items use engine::UninitAllocator
/// (facts.hpp): they are written before they are read, so zeroing them
/// (megabytes for a rule set, once per evaluation) buys nothing.
using engine::UninitAllocator;

/// Values of one node for a chunk of rows. Resize leaves new cells unwritten:
/// every evaluation writes the state of each row it returns, the value of each
/// known row, and the second part (b) where the type has one (fractions and
/// durations); no result may depend on any other cell.
struct Vec {
  std::vector<int64_t, UninitAllocator<int64_t>> a;
  std::vector<int64_t, UninitAllocator<int64_t>> b;
  std::vector<State, UninitAllocator<State>> s;
  int64_t seq = -1;  // variables only: when >= 0, a[i] == seq + i (consecutive rows of a table)
  void Resize(size_t n) {
    if (a.size() < n) {
      a.resize(n);
      b.resize(n);
      s.resize(n);
    }
  }
};

/// The least and greatest of v[0, len), folded into lo and hi: four running
/// bounds, so that consecutive values do not wait on each other.
inline void Bounds(const int64_t* v, size_t len, int64_t& lo, int64_t& hi) {
  int64_t l[4] = {lo, lo, lo, lo}, h[4] = {hi, hi, hi, hi};
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    for (size_t k = 0; k < 4; ++k) {
      l[k] = std::min(l[k], v[i + k]);
      h[k] = std::max(h[k], v[i + k]);
    }
  }
  for (; i < len; ++i) {
    l[0] = std::min(l[0], v[i]);
    h[0] = std::max(h[0], v[i]);
  }
  lo = std::min(std::min(l[0], l[1]), std::min(l[2], l[3]));
  hi = std::max(std::max(h[0], h[1]), std::max(h[2], h[3]));
}

#if defined(__SSE2__)
/// Sixteen 64-bit values as sixteen bytes, each 0 exactly where its value is:
/// a value's two halves or'ed into 32 bits (four values a vector), then
/// narrowed with saturation (a value that is not 0 stays so).
[[gnu::always_inline]] inline __m128i NonZeroBytes16(const int64_t* a) {
  __m128i h[4];
  for (int k = 0; k < 4; ++k) {
    const __m128 v0 = _mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 4 * k)));
    const __m128 v1 = _mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 4 * k + 2)));
    h[k] = _mm_or_si128(_mm_castps_si128(_mm_shuffle_ps(v0, v1, _MM_SHUFFLE(2, 0, 2, 0))),
                        _mm_castps_si128(_mm_shuffle_ps(v0, v1, _MM_SHUFFLE(3, 1, 3, 1))));
  }
  return _mm_packs_epi16(_mm_packs_epi32(h[0], h[1]), _mm_packs_epi32(h[2], h[3]));
}

/// Sixteen bytes of 0 or 1 written as sixteen 64-bit values.
[[gnu::always_inline]] inline void StoreBytes16(__m128i bytes01, int64_t* out) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i w0 = _mm_unpacklo_epi8(bytes01, zero), w1 = _mm_unpackhi_epi8(bytes01, zero);
  const __m128i d[4] = {_mm_unpacklo_epi16(w0, zero), _mm_unpackhi_epi16(w0, zero), _mm_unpacklo_epi16(w1, zero),
                        _mm_unpackhi_epi16(w1, zero)};
  for (int k = 0; k < 4; ++k) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * k), _mm_unpacklo_epi32(d[k], zero));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * k + 2), _mm_unpackhi_epi32(d[k], zero));
  }
}
#endif

/// Sixteen rows of a chunk at once, from its states and values: bit k is set
/// where row k is known, absent (none), an error, and where its value is 0 (of
/// any state). With SSE2 (every x86-64), a few instructions for the sixteen.
struct RowBits {
  uint32_t known = 0, none = 0, error = 0, zero = 0;
};
[[gnu::always_inline]] inline RowBits RowBits16(const State* s, const int64_t* a) {
  RowBits r;
#if defined(__SSE2__)
  const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  r.known = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(st, _mm_set1_epi8(static_cast<char>(State::kKnown)))));
  r.none = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(st, _mm_set1_epi8(static_cast<char>(State::kNone)))));
  r.error = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(st, _mm_set1_epi8(static_cast<char>(State::kError)))));
  r.zero = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(NonZeroBytes16(a), _mm_setzero_si128())));
#else
  for (uint32_t k = 0; k < 16; ++k) {
    r.known |= uint32_t{s[k] == State::kKnown} << k;
    r.none |= uint32_t{s[k] == State::kNone} << k;
    r.error |= uint32_t{s[k] == State::kError} << k;
    r.zero |= uint32_t{a[k] == 0} << k;
  }
#endif
  return r;
}

/// Sixteen rows of a truth as codes, one byte each: 0 false (or absent), 1
/// true, 2 unknown, 3 error (the item filters of aggregates). Returns the
/// rows' states or'ed: bit 1 is set where some row is unknown or an error.
[[gnu::always_inline]] inline uint8_t TruthCodes16(const State* s, const int64_t* a, uint8_t* out) {
#if defined(__SSE2__)
  static_assert(static_cast<int>(State::kKnown) == 0 && static_cast<int>(State::kNone) == 1 &&
                static_cast<int>(State::kUnknown) == 2 && static_cast<int>(State::kError) == 3);
  const __m128i st = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i zero = _mm_setzero_si128();
  const __m128i truth = _mm_andnot_si128(_mm_cmpeq_epi8(NonZeroBytes16(a), zero), _mm_set1_epi8(1));
  const __m128i known = _mm_cmpeq_epi8(st, zero);
  const __m128i none = _mm_cmpeq_epi8(st, _mm_set1_epi8(1));
  const __m128i code = _mm_or_si128(_mm_andnot_si128(none, st), _mm_and_si128(known, truth));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), code);
  return static_cast<uint8_t>(_mm_movemask_epi8(_mm_slli_epi16(st, 6)) != 0 ? 2 : 0);
#else
  uint8_t any = 0;
  for (int k = 0; k < 16; ++k) {
    const uint8_t st = static_cast<uint8_t>(s[k]);
    out[k] = st == 0 ? static_cast<uint8_t>(a[k] != 0) : st == 1 ? uint8_t{0} : st;
    any |= st;
  }
  return any & 2;
#endif
}

/// For each byte value: the positions of its set bits, in order, and how many.
struct BitPositions {
  uint8_t pos[256][8];
  uint8_t count[256];
  constexpr BitPositions() : pos{}, count{} {
    for (int v = 0; v < 256; ++v) {
      int n = 0;
      for (int k = 0; k < 8; ++k) {
        if ((v >> k) & 1) pos[v][n++] = static_cast<uint8_t>(k);
      }
      count[v] = static_cast<uint8_t>(n);
    }
  }
};
inline constexpr BitPositions kBitPositions{};

/// Appends first + k to out[n...] for each bit k of `bits` (16 bits), without a
/// branch per row; returns the new n. Writes up to 16 entries past n whatever
/// the bits, so `out` needs that much room beyond the rows it lists.
[[gnu::always_inline]] inline size_t ListBits16(uint32_t bits, uint32_t first, uint32_t* out, size_t n) {
  for (uint32_t h = 0; h < 2; ++h) {
    const uint32_t byte = (bits >> (8 * h)) & 0xFFu;
    const uint8_t* p = kBitPositions.pos[byte];
    const uint32_t base = first + 8 * h;
#if defined(__SSE2__)
    const __m128i z = _mm_setzero_si128();
    const __m128i w = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), z);
    const __m128i b = _mm_set1_epi32(static_cast<int>(base));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n), _mm_add_epi32(_mm_unpacklo_epi16(w, z), b));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n + 4), _mm_add_epi32(_mm_unpackhi_epi16(w, z), b));
#else
    for (uint32_t k = 0; k < 8; ++k) out[n + k] = base + p[k];
#endif
    n += kBitPositions.count[byte];
  }
  return n;
}

/// Groups or windows of one binding: item ranges in a sorted order.
struct GroupSet {
  uint32_t entity = 0;
  const std::vector<uint32_t>* perm = nullptr;  // item rows sorted by owner, then the `by` date
  std::vector<uint32_t> lo, hi;                 // ranges into perm
  std::vector<int32_t> start, end;              // first and last day of the group or window
};

/// The rows (or groups) a variable takes in each row of a frame.
/// Columns are shared, so binding an exception's variables to its rule's
/// subjects, or reusing a frame for another rule, copies no rows.
struct VarSlot {
  std::shared_ptr<std::vector<uint32_t>> rows = std::make_shared<std::vector<uint32_t>>();
  std::shared_ptr<GroupSet> groups;  // set for group and window variables
  // rows[i] == rows[0] + i for every i (a whole table in order, or a slice of
  // one): any slice of it is consecutive. Set where a frame's rows are built;
  // rows are not changed after.
  bool identity = false;
  // A hint: rows repeat in runs (the owner of each of an aggregate's items).
  // Eval then evaluates what reads no other variable once per run.
  bool runs = false;
};

/// A set of subject tuples: one column of rows per bound variable.
struct Frame {
  size_t size = 0;
  std::unordered_map<uint32_t, VarSlot> vars;
  // Rules `judged on` a date: each row's legal date; parameters are read on it.
  // Written whole wherever a frame gets its days (no zeroing: UninitAllocator).
  bool judged = false;
  std::vector<int64_t, UninitAllocator<int64_t>> judge_day;
  bool runs = false;  // some variable's rows come in runs (VarSlot::runs)

  /// The rows where keep[i] is set, in order.
  Frame Filter(const std::vector<uint8_t>& keep) const;
  /// Rows off + pick[k] for each k, in order (a chunk's subjects still undecided);
  /// with `only`, just those variables (the ones an expression reads).
  Frame Select(size_t off, const std::vector<uint32_t>& pick, const std::vector<uint32_t>* only = nullptr) const;
};

class Evaluator {
 public:
  static constexpr size_t kChunk = 2048;

  Evaluator(const dsl::CheckedRuleSet& rules, FactStore& facts, Date as_of);

  /// While one lives, `and` / `or` evaluate both operands for every row, so
  /// that every node's buffer holds its value (explanations read them).
  class EveryOperand {
   public:
    explicit EveryOperand(Evaluator& ev) : ev_(ev), was_(ev.every_operand_) { ev_.every_operand_ = true; }
    ~EveryOperand() { ev_.every_operand_ = was_; }
    EveryOperand(const EveryOperand&) = delete;
    EveryOperand& operator=(const EveryOperand&) = delete;

   private:
    Evaluator& ev_;
    bool was_;
  };

  /// Evaluates `node` for frame rows [off, off + len); children first. The
  /// result stays in the node's buffer until the node is evaluated again.
  /// Outside EveryOperand, the right operand of `and` / `or` is evaluated only
  /// for the rows the left one does not decide.
  const Vec& Eval(uint32_t node, const Frame& f, size_t off, size_t len);
  /// Called when a rule is done: memory its aggregates alone read is given back.
  void RuleDone() { ReleaseItemValues(); }
  /// Evaluates `node` for every row of the frame into `out` (size f.size).
  void EvalAll(uint32_t node, const Frame& f, Vec& out);
  /// The buffer of a node (after Eval).
  const Vec& Buffer(uint32_t node) const { return bufs_[node]; }
  /// The variables an expression reads that it does not bind (sorted; cached).
  const std::vector<uint32_t>& VarsRead(uint32_t node);
  /// `node` for rows [off, off + len) once per run of equal rows of the one
  /// variable it reads, spread over the runs; nullptr when that does not apply.
  const Vec* EvalByRuns(uint32_t node, const Frame& f, size_t off, size_t len);

  /// Computes the derived fields (definitions in stratum order); with `needed`
  /// set, only the definitions it marks.
  void ComputeDefinitions(const std::vector<bool>* needed = nullptr);
  /// Builds the frame of a rule's subject clauses.
  Frame BuildFrame(const std::vector<dsl::CBinding>& bindings);
  /// Rows of a child entity sorted by owner and a date field (cached).
  const std::vector<uint32_t>& SortedBy(uint32_t entity, uint32_t field);

  /// The value of a parameter on the evaluation date, or nullptr when no version covers it.
  const dsl::ParamVersion* ParamVersionAt(uint32_t param) const;
  /// The version of a parameter in force on a day, or nullptr.
  const dsl::ParamVersion* ParamVersionOn(uint32_t param, int64_t day) const;
  /// Errors met while evaluating (messages for the current rule); cleared by the caller.
  std::vector<std::string>& errors() { return errors_; }
  FactStore& facts() { return facts_; }
  Date as_of() const { return as_of_; }

 private:
  /// Working memory of one aggregate node, kept between chunks.
  struct AggScratch {
    Frame inner;
    std::vector<uint32_t> segment;
    std::vector<uint32_t> outer_vars;  // outer variables its value and filter read
    std::vector<uint32_t> lo, hi, lo2, hi2;
    std::vector<State> cst;
  };
  AggScratch& Scratch(uint32_t node, const Frame& f);

  /// An aggregate whose filter compares an ordered field of the item with the
  /// subject (`x.date = d.date`), the rest reading only the item.
  struct KeyedPlan {
    bool has_key = false;  // a key term exists: the items can be narrowed by binary search
    bool usable = false;   // and the rest reads only the item: evaluated once per item
    bool reads_params = false;  // the rest or the value reads a parameter
    uint32_t key_field = 0;   // the item's field
    uint32_t key_expr = 0;    // the subject's side
    dsl::Op key_op = dsl::Op::kEq;  // item OP subject
    std::vector<uint32_t> rest;     // the other conjuncts
    bool has_key2 = false;          // a second bound on the same field (a window)
    uint32_t key2_expr = 0;
    dsl::Op key2_op = dsl::Op::kEq;
    // The subject is itself one of the items (`x in d.employee.days ... x.date
    // = d.date` with d a day): the result depends on the subject's row only and
    // is computed once per row of the items' table.
    bool self = false;
    uint32_t self_var = 0;  // the subject's variable (d)
  };
  /// The items of a keyed aggregate, evaluated once per evaluation, in the
  /// order of the KeyIndex of their key field (shared by the aggregates on it):
  /// an owner's items with a known key are positions [owner_begin, unknown_begin).
  struct KeyIndex;
  struct KeyedItems {
    struct Run {
      int64_t count = 0, sum = 0, best = 0;
      bool have = false, unknown = false, error = false;
    };
    const KeyIndex* index = nullptr;
    // Written whole before they are read: no zeroing (UninitAllocator).
    std::vector<uint8_t, UninitAllocator<uint8_t>> filter;  // rest of the filter: 0 false, 1 true, 2 unknown, 3 error
    std::vector<int64_t, UninitAllocator<int64_t>> value;
    std::vector<State, UninitAllocator<State>> value_state;
    std::vector<Run> forward, backward;   // running aggregates within each owner
    // Self plans: the result for the subject at each row of the items' table
    // (rows of an owner with an unknown key take the general path).
    std::vector<int64_t, UninitAllocator<int64_t>> self_a;
    std::vector<State, UninitAllocator<State>> self_s;
  };
  /// Adds item p of a keyed aggregate (filter and value) to a running aggregate.
  static void Accumulate(dsl::AggregateFn fn, bool has_value, const KeyedItems& items, size_t p, KeyedItems::Run& acc);
  /// The aggregate's value and state from its running aggregate.
  static void Finish(dsl::AggregateFn fn, const KeyedItems::Run& acc, int64_t& a, State& s);
  /// Self plans: the result for the subject at each row of the items' table.
  void ComputeSelf(uint32_t node, const KeyedPlan& plan, uint32_t entity, KeyedItems& items);
  const KeyedPlan& PlanFor(uint32_t node);
  /// Rows of an entity with a known value of a field, sorted by (owner, value).
  /// Per owner, its rows in three parts: known keys in order, then unknown keys, then absent keys.
  struct KeyIndex {
    std::vector<uint32_t> perm;
    std::vector<int64_t, UninitAllocator<int64_t>> key;  // valid in the known part
    std::vector<uint32_t> owner_begin;    // per owner: start of its rows (size owners + 1)
    std::vector<uint32_t> unknown_begin;  // per owner: start of its rows with an unknown key
    std::vector<uint32_t> none_begin;     // per owner: start of its rows with an absent key
    std::vector<uint8_t> unknown_key;     // per owner: some key is unknown
    std::vector<uint8_t> distinct_keys;   // per owner: its known keys are all distinct
    bool in_order = false;                // perm is the identity: the rows were in this order
    bool all_known = false;               // every row's key is known (no unknown or absent part)
  };
  const KeyIndex& IndexFor(uint32_t entity, uint32_t field);
  /// Narrows each subject's items to those whose key can satisfy the key term.
  bool NarrowByKey(uint32_t node, const Frame& f, size_t off, size_t len, std::vector<uint32_t>& lo,
                   std::vector<uint32_t>& hi, std::vector<uint32_t>& lo2, std::vector<uint32_t>& hi2,
                   const std::vector<State>& cst, const std::vector<uint32_t>*& perm);
  KeyedItems& ItemsFor(uint32_t node, const KeyedPlan& plan, uint32_t entity);
  bool EvalKeyedAggregate(uint32_t node, const Frame& f, size_t off, size_t len, Vec& out);
  /// A definition whose body is a self-plan aggregate of its own variable (`day_span =
  /// sum of x.span for x in d.employee.days where x.timed and x.date = d.date`):
  /// the results for every row of the table, when no row needs the general path.
  bool WholeSelfResults(uint32_t node, uint32_t var, uint32_t rows, const int64_t*& a, const State*& s);
  void CollectVars(uint32_t node, std::set<uint32_t>& vars) const;
  /// An aggregate whose filter and value read only its item (and the owner of
  /// the list it ranges over, `e` in `exists d in e.days where ... e ...`):
  /// both are evaluated once per item of the collection's order, for all of
  /// it, when the outer rows are expected to read most of it; each outer row
  /// then folds its ranges of them, without an inner frame per chunk.
  struct ItemValues {
    bool analysed = false;
    bool usable = false;                          // reads only the item (and the list's owner)
    bool reads_params = false;                    // a parameter on the evaluation or judging date
    uint32_t owner_var = UINT32_MAX;              // the list's owner, when the filter or value reads it
    uint64_t general_items = 0;                   // items folded by the general path so far
    const std::vector<uint32_t>* perm = nullptr;  // the order the values follow (set when computed)
    // Per position of *perm: the filter's code (0 false or absent, 1 true, 2 unknown,
    // 3 error) and the value (b: only for two-part types). Written whole.
    std::vector<uint8_t, UninitAllocator<uint8_t>> filter;
    std::vector<int64_t, UninitAllocator<int64_t>> a, b;
    std::vector<State, UninitAllocator<State>> s;
    bool all_known = false;  // every filter code and value state known
  };
  std::unordered_map<uint32_t, ItemValues> itemwise_;
  /// Drops the item values (a definition's or a rule's aggregates are evaluated
  /// by it alone): their memory serves what comes next.
  void ReleaseItemValues();
  std::unordered_map<uint32_t, std::vector<uint32_t>> vars_read_;
  /// Per node, for EvalByRuns: the one variable it reads (kNoRunVar when it
  /// reads none or several, or is only a read of a variable's fact), and
  /// whether it reads a parameter without a date.
  static constexpr uint32_t kNoRunVar = UINT32_MAX, kRunUnanalysed = UINT32_MAX - 1;
  std::vector<uint32_t> run_var_;
  std::vector<uint8_t> run_params_;
  /// The item values of an aggregate for rows [off, off + len) of a frame, or
  /// nullptr when the general path is to fold them (see ItemValues).
  const ItemValues* ItemwiseFor(uint32_t node, const Frame& f, size_t off, size_t len, const std::vector<uint32_t>& lo,
                                const std::vector<uint32_t>& hi, const std::vector<uint32_t>& lo2,
                                const std::vector<uint32_t>& hi2, const std::vector<State>& cst,
                                const std::vector<uint32_t>* perm, uint32_t entity);
  void EvalAggregate(uint32_t node, const Frame& f, size_t off, size_t len, Vec& out);

 public:
  /// The items an aggregate may count for one row of a frame: [lo, hi) and
  /// [lo2, hi2) into *perm (the second range: items whose key is unknown);
  /// items outside them fail its filter. `state` is the collection's state.
  void ItemRanges(uint32_t node, const Frame& f, size_t row, uint32_t& lo, uint32_t& hi, uint32_t& lo2, uint32_t& hi2,
                  State& state, const std::vector<uint32_t>*& perm);
  /// Range of a collection value for rows [off, off + len): [lo, hi) into *perm.
  void CollectionRanges(uint32_t coll_node, const Frame& f, size_t off, size_t len, std::vector<uint32_t>& lo,
                        std::vector<uint32_t>& hi, std::vector<State>& st, const std::vector<uint32_t>*& perm,
                        uint32_t& entity);

 private:
  void EvalParamPerRow(uint32_t param, const int64_t* days, const State* states, size_t len, Vec& out);
  void EvalCall(const dsl::CExpr& e, const Frame& f, size_t off, size_t len, Vec& out);
  void EvalArith(const dsl::CExpr& e, const Vec& l, const Vec& r, size_t len, Vec& out);
  void EvalCompare(const dsl::CExpr& e, const Vec& l, const Vec& r, size_t len, Vec& out);
  void Fail(const std::string& message);
  /// Nodes in an expression (how much an operand costs to evaluate, roughly).
  uint32_t TreeSize(uint32_t node);
  /// Whether a definition is computed on demand, row by row as rules read it
  /// (no aggregate in its body, not a key or ordering field).
  bool OnDemand(size_t definition);
  /// Computes the pending rows of a derived field (rows: sorted and made unique here).
  void ComputePending(uint32_t entity, uint32_t field, std::vector<uint32_t> rows);

  const dsl::CheckedRuleSet& rules_;
  FactStore& facts_;
  Date as_of_;
  std::vector<Vec> bufs_;
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> sorted_;
  std::vector<uint32_t> identity_;
  std::vector<uint32_t> tree_size_;
  bool every_operand_ = false;
  std::vector<uint8_t> on_demand_;  // per definition
  std::vector<std::string> errors_;
  std::unordered_map<uint32_t, std::unique_ptr<AggScratch>> scratch_;
  std::unordered_map<uint32_t, KeyedPlan> plans_;
  std::unordered_map<uint32_t, KeyedItems> keyed_items_;
  std::map<std::pair<uint32_t, uint32_t>, KeyIndex> key_indexes_;

  // ---- Memory of the chunk kernels (evaluator.cpp), kept for one evaluation ----
  /// date ± duration already computed: a rule set adds a few durations (mostly
  /// parameters) to dates that repeat across chunks and rules. Direct-mapped on
  /// the date and the duration.
  struct MovedDate {
    bool filled = false;
    int sign = 0;
    int64_t date = 0, months = 0, days = 0, result = 0;
  };
  static constexpr size_t kMovedDates = 4096;
  std::vector<MovedDate> moved_dates_;
  /// o[i] = x[i] ± (months, days) for each row (os[i]: the row's state, xs[i] or
  /// known; rows not known are skipped), through moved_dates_; false when a date
  /// falls out of range (the caller then takes the general path).
  bool MoveDates(const int64_t* x, const State* xs, int64_t months, int64_t days, int sign, size_t len, int64_t* o,
                 State* os);
  /// Per node: how many rows of its buffer hold its value when that value is the
  /// same in every row and every chunk (a literal, a parameter on the evaluation
  /// date); only Eval writes a node's buffer, so later chunks need not fill it again.
  std::vector<uint32_t> constant_rows_;
  /// `and` / `or`: the rows its left operand leaves open, listed for the chunk.
  std::vector<uint32_t> open_rows_;
  uint32_t& ConstantRows(uint32_t node) {
    if (constant_rows_.empty()) constant_rows_.assign(bufs_.size(), 0);
    return constant_rows_[node];
  }

  // ---- Aggregates (evaluator.cpp, keyed_aggregate.cpp) ----
  /// Orders (SortedBy, KeyIndex::perm) that are the identity: the rows were in
  /// order already, so a slice of one is a run of consecutive rows.
  std::set<const std::vector<uint32_t>*> identity_orders_;
  /// Buffers of keyed aggregates' items whose aggregate is done, for the next
  /// one (ItemsFor): the definitions' aggregates read every row of a large
  /// table, and fresh buffers of that size cost a page fault per 4 KiB.
  std::vector<int64_t, UninitAllocator<int64_t>> spare_values_;
  std::vector<State, UninitAllocator<State>> spare_states_;
  std::vector<uint8_t, UninitAllocator<uint8_t>> spare_filter_;
  /// Drops the keyed aggregates' items, keeping their largest buffers as spares.
  void RecycleKeyedItems();
  /// The rest of a keyed aggregate's filter, once per item, kept for the other
  /// aggregates keyed on the same field whose rest reads the same (the day's
  /// aggregates `x.timed and x.date = d.date` of a work log).
  struct SharedFilter {
    uint32_t entity = 0, field = 0, var = 0;
    std::vector<uint32_t> rest;
    std::vector<uint8_t, UninitAllocator<uint8_t>> filter;
  };
  std::vector<SharedFilter> shared_filters_;

  // ---- On-demand definitions evaluated once per distinct input (ComputePending) ----
  /// A definition whose body reads its row only through scalar facts of it (and
  /// of its owners): rows with the same values of those facts have the same
  /// value, so a chunk's body is evaluated for one row of each distinct input.
  /// Definitions read from the same row without an aggregate are inlined: their
  /// facts join the inputs, and their values are written for every row too.
  struct DefMemo {
    bool analysed = false;
    bool usable = false;
    bool off = false;               // a chunk had mostly distinct inputs: not tried again
    bool params = false;            // parameters on a fact's date are inputs (nothing else may fail)
    uint32_t costly = 0;            // arithmetic, calls, parameters on a date and `if`s in it
    std::vector<uint32_t> inputs;   // nodes whose values decide the body: facts (or parameters on their dates)
    std::vector<uint32_t> inlined;  // definitions of the same row, computed along
  };
  std::vector<DefMemo> def_memo_;
  /// Working memory of MemoChunk, one per nesting level (a body's evaluation may
  /// compute an inlined definition, which takes the next level).
  struct MemoScratch {
    std::vector<uint32_t> table, slots, rep_of, rep_pos, written, wrows;
    std::vector<uint64_t> h, rep_hash;
    std::vector<const Vec*> ins;
    std::vector<uint8_t> second;
    std::vector<int64_t, UninitAllocator<int64_t>> a, b, ra, rb;
    std::vector<State, UninitAllocator<State>> s, rs;
  };
  static constexpr size_t kMemoMinRows = 64;
  std::vector<std::unique_ptr<MemoScratch>> memo_scratch_;
  size_t memo_depth_ = 0;
  DefMemo& MemoFor(size_t definition);
  bool MemoWalk(uint32_t node, uint32_t var, bool under_right, DefMemo& m);
  /// Rows [off, off + len) of a pending computation through the memo; false
  /// when it does not apply to this chunk (nothing is written then).
  bool MemoChunk(size_t definition, DefMemo& m, const Frame& frame, size_t off, size_t len);
};

}  // namespace nw::engine::internal
