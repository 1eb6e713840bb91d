// Aggregates keyed on an ordered field of the items: `sum of x.span for x in
// d.employee.days where x.timed and x.date = d.date`, or `max of x.ends ...
// where x.date < d.date`. When the rest of the filter and the value read only
// the item, the items are sorted once by (owner, key) and evaluated once; each
// subject then finds its items by binary search (`=`) or reads a running
// aggregate (`<`, `<=`, `>`, `>=`). Results are those of the general path.
#include <algorithm>
#include <numeric>
#include <type_traits>

#include "engine/internal/evaluator.hpp"

namespace nw::engine::internal {

using dsl::AggregateFn;
using dsl::Op;
using dsl::TypeKind;

namespace {

// Self plans: the result of a subject whose owner has an unknown key (never a
// value's state; EvalKeyedAggregate then leaves the chunk to the general path).
constexpr State kGeneralPath = static_cast<State>(0xfe);

bool ReadsOnly(const dsl::CheckedRuleSet& rs, uint32_t node, uint32_t var, bool allow_params) {
  if (node == UINT32_MAX) return true;
  const dsl::CExpr& e = rs.expr(node);
  if (e.op == Op::kVar && e.index != var) return false;
  if ((e.op == Op::kParam || e.op == Op::kParamOn) && !allow_params) return false;
  if (e.op == Op::kAggregate || (e.op == Op::kCall && static_cast<dsl::Builtin>(e.index) == dsl::Builtin::kAsOf)) {
    return false;  // nested aggregates: leave to the general path
  }
  for (uint32_t a : e.args) {
    if (!ReadsOnly(rs, a, var, allow_params)) return false;
  }
  return true;
}

bool IsItemField(const dsl::CheckedRuleSet& rs, uint32_t node, uint32_t var) {
  const dsl::CExpr& e = rs.expr(node);
  return e.op == Op::kField && rs.expr(e.args[0]).op == Op::kVar && rs.expr(e.args[0]).index == var;
}

// Narrows [a, z) of the sorted keys to those for which `key OP k` holds.
void Bound(const int64_t* keys, Op op, int64_t k, uint32_t& a, uint32_t& z) {
  const int64_t* first = keys + a;
  const int64_t* last = keys + z;
  switch (op) {
    case Op::kEq:
      a = static_cast<uint32_t>(std::lower_bound(first, last, k) - keys);
      z = static_cast<uint32_t>(std::upper_bound(first, last, k) - keys);
      break;
    case Op::kLt: z = static_cast<uint32_t>(std::lower_bound(first, last, k) - keys); break;
    case Op::kLe: z = static_cast<uint32_t>(std::upper_bound(first, last, k) - keys); break;
    case Op::kGt: a = static_cast<uint32_t>(std::upper_bound(first, last, k) - keys); break;
    case Op::kGe: a = static_cast<uint32_t>(std::lower_bound(first, last, k) - keys); break;
    default: break;
  }
  if (z < a) z = a;
}

// The first position in [from, to) whose key is not below k (or, with `upper`,
// above k), for keys sorted ascending; mostly a step or two from `from` when
// subjects come in key order.
uint32_t Seek(const int64_t* keys, uint32_t from, uint32_t to, int64_t k, bool upper) {
  auto before = [&](int64_t key) { return upper ? key <= k : key < k; };
  for (int step = 0; step < 8; ++step, ++from) {
    if (from >= to || !before(keys[from])) return from;
  }
  const int64_t* p = upper ? std::upper_bound(keys + from, keys + to, k) : std::lower_bound(keys + from, keys + to, k);
  return static_cast<uint32_t>(p - keys);
}

// Bound for a key not below the previous subject's key `prev` among the same
// items: the range [a, z) then starts and ends no earlier than the previous
// one [prev_a, prev_z), so the search continues from there.
void BoundAfter(const int64_t* keys, Op op, int64_t k, uint32_t prev_a, uint32_t prev_z, uint32_t& a, uint32_t& z) {
  switch (op) {
    case Op::kEq:
      a = Seek(keys, std::max(a, prev_a), z, k, false);
      z = Seek(keys, a, z, k, true);
      break;
    case Op::kLt: z = Seek(keys, std::max(a, prev_z), z, k, false); break;
    case Op::kLe: z = Seek(keys, std::max(a, prev_z), z, k, true); break;
    case Op::kGt: a = Seek(keys, std::max(a, prev_a), z, k, true); break;
    case Op::kGe: a = Seek(keys, std::max(a, prev_a), z, k, false); break;
    default: break;
  }
  if (z < a) z = a;
}

bool ReadsParams(const dsl::CheckedRuleSet& rs, uint32_t node) {
  if (node == UINT32_MAX) return false;
  const dsl::CExpr& e = rs.expr(node);
  if (e.op == Op::kParam || e.op == Op::kParamOn) return true;
  for (uint32_t a : e.args) {
    if (ReadsParams(rs, a)) return true;
  }
  return false;
}

// Whether expressions a (with item variable va) and b (with vb) compute the
// same for every item: the same tree, the item variables in the same places.
bool SameShape(const dsl::CheckedRuleSet& rs, uint32_t a, uint32_t va, uint32_t b, uint32_t vb) {
  if (a == UINT32_MAX || b == UINT32_MAX) return a == b;
  const dsl::CExpr& x = rs.expr(a);
  const dsl::CExpr& y = rs.expr(b);
  if (x.op != y.op || !(x.type == y.type) || !(x.literal == y.literal) || x.aggregate != y.aggregate ||
      x.args.size() != y.args.size()) {
    return false;
  }
  if (x.op == Op::kVar) {
    if ((x.index == va) != (y.index == vb)) return false;
    if (x.index != va && x.index != y.index) return false;
  } else if (x.index != y.index) {
    return false;
  }
  for (size_t i = 0; i < x.args.size(); ++i) {
    if (!SameShape(rs, x.args[i], va, y.args[i], vb)) return false;
  }
  return true;
}

Op Mirror(Op op) {
  switch (op) {
    case Op::kLt: return Op::kGt;
    case Op::kLe: return Op::kGe;
    case Op::kGt: return Op::kLt;
    case Op::kGe: return Op::kLe;
    default: return op;
  }
}

}  // namespace

const Evaluator::KeyedPlan& Evaluator::PlanFor(uint32_t node) {
  auto it = plans_.find(node);
  if (it != plans_.end()) return it->second;
  KeyedPlan plan;
  const dsl::CExpr& e = rules_.expr(node);
  uint32_t var = e.index;
  const dsl::CExpr& coll = rules_.expr(e.args[0]);
  bool fn_ok = e.aggregate == AggregateFn::kCount || e.aggregate == AggregateFn::kSum ||
               e.aggregate == AggregateFn::kMin || e.aggregate == AggregateFn::kMax || e.aggregate == AggregateFn::kExists;
  TypeKind vk = e.args[1] != UINT32_MAX ? rules_.expr(e.args[1]).type.kind : TypeKind::kInteger;
  bool integer_values = vk != TypeKind::kDecimal && vk != TypeKind::kPercentage && vk != TypeKind::kDuration;
  if (coll.type.kind == TypeKind::kList && fn_ok && integer_values && e.args[2] != UINT32_MAX) {
    // The filter's conjuncts.
    std::vector<uint32_t> terms, todo{e.args[2]};
    while (!todo.empty()) {
      uint32_t t = todo.back();
      todo.pop_back();
      if (rules_.expr(t).op == Op::kAnd) {
        todo.push_back(rules_.expr(t).args[1]);
        todo.push_back(rules_.expr(t).args[0]);
      } else {
        terms.push_back(t);
      }
    }
    // Every term comparing an ordered field of the item with the subject.
    struct KeyTerm {
      size_t term;
      uint32_t field;
      uint32_t other;
      Op op;  // item OP other
    };
    std::vector<KeyTerm> keys;
    for (size_t i = 0; i < terms.size(); ++i) {
      const dsl::CExpr& t = rules_.expr(terms[i]);
      bool cmp = t.op == Op::kEq || t.op == Op::kLt || t.op == Op::kLe || t.op == Op::kGt || t.op == Op::kGe;
      if (!cmp) continue;
      for (int side = 0; side < 2; ++side) {
        uint32_t item = t.args[side], other = t.args[1 - side];
        TypeKind kk = rules_.expr(item).type.kind;
        bool ordered_key = kk == TypeKind::kDate || kk == TypeKind::kDateTime || kk == TypeKind::kInteger ||
                           kk == TypeKind::kTime || kk == TypeKind::kMoney || kk == TypeKind::kTimeSpan;
        if (!ordered_key || !IsItemField(rules_, item, var)) continue;
        // The subject's side must not read the item itself.
        std::vector<uint32_t> stack{other};
        bool reads_item = false;
        while (!stack.empty()) {
          const dsl::CExpr& o = rules_.expr(stack.back());
          stack.pop_back();
          if (o.op == Op::kVar && o.index == var) reads_item = true;
          if (o.op == Op::kAggregate) reads_item = true;
          for (uint32_t a : o.args) {
            if (a != UINT32_MAX) stack.push_back(a);
          }
        }
        if (reads_item) continue;
        keys.push_back({i, rules_.expr(item).index, other, side == 0 ? t.op : Mirror(t.op)});
        break;
      }
    }
    // Prefer `=`; then a field bounded on both sides; then the first bound.
    int pick = -1, pick2 = -1;
    for (size_t k = 0; k < keys.size() && pick < 0; ++k) {
      if (keys[k].op == Op::kEq) pick = static_cast<int>(k);
    }
    auto lower = [](Op op) { return op == Op::kGt || op == Op::kGe; };
    for (size_t k = 0; k < keys.size() && pick < 0; ++k) {
      for (size_t m = 0; m < keys.size(); ++m) {
        if (m != k && keys[m].field == keys[k].field && keys[k].op != Op::kEq && keys[m].op != Op::kEq &&
            lower(keys[k].op) != lower(keys[m].op)) {
          pick = static_cast<int>(k);
          pick2 = static_cast<int>(m);
          break;
        }
      }
    }
    if (pick < 0 && !keys.empty()) pick = 0;
    if (pick >= 0) {
      const KeyTerm& k = keys[pick];
      plan.has_key = true;
      plan.key_field = k.field;
      plan.key_expr = k.other;
      plan.key_op = k.op;
      if (pick2 >= 0) {
        plan.has_key2 = true;
        plan.key2_expr = keys[pick2].other;
        plan.key2_op = keys[pick2].op;
      }
      for (size_t i = 0; i < terms.size(); ++i) {
        if (i != k.term) plan.rest.push_back(terms[i]);
      }
      bool item_only = !plan.has_key2 && ReadsOnly(rules_, e.args[1], var, true);
      for (uint32_t r : plan.rest) item_only = item_only && ReadsOnly(rules_, r, var, true);
      plan.usable = item_only;
      plan.reads_params = ReadsParams(rules_, e.args[1]);
      for (uint32_t r : plan.rest) plan.reads_params = plan.reads_params || ReadsParams(rules_, r);
      // The subject among the items: the collection is the list that holds a
      // variable's own row (`d.employee.days` with d a day) and the key is that
      // variable's own field (`x.date = d.date`).
      const uint32_t item_entity = coll.type.id;
      const dsl::EntityInfo& ie = rules_.entities[item_entity];
      const dsl::CExpr& key_side = rules_.expr(plan.key_expr);
      if (plan.usable && coll.op == Op::kField && ie.owner >= 0 && coll.index == static_cast<uint32_t>(ie.owner_field) &&
          rules_.expr(coll.args[0]).op == Op::kOwner && key_side.op == Op::kField && key_side.index == plan.key_field) {
        const dsl::CExpr& subject = rules_.expr(rules_.expr(coll.args[0]).args[0]);
        const dsl::CExpr& key_base = rules_.expr(key_side.args[0]);
        if (subject.op == Op::kVar && subject.index != var && subject.type.kind == TypeKind::kEntity &&
            subject.type.id == item_entity && key_base.op == Op::kVar && key_base.index == subject.index) {
          plan.self = true;
          plan.self_var = subject.index;
        }
      }
    }
  }
  return plans_.emplace(node, std::move(plan)).first->second;
}

inline void Evaluator::Accumulate(AggregateFn fn, bool has_value, const KeyedItems& items, size_t p, KeyedItems::Run& acc) {
  uint8_t ft = items.filter[p];
  if (ft == 3) acc.error = true;
  if (ft == 2) acc.unknown = true;
  if (ft != 1) return;
  ++acc.count;
  if (!has_value) return;
  State vs = items.value_state[p];
  if (vs == State::kUnknown) acc.unknown = true;
  if (vs == State::kError) acc.error = true;
  if (vs != State::kKnown) return;  // a value known to be absent adds nothing
  int64_t v = items.value[p];
  if (fn == AggregateFn::kSum) {
    if (__builtin_add_overflow(acc.sum, v, &acc.sum)) acc.error = true;
  } else if (!acc.have || (fn == AggregateFn::kMin ? v < acc.best : v > acc.best)) {
    acc.best = v;
  }
  acc.have = true;
}

inline void Evaluator::Finish(AggregateFn fn, const KeyedItems::Run& acc, int64_t& a, State& s) {
  s = State::kKnown;
  if (acc.error) {
    s = State::kError;
    return;
  }
  switch (fn) {
    case AggregateFn::kExists:
      if (acc.count > 0) a = 1;
      else if (acc.unknown) s = State::kUnknown;
      else a = 0;
      break;
    case AggregateFn::kCount:
      if (acc.unknown) s = State::kUnknown;
      else a = acc.count;
      break;
    case AggregateFn::kSum:
      if (acc.unknown) s = State::kUnknown;
      else a = acc.sum;
      break;
    default:  // min, max
      if (acc.unknown) s = State::kUnknown;
      else if (!acc.have) s = State::kNone;
      else a = acc.best;
  }
}

bool Evaluator::EvalKeyedAggregate(uint32_t node, const Frame& f, size_t off, size_t len, Vec& out) {
  const KeyedPlan& plan = PlanFor(node);
  // In a frame judged on each subject's own date, parameters are read per subject: general path.
  if (!plan.usable || (f.judged && plan.reads_params)) return false;
  const dsl::CExpr& e = rules_.expr(node);
  uint32_t entity = rules_.expr(e.args[0]).type.id;
  KeyedItems& items = ItemsFor(node, plan, entity);
  const KeyIndex& ix = *items.index;
  if (plan.self) {
    // Each subject's result was computed with its own row; an owner with an
    // unknown key leaves it to the general path.
    const VarSlot& slot = f.vars.at(plan.self_var);
    const uint32_t* rows = slot.rows->data() + off;
    const int64_t* self_a = items.self_a.data();
    const State* self_s = items.self_s.data();
    if (len > 0 && slot.identity) {
      // Consecutive rows (definitions computed whole): slices of the results.
      std::copy_n(self_a + rows[0], len, out.a.data());
      std::copy_n(self_s + rows[0], len, out.s.data());
      std::fill_n(out.b.data(), len, 1);
      return std::find(self_s + rows[0], self_s + rows[0] + len, kGeneralPath) == self_s + rows[0] + len;
    }
    uint8_t general = 0;
    for (size_t i = 0; i < len; ++i) {
      State st = self_s[rows[i]];
      general |= static_cast<uint8_t>(st == kGeneralPath);
      out.a[i] = self_a[rows[i]];
      out.b[i] = 1;
      out.s[i] = st;
    }
    return general == 0;
  }
  // Owners and keys of the subjects.
  const Vec& owners = Eval(e.args[0], f, off, len);
  std::vector<int64_t> owner_a(owners.a.begin(), owners.a.begin() + len);
  std::vector<State> owner_s(owners.s.begin(), owners.s.begin() + len);
  const Vec& keys = Eval(plan.key_expr, f, off, len);
  bool prefix = plan.key_op == Op::kLt || plan.key_op == Op::kLe;
  bool suffix = plan.key_op == Op::kGt || plan.key_op == Op::kGe;
  uint32_t last_owner = UINT32_MAX, last_a = 0, last_z = 0;
  int64_t last_key = 0;
  for (size_t i = 0; i < len; ++i) {
    out.b[i] = 1;
    if (owner_s[i] != State::kKnown) {
      out.s[i] = owner_s[i];
      continue;
    }
    uint32_t owner = static_cast<uint32_t>(owner_a[i]);
    if (ix.unknown_key[owner]) return false;  // an item's key is unknown: the general path decides
    // Items of this owner with a known key occupy [klo, khi) of the sorted order.
    uint32_t klo = ix.owner_begin[owner], khi = ix.unknown_begin[owner];
    if (keys.s[i] != State::kKnown) {
      if (klo == khi || keys.s[i] == State::kNone) {
        // No item, or a key compared with nothing: the filter is false for every item.
        klo = khi;
      } else {
        out.s[i] = keys.s[i] == State::kError ? State::kError : State::kUnknown;
        continue;
      }
    }
    int64_t k = keys.a[i];
    const int64_t* kb = ix.key.data();
    uint32_t a = klo, z = khi;
    // Neighbouring subjects mostly share owner and key (records of one day): reuse the range.
    if (i > 0 && owner == last_owner && k == last_key && klo < khi) {
      a = last_a;
      z = last_z;
    } else if (klo < khi && owner == last_owner && k > last_key) {
      // The next subject of the same owner in key order: search on from the previous range.
      BoundAfter(kb, plan.key_op, k, last_a, last_z, a, z);
      last_key = k;
      last_a = a;
      last_z = z;
    } else if (klo < khi) {
      Bound(kb, plan.key_op, k, a, z);
      last_owner = owner;
      last_key = k;
      last_a = a;
      last_z = z;
    }
    // Combine the items in [a, z): directly for `=`, from running aggregates otherwise.
    KeyedItems::Run acc;
    if (a < z && (prefix || suffix)) {
      acc = prefix ? items.forward[z - 1] : items.backward[a];  // from the owner's first item, or back from its last
    } else {
      for (uint32_t p = a; p < z; ++p) Accumulate(e.aggregate, e.args[1] != UINT32_MAX, items, p, acc);
    }
    Finish(e.aggregate, acc, out.a[i], out.s[i]);
  }
  return true;
}

const Evaluator::KeyIndex& Evaluator::IndexFor(uint32_t entity, uint32_t field) {
  auto k = std::make_pair(entity, field);
  auto it = key_indexes_.find(k);
  if (it != key_indexes_.end()) return it->second;
  KeyIndex ix;
  const Table& t = facts_.table(entity);
  const uint32_t n = t.rows;
  uint32_t owners = t.begin.empty() ? 0 : static_cast<uint32_t>(t.begin.size() - 1);
  const Column& kc = t.columns[field];
  const uint32_t* owner = t.owner.data();
  // The key and its part of each row (0 known, 1 unknown, 2 absent), read a chunk at a time.
  std::vector<int64_t, UninitAllocator<int64_t>> key(n);  // written whole below
  std::vector<uint8_t, UninitAllocator<uint8_t>> part(n);
  // Work logs mostly arrive in order: sort only when they do not. The rows are
  // sorted by owner (Table invariant), so each row is checked against the one
  // before it only within an owner, in the same pass that reads the keys.
  bool in_order = true;
  // Every key known (a work log's dates): each owner's keys read in one pass
  // for their order and whether they repeat, with no parts to tell apart.
  bool keys_known = true;
  {
    std::vector<int64_t> second(kChunk);
    std::vector<State> state(kChunk);
    for (uint32_t off = 0; off < n && keys_known; off += kChunk) {
      const size_t len = std::min<size_t>(kChunk, n - off);
      kc.CopyOut(off, len, key.data() + off, second.data(), state.data());
      uint8_t any = 0;
      for (size_t i = 0; i < len; ++i) any |= static_cast<uint8_t>(state[i]);
      keys_known = any == 0;
    }
  }
  if (keys_known && !t.begin.empty()) {
    ix.in_order = true;
    ix.owner_begin.assign(t.begin.begin(), t.begin.end());
    ix.unknown_begin.assign(t.begin.begin() + 1, t.begin.end());
    ix.none_begin = ix.unknown_begin;
    ix.unknown_key.assign(owners, 0);
    ix.distinct_keys.assign(owners, 1);
    const int64_t* kk = key.data();
    for (uint32_t o = 0; o < owners && ix.in_order; ++o) {
      bool descending = false, repeated = false;
      for (uint32_t q = ix.owner_begin[o] + 1; q < ix.owner_begin[o + 1]; ++q) {
        descending |= kk[q] < kk[q - 1];
        repeated |= kk[q] == kk[q - 1];
      }
      ix.in_order = !descending;
      ix.distinct_keys[o] = !repeated;
    }
    if (ix.in_order) {
      ix.all_known = true;
      ix.perm.resize(n);
      std::iota(ix.perm.begin(), ix.perm.end(), 0u);
      ix.key = std::move(key);  // positions are rows
      const KeyIndex& stored = key_indexes_.emplace(k, std::move(ix)).first->second;
      identity_orders_.insert(&stored.perm);
      return stored;
    }
    ix = KeyIndex{};  // out of order: the general path below sorts
  }
  {
    std::vector<int64_t> second(kChunk);
    std::vector<State> state(kChunk);
    uint32_t prev_owner = UINT32_MAX;  // no row's owner before the first row
    uint8_t prev_part = 0;
    int64_t prev_key = 0;
    unsigned before = 0;
    for (uint32_t off = 0; off < n; off += kChunk) {
      const size_t len = std::min<size_t>(kChunk, n - off);
      kc.CopyOut(off, len, key.data() + off, second.data(), state.data());
      const int64_t* kk = key.data() + off;
      const uint32_t* oo = owner + off;
      uint8_t* pp = part.data() + off;
      for (size_t i = 0; i < len; ++i) {
        const uint8_t pt = state[i] == State::kKnown ? 0 : state[i] == State::kNone ? 2 : 1;
        pp[i] = pt;
        const bool less = pt < prev_part || (pt == prev_part && pt == 0 && kk[i] < prev_key);
        before |= static_cast<unsigned>(oo[i] == prev_owner && less);
        prev_owner = oo[i];
        prev_part = pt;
        prev_key = kk[i];
      }
    }
    in_order = before == 0;
  }
  auto less = [&](uint32_t x, uint32_t y) {
    if (owner[x] != owner[y]) return owner[x] < owner[y];
    if (part[x] != part[y]) return part[x] < part[y];
    return part[x] == 0 && key[x] < key[y];
  };
  ix.in_order = in_order;
  ix.perm.resize(n);
  std::iota(ix.perm.begin(), ix.perm.end(), 0u);
  if (in_order) {
    ix.key = std::move(key);  // positions are rows
  } else {
    std::stable_sort(ix.perm.begin(), ix.perm.end(), less);
    ix.key.resize(n);
    for (uint32_t p = 0; p < n; ++p) ix.key[p] = key[ix.perm[p]];
    // The parts by position too, for the owners' parts below.
    std::vector<uint8_t, UninitAllocator<uint8_t>> sorted(n);
    for (uint32_t p = 0; p < n; ++p) sorted[p] = part[ix.perm[p]];
    part.swap(sorted);
  }
  ix.unknown_key.assign(owners, 0);
  // The owners' rows are where the table's rows of each owner begin (sorting
  // moves rows only within an owner).
  if (t.begin.empty())
    ix.owner_begin.assign(1, 0);
  else
    ix.owner_begin.assign(t.begin.begin(), t.begin.end());
  ix.unknown_begin.assign(owners, 0);
  ix.none_begin.assign(owners, 0);
  ix.all_known = true;
  const uint8_t* pt = part.data();
  // Whether an owner's known keys are all distinct (a work log of one record a
  // day) is read by every `=` self plan keyed on this field (ComputeSelf): once here.
  ix.distinct_keys.assign(owners, 1);
  const int64_t* kp = ix.key.data();
  for (uint32_t o = 0; o < owners; ++o) {
    uint32_t p = ix.owner_begin[o], end = ix.owner_begin[o + 1];
    while (p < end && pt[p] == 0) ++p;
    ix.unknown_begin[o] = p;
    ix.all_known = ix.all_known && p == end;
    while (p < end && pt[p] == 1) ++p;
    ix.none_begin[o] = p;
    ix.unknown_key[o] = ix.unknown_begin[o] < ix.none_begin[o];
    bool distinct = true;
    for (uint32_t q = ix.owner_begin[o] + 1; q < ix.unknown_begin[o]; ++q) distinct &= kp[q] != kp[q - 1];
    ix.distinct_keys[o] = distinct;
  }
  const KeyIndex& stored = key_indexes_.emplace(k, std::move(ix)).first->second;
  if (stored.in_order) identity_orders_.insert(&stored.perm);
  return stored;
}

bool Evaluator::NarrowByKey(uint32_t node, const Frame& f, size_t off, size_t len, std::vector<uint32_t>& lo,
                            std::vector<uint32_t>& hi, std::vector<uint32_t>& lo2, std::vector<uint32_t>& hi2,
                            const std::vector<State>& cst, const std::vector<uint32_t>*& perm) {
  const dsl::CExpr& e = rules_.expr(node);
  // Items outside the range fail the filter; that changes nothing for these functions
  // (a share counts every item, and `every` fails on a failing item).
  if (e.aggregate == AggregateFn::kShare || e.aggregate == AggregateFn::kAll) return false;
  const KeyedPlan& plan = PlanFor(node);
  if (!plan.has_key || rules_.expr(e.args[0]).type.kind != TypeKind::kList) return false;
  uint32_t entity = rules_.expr(e.args[0]).type.id;
  const KeyIndex& ix = IndexFor(entity, plan.key_field);
  const Vec& owners = Eval(e.args[0], f, off, len);
  std::vector<int64_t> owner_a(owners.a.begin(), owners.a.begin() + len);
  const Vec& key_vec = Eval(plan.key_expr, f, off, len);
  std::vector<int64_t> k1(key_vec.a.begin(), key_vec.a.begin() + len);
  std::vector<State> s1(key_vec.s.begin(), key_vec.s.begin() + len);
  std::vector<int64_t> k2;
  std::vector<State> s2;
  if (plan.has_key2) {
    const Vec& v2 = Eval(plan.key2_expr, f, off, len);
    k2.assign(v2.a.begin(), v2.a.begin() + len);
    s2.assign(v2.s.begin(), v2.s.begin() + len);
  }
  const int64_t* kb = ix.key.data();
  uint32_t last_owner = UINT32_MAX, last_a = 0, last_z = 0;
  int64_t last_key = 0;
  for (size_t i = 0; i < len; ++i) {
    if (cst[i] != State::kKnown) continue;
    uint32_t owner = static_cast<uint32_t>(owner_a[i]);
    uint32_t begin = ix.owner_begin[owner], end = ix.owner_begin[owner + 1];
    State st = s1[i];
    if (plan.has_key2 && st == State::kKnown) st = s2[i];
    if (plan.has_key2 && s2[i] == State::kNone) st = State::kNone;
    if (st == State::kNone) {
      // Compared with an absent value, the key term is false for every item
      // whose key is known or absent, and unknown for those whose key is unknown.
      lo[i] = hi[i] = begin;
      lo2[i] = ix.unknown_begin[owner];
      hi2[i] = ix.none_begin[owner];
      continue;
    }
    if (st != State::kKnown) {
      // An unknown subject key: every item may matter.
      lo[i] = begin;
      hi[i] = end;
      lo2[i] = hi2[i] = begin;
      continue;
    }
    // Known keys in range, plus the items whose key is unknown (the term is unknown
    // for them); items with an absent key fail the term.
    uint32_t a = begin, z = ix.unknown_begin[owner];
    if (plan.has_key2) {
      Bound(kb, plan.key_op, k1[i], a, z);
      Bound(kb, plan.key2_op, k2[i], a, z);
    } else if (owner == last_owner && k1[i] >= last_key) {
      BoundAfter(kb, plan.key_op, k1[i], last_a, last_z, a, z);
    } else {
      Bound(kb, plan.key_op, k1[i], a, z);
    }
    if (!plan.has_key2) {
      last_owner = owner;
      last_key = k1[i];
      last_a = a;
      last_z = z;
    }
    lo[i] = a;
    hi[i] = z;
    lo2[i] = ix.unknown_begin[owner];
    hi2[i] = ix.none_begin[owner];
  }
  perm = &ix.perm;
  return true;
}

bool Evaluator::WholeSelfResults(uint32_t node, uint32_t var, uint32_t rows, const int64_t*& a, const State*& s) {
  if (every_operand_ || rules_.expr(node).op != Op::kAggregate) return false;
  const KeyedPlan& plan = PlanFor(node);
  if (!plan.usable || !plan.self || plan.self_var != var) return false;
  const KeyedItems& items = ItemsFor(node, plan, rules_.expr(rules_.expr(node).args[0]).type.id);
  if (items.self_a.size() < rows || items.self_s.size() < rows) return false;
  // Rows whose owner has an unknown key are decided by the general path, chunk by chunk.
  if (std::find(items.self_s.begin(), items.self_s.begin() + rows, kGeneralPath) != items.self_s.begin() + rows) {
    return false;
  }
  a = items.self_a.data();
  s = items.self_s.data();
  return true;
}

Evaluator::KeyedItems& Evaluator::ItemsFor(uint32_t node, const KeyedPlan& plan, uint32_t entity) {
  auto it = keyed_items_.find(node);
  if (it != keyed_items_.end()) return it->second;
  KeyedItems items;
  const dsl::CExpr& e = rules_.expr(node);
  const Table& t = facts_.table(entity);
  uint32_t owners = t.begin.empty() ? 0 : static_cast<uint32_t>(t.begin.size() - 1);
  // Items sorted by (owner, key), shared with the other aggregates keyed on this field.
  const KeyIndex& ix = IndexFor(entity, plan.key_field);
  items.index = &ix;
  size_t n = ix.perm.size();
  // The rest of the filter and the value, once per item (items with an unknown
  // or absent key too: they are few, and their results are never read). The
  // frame reads the index's order in place (it lives only here).
  Frame frame;
  frame.size = n;
  VarSlot slot;
  slot.rows =
      std::shared_ptr<std::vector<uint32_t>>(std::shared_ptr<void>(), const_cast<std::vector<uint32_t>*>(&ix.perm));
  slot.identity = ix.in_order;
  frame.vars.emplace(e.index, std::move(slot));
  const bool has_value = e.args[1] != UINT32_MAX;
  // Buffers of an aggregate done before, when there is one (written whole here).
  items.filter.swap(spare_filter_);
  items.filter.resize(n);
  if (has_value || plan.self) {
    items.value.swap(spare_values_);
    items.value_state.swap(spare_states_);
  }
  if (has_value) {
    items.value.resize(n);
    items.value_state.resize(n);
  }
  // The same rest over the same order, computed for an aggregate before.
  const SharedFilter* shared = nullptr;
  for (const SharedFilter& sf : shared_filters_) {
    if (sf.entity != entity || sf.field != plan.key_field || sf.rest.size() != plan.rest.size() ||
        sf.filter.size() != n) {
      continue;
    }
    bool same = true;
    for (size_t r = 0; r < plan.rest.size() && same; ++r)
      same = SameShape(rules_, sf.rest[r], sf.var, plan.rest[r], e.index);
    if (same) {
      shared = &sf;
      break;
    }
  }
  if (shared != nullptr) std::copy_n(shared->filter.data(), n, items.filter.data());
  // A value that is the item's own fact (`x.begins`, `x.span`: a column, the
  // day's aggregates of a work log) is read from its column straight into the
  // items' values, in index order: no chunk buffer to copy from. Rows still
  // pending (on-demand definitions) take Eval, which computes them first.
  const Column* value_column = nullptr;
  if (has_value && !every_operand_) {
    const dsl::CExpr& v = rules_.expr(e.args[1]);
    if (v.op == Op::kField && rules_.expr(v.args[0]).op == Op::kVar && rules_.expr(v.args[0]).index == e.index &&
        v.type.kind != TypeKind::kList && v.type.kind != TypeKind::kEntity && !t.columns[v.index].has_pending()) {
      value_column = &t.columns[v.index];
      // The second part, where the column has one, is not kept: only a chunk's room for it.
      bufs_[e.args[1]].Resize(kChunk);
    }
  }
  for (size_t o = 0; o < n; o += kChunk) {
    size_t l = std::min(kChunk, n - o);
    uint8_t* ft = items.filter.data() + o;
    if (plan.rest.empty()) std::fill_n(ft, l, uint8_t{1});
    for (size_t r = 0; r < plan.rest.size() && shared == nullptr; ++r) {
      const Vec& v = Eval(plan.rest[r], frame, o, l);
      const State* vs = v.s.data();
      const int64_t* va = v.a.data();
      // Kleene conjunction: 0 false, 1 true, 2 unknown, 3 error. A term's own
      // code: known: its truth; none: false; unknown 2, error 3 (the states' values).
      auto code = [&](size_t i) -> uint8_t {
        const uint8_t st = static_cast<uint8_t>(vs[i]);
        return st == 0 ? static_cast<uint8_t>(va[i] != 0) : st == 1 ? uint8_t{0} : st;
      };
      if (r == 0) {
        size_t i = 0;
        for (; i + 16 <= l; i += 16) TruthCodes16(vs + i, va + i, ft + i);
        for (; i < l; ++i) ft[i] = code(i);
        continue;
      }
      for (size_t i = 0; i < l; ++i) {
        const uint8_t x = code(i), f0 = ft[i];
        ft[i] = (f0 == 0 || x == 0) ? 0 : (f0 == 3 || x == 3) ? 3 : (f0 == 2 || x == 2) ? 2 : 1;
      }
    }
    if (value_column != nullptr) {
      int64_t* ob = bufs_[e.args[1]].b.data();
      if (ix.in_order)
        value_column->CopyOut(static_cast<uint32_t>(o), l, items.value.data() + o, ob, items.value_state.data() + o);
      else
        value_column->Gather(ix.perm.data() + o, l, items.value.data() + o, ob, items.value_state.data() + o);
    } else if (has_value) {
      const Vec& v = Eval(e.args[1], frame, o, l);
      std::copy_n(v.a.data(), l, items.value.data() + o);
      std::copy_n(v.s.data(), l, items.value_state.data() + o);
    }
  }
  if (shared == nullptr && !plan.rest.empty()) {
    SharedFilter sf;
    sf.entity = entity;
    sf.field = plan.key_field;
    sf.var = e.index;
    sf.rest = plan.rest;
    sf.filter.assign(items.filter.begin(), items.filter.end());
    shared_filters_.push_back(std::move(sf));
  }
  if (plan.self) {
    // The results per subject row are all that is read.
    ComputeSelf(node, plan, entity, items);
    // The spares were taken above: what is left of the items' buffers is the next spare.
    spare_values_.swap(items.value);
    spare_states_.swap(items.value_state);
    spare_filter_.swap(items.filter);
    decltype(items.value)().swap(items.value);
    decltype(items.value_state)().swap(items.value_state);
    decltype(items.filter)().swap(items.filter);
    return keyed_items_.emplace(node, std::move(items)).first->second;
  }
  // Running aggregates within each owner: forwards for `<`, `<=`, backwards for `>`, `>=`.
  const bool forward = plan.key_op == Op::kLt || plan.key_op == Op::kLe;
  const bool backward = plan.key_op == Op::kGt || plan.key_op == Op::kGe;
  if (forward) items.forward.resize(n);
  if (backward) items.backward.resize(n);
  for (uint32_t o = 0; o < owners; ++o) {
    KeyedItems::Run acc;
    for (uint32_t p = ix.owner_begin[o]; forward && p < ix.unknown_begin[o]; ++p) {
      Accumulate(e.aggregate, has_value, items, p, acc);
      items.forward[p] = acc;
    }
    acc = KeyedItems::Run{};
    for (uint32_t p = ix.unknown_begin[o]; backward && p > ix.owner_begin[o]; --p) {
      Accumulate(e.aggregate, has_value, items, p - 1, acc);
      items.backward[p - 1] = acc;
    }
  }
  // Prefix and suffix aggregates read only the running values.
  if (forward || backward) {
    if (items.value.capacity() > spare_values_.capacity()) spare_values_.swap(items.value);
    if (items.value_state.capacity() > spare_states_.capacity()) spare_states_.swap(items.value_state);
    if (items.filter.capacity() > spare_filter_.capacity()) spare_filter_.swap(items.filter);
    decltype(items.value)().swap(items.value);
    decltype(items.value_state)().swap(items.value_state);
    decltype(items.filter)().swap(items.filter);
  }
  return keyed_items_.emplace(node, std::move(items)).first->second;
}

void Evaluator::RecycleKeyedItems() {
  for (auto& [node, items] : keyed_items_) {
    // Results of self plans and items of the others: the largest of each kind stays.
    auto keep = [](auto& spare, auto& buffer) {
      if (buffer.capacity() > spare.capacity()) spare.swap(buffer);
    };
    keep(spare_values_, items.self_a);
    keep(spare_states_, items.self_s);
    keep(spare_values_, items.value);
    keep(spare_states_, items.value_state);
    keep(spare_filter_, items.filter);
  }
  keyed_items_.clear();
  ReleaseItemValues();
}

void Evaluator::ComputeSelf(uint32_t node, const KeyedPlan& plan, uint32_t entity, KeyedItems& items) {
  const dsl::CExpr& e = rules_.expr(node);
  const bool has_value = e.args[1] != UINT32_MAX;
  const KeyIndex& ix = *items.index;
  const Table& t = facts_.table(entity);
  const uint32_t owners = t.begin.empty() ? 0 : static_cast<uint32_t>(t.begin.size() - 1);
  const size_t n = ix.perm.size();
  // Results by position in the index, written over the items' values once a
  // run of equal keys has been read (no second array for the common case).
  if (!has_value) {
    items.value.resize(n);
    items.value_state.resize(n);
  }
  int64_t* res_a = items.value.data();
  State* res_s = items.value_state.data();
  const Op op = plan.key_op;
  const int64_t* key = ix.key.data();
  const uint8_t* filter = items.filter.data();
  const int64_t* value = items.value.data();
  const State* value_state = items.value_state.data();
  // One loop per function and presence of a value, so that Accumulate and
  // Finish lose their switches.
  auto kernel = [&](auto fn_c, auto value_c) {
    constexpr AggregateFn fn = decltype(fn_c)::value;
    constexpr bool hv = decltype(value_c)::value;
    // The captured pointers as locals: a state is a byte, and a store of a byte
    // may alias anything, so through the captures every pointer would be
    // reloaded after each result written (a row of the work log each).
    int64_t* const ra = res_a;
    State* const rs = res_s;
    const int64_t* const kk = key;
    const uint8_t* const flt = filter;
    const int64_t* const val = value;
    const State* const vst = value_state;
    // The result of no item (every item of a run fails the filter).
    int64_t empty_a = 0;
    State empty_s = State::kKnown;
    Finish(fn, KeyedItems::Run{}, empty_a, empty_s);
    // Writes the aggregate of `acc` for the subjects at positions [s, z).
    auto write = [&](uint32_t s, uint32_t z, const KeyedItems::Run& acc) {
      int64_t a = 0;
      State st = State::kKnown;
      Finish(fn, acc, a, st);
      for (uint32_t p = s; p < z; ++p) {
        ra[p] = a;
        rs[p] = st;
      }
    };
    for (uint32_t o = 0; o < owners; ++o) {
      if (ix.unknown_key[o]) {
        // The general path decides these subjects.
        for (uint32_t p = ix.owner_begin[o]; p < ix.owner_begin[o + 1]; ++p) rs[p] = kGeneralPath;
        continue;
      }
      const uint32_t begin = ix.owner_begin[o], known_end = ix.unknown_begin[o], end = ix.owner_begin[o + 1];
      // A subject whose key is absent compares with nothing: no item passes the filter.
      for (uint32_t p = known_end; p < end; ++p) {
        ra[p] = empty_a;
        rs[p] = empty_s;
      }
      // The subjects of one run of equal keys share their items: the run itself
      // (`=`), the runs before it (`<`, and `<=` with the run), or after it (`>`, `>=`).
      auto next_run = [&](uint32_t s) {
        uint32_t z = s + 1;
        while (z < known_end && kk[z] == kk[s]) ++z;
        return z;
      };
      if (op == Op::kEq) {
        // An owner whose known keys are all distinct (a work log of one record
        // a day): each item is its own run, and each subject's result is that
        // item's, read without looking for the run's end.
        if (ix.distinct_keys[o] != 0) {
          const int64_t pass_a = fn == AggregateFn::kExists || fn == AggregateFn::kCount ? 1 : 0;
          for (uint32_t p = begin; p < known_end; ++p) {
            const uint8_t ft = flt[p];
            // It passes the filter with a known value, or fails it: no state to fold in.
            const bool pass = (ft == 1) & (!hv || vst[p] == State::kKnown);
            if (!pass && ft != 0) {
              // An unknown or erroneous filter or value (read before the result
              // is written over it).
              KeyedItems::Run run;
              Accumulate(fn, hv, items, p, run);
              write(p, p + 1, run);
              continue;
            }
            ra[p] = pass ? (hv && pass_a == 0 ? val[p] : pass_a) : empty_a;
            rs[p] = pass ? State::kKnown : empty_s;
          }
          continue;
        }
        for (uint32_t s = begin; s < known_end;) {
          if (s + 1 == known_end || kk[s + 1] != kk[s]) {
            // A run of one item (most days: one record each).
            const uint8_t ft = flt[s];
            if (ft == 1 && (!hv || vst[s] == State::kKnown)) {
              // It passes the filter with a known value.
              ra[s] = fn == AggregateFn::kExists || fn == AggregateFn::kCount ? 1 : hv ? val[s] : 0;
              rs[s] = State::kKnown;
            } else if (ft == 0) {
              ra[s] = empty_a;
              rs[s] = empty_s;
            } else {
              KeyedItems::Run run;
              Accumulate(fn, hv, items, s, run);
              write(s, s + 1, run);
            }
            ++s;
            continue;
          }
          const uint32_t z = next_run(s);
          KeyedItems::Run run;
          for (uint32_t p = s; p < z; ++p) Accumulate(fn, hv, items, p, run);
          write(s, z, run);
          s = z;
        }
      } else if ((op == Op::kLt || op == Op::kLe) && ix.distinct_keys[o] != 0) {
        // Distinct keys (a work log of one record a day): each item is its own
        // run, so a subject's result is the running aggregate before its item
        // (`<`) or with it (`<=`). Its value is read before its result is
        // written over it.
        KeyedItems::Run acc;
        int64_t cur_a = empty_a;
        State cur_s = empty_s;
        for (uint32_t p = begin; p < known_end; ++p) {
          const uint8_t ft = flt[p];
          const int64_t v = hv ? val[p] : 0;
          const State vs = hv ? vst[p] : State::kKnown;
          if (op == Op::kLt) {
            ra[p] = cur_a;
            rs[p] = cur_s;
          }
          if (ft != 0) {
            // Accumulate, from the values read above.
            acc.error |= ft == 3;
            acc.unknown |= ft == 2;
            if (ft == 1) {
              ++acc.count;
              if (hv) {
                acc.unknown |= vs == State::kUnknown;
                acc.error |= vs == State::kError;
                if (vs == State::kKnown) {
                  if constexpr (fn == AggregateFn::kSum) {
                    acc.error |= __builtin_add_overflow(acc.sum, v, &acc.sum);
                  } else if (!acc.have || (fn == AggregateFn::kMin ? v < acc.best : v > acc.best)) {
                    acc.best = v;
                  }
                  acc.have = true;
                }
              }
            }
            cur_a = 0;
            Finish(fn, acc, cur_a, cur_s);
          }
          if (op == Op::kLe) {
            ra[p] = cur_a;
            rs[p] = cur_s;
          }
        }
      } else if (op == Op::kLt || op == Op::kLe) {
        KeyedItems::Run acc;  // the owner's items from its first up to here
        // The result of the items so far, kept while no item changes it.
        int64_t acc_a = empty_a;
        State acc_s = empty_s;
        for (uint32_t s = begin; s < known_end;) {
          const uint32_t z = next_run(s);
          const int64_t before_a = acc_a;
          const State before_s = acc_s;
          bool changed = false;
          for (uint32_t p = s; p < z; ++p) {
            // An item that fails the filter changes nothing.
            if (flt[p] == 0) continue;
            Accumulate(fn, hv, items, p, acc);
            changed = true;
          }
          if (changed) {
            acc_a = 0;
            acc_s = State::kKnown;
            Finish(fn, acc, acc_a, acc_s);
          }
          const int64_t a = op == Op::kLt ? before_a : acc_a;
          const State st = op == Op::kLt ? before_s : acc_s;
          for (uint32_t p = s; p < z; ++p) {
            ra[p] = a;
            rs[p] = st;
          }
          s = z;
        }
      } else {
        std::vector<uint32_t> starts;
        for (uint32_t s = begin; s < known_end; s = next_run(s)) starts.push_back(s);
        KeyedItems::Run acc;  // the owner's items from its last back to here
        uint32_t z = known_end;
        for (size_t k = starts.size(); k-- > 0;) {
          const uint32_t s = starts[k];
          const KeyedItems::Run after = acc;
          for (uint32_t p = z; p > s; --p) Accumulate(fn, hv, items, p - 1, acc);
          write(s, z, op == Op::kGt ? after : acc);
          z = s;
        }
      }
    }
  };
  auto with_value = [&](auto fn_c) {
    if (has_value)
      kernel(fn_c, std::true_type{});
    else
      kernel(fn_c, std::false_type{});
  };
  switch (e.aggregate) {
    case AggregateFn::kCount:
      with_value(std::integral_constant<AggregateFn, AggregateFn::kCount>{});
      break;
    case AggregateFn::kSum:
      with_value(std::integral_constant<AggregateFn, AggregateFn::kSum>{});
      break;
    case AggregateFn::kMin:
      with_value(std::integral_constant<AggregateFn, AggregateFn::kMin>{});
      break;
    case AggregateFn::kMax:
      with_value(std::integral_constant<AggregateFn, AggregateFn::kMax>{});
      break;
    default:
      with_value(std::integral_constant<AggregateFn, AggregateFn::kExists>{});
      break;  // PlanFor admits no other
  }
  // By row: the positions are the rows when the rows were in key order already.
  if (ix.in_order) {
    items.self_a = std::move(items.value);
    items.self_s = std::move(items.value_state);
  } else {
    items.self_a.resize(n);
    items.self_s.resize(n);
    for (size_t p = 0; p < n; ++p) {
      items.self_a[ix.perm[p]] = res_a[p];
      items.self_s[ix.perm[p]] = res_s[p];
    }
  }
}

}  // namespace nw::engine::internal
