// Program: compile once, evaluate many times. Evaluation computes derived
// facts, then for each rule in force builds its subjects, decides them in
// batches, resolves exceptions and source levels, and explains each finding.
#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "engine/format.hpp"
#include "engine/internal/evaluator.hpp"
#include "engine/program.hpp"
#include "engine/resolve.hpp"

namespace nw::engine {

using dsl::LangText;
using dsl::Op;
using dsl::TypeKind;
using internal::Evaluator;
using internal::Frame;
using internal::Vec;

std::vector<CitationRef> Citations(const dsl::CheckedRuleSet& rs, const std::vector<dsl::CitationInfo>& cites) {
  std::vector<CitationRef> out;
  for (const dsl::CitationInfo& c : cites) {
    const dsl::ActInfo& act = rs.acts[c.act];
    CitationRef r;
    r.law = act.title;
    r.act_id = act.name;
    r.article = c.article;
    r.lid = c.lid;
    r.sub = c.sub;
    if (act.id_kind == "bwb") r.bwb = act.id;
    if (act.id_kind == "celex") r.celex = act.id;
    r.url = dsl::CitationUrl(rs, c);
    r.text = dsl::CitationText(rs, c);
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

void CollectParams(const dsl::CheckedRuleSet& rs, uint32_t node, std::set<uint32_t>& params, std::set<uint32_t>& defs) {
  if (node == UINT32_MAX) return;
  const dsl::CExpr& e = rs.expr(node);
  if (e.op == Op::kParam) params.insert(e.index);
  if (e.op == Op::kField) {
    const dsl::CExpr& base = rs.expr(e.args[0]);
    if (base.type.kind == TypeKind::kEntity) {
      int32_t d = rs.entities[base.type.id].fields[e.index].definition;
      if (d >= 0 && defs.insert(static_cast<uint32_t>(d)).second)
        CollectParams(rs, rs.definitions[d].body, params, defs);
    }
  }
  for (uint32_t a : e.args) CollectParams(rs, a, params, defs);
}

bool ValidOn(const dsl::RuleInfo& r, Date d) { return r.valid_from <= d && (!r.valid_to || d <= *r.valid_to); }

Truth ToTruth(State s, int64_t a) {
  switch (s) {
    case State::kKnown:
      return a ? Truth::kTrue : Truth::kFalse;
    case State::kNone:
      return Truth::kFalse;
    case State::kUnknown:
      return Truth::kUnknown;
    case State::kError:
      return Truth::kError;
  }
  return Truth::kError;
}

// Kleene conjunction of a into acc.
void AndInto(Vec& acc, const Vec& x, size_t n, bool negate) {
  // Sixteen rows at a time from their bits: false where either is false (none
  // counts as false), else an error where either is one, else unknown where
  // either is, else true; then the rest one by one.
  size_t i0 = 0;
  for (; i0 + 16 <= n; i0 += 16) {
    internal::RowBits ba = internal::RowBits16(acc.s.data() + i0, acc.a.data() + i0);
    internal::RowBits bx = internal::RowBits16(x.s.data() + i0, x.a.data() + i0);
    uint32_t at = ba.known & ~ba.zero, af = (ba.known & ba.zero) | ba.none;
    uint32_t xt = bx.known & ~bx.zero, xf = (bx.known & bx.zero) | bx.none;
    if (negate) std::swap(xt, xf);
    uint32_t f = af | xf, t = ~f & at & xt, error = ba.error | bx.error;
    int64_t* aa = acc.a.data() + i0;
    State* as = acc.s.data() + i0;
    for (uint32_t k = 0; k < 16; ++k) {
      aa[k] = (t >> k) & 1;
      as[k] = (((f | t) >> k) & 1) ? State::kKnown : ((error >> k) & 1) ? State::kError : State::kUnknown;
    }
  }
  for (size_t i = i0; i < n; ++i) {
    Truth a = ToTruth(acc.s[i], acc.a[i]);
    Truth b = ToTruth(x.s[i], x.a[i]);
    if (negate) b = b == Truth::kTrue ? Truth::kFalse : b == Truth::kFalse ? Truth::kTrue : b;
    Truth r;
    if (a == Truth::kFalse || b == Truth::kFalse)
      r = Truth::kFalse;
    else if (a == Truth::kError || b == Truth::kError)
      r = Truth::kError;
    else if (a == Truth::kUnknown || b == Truth::kUnknown)
      r = Truth::kUnknown;
    else
      r = Truth::kTrue;
    acc.a[i] = r == Truth::kTrue;
    acc.s[i] = r == Truth::kUnknown ? State::kUnknown : r == Truth::kError ? State::kError : State::kKnown;
  }
}

class RuleRunner {
 public:
  RuleRunner(const Program& program, Evaluator& ev, const EvalOptions& options, Report& report)
      : program_(program), rs_(program.rules()), ev_(ev), options_(options), report_(report) {}

  void Run(uint32_t rule_index) {
    const dsl::RuleInfo& rule = rs_.rules[rule_index];
    ev_.errors().clear();
    undated_.clear();
    subject_frame_ = nullptr;
    Frame f = FrameFor(rule);
    if (rule.judged_on != UINT32_MAX) {
      // This version judges the subjects whose legal date falls in its validity.
      // Subjects whose date is not known are decided by the version in force on the
      // evaluation date, as undetermined: the date is a missing fact.
      int64_t from = rule.valid_from.DaysSinceEpoch();
      int64_t to = rule.valid_to ? rule.valid_to->DaysSinceEpoch() : INT64_MAX;
      bool current = ValidOn(rule, options_.as_of);
      JudgedDays& jd = JudgedDaysOf(rule, f);
      const int64_t* day = jd.day.data();
      const uint8_t* undated = jd.undated.data();
      size_t kept = 0;
      // Mostly every dated row lies in this version, or none does: no row needs a look.
      bool all_in = jd.first > jd.last || (from <= jd.first && jd.last <= to);
      bool all_out = jd.first > jd.last || jd.last < from || to < jd.first;
      if (all_in && (!jd.any_undated || current)) {
        kept = f.size;
      } else if (!(all_out && (!jd.any_undated || !current))) {
        keep_.resize(f.size);
        uint8_t* keep = keep_.data();
        for (size_t i = 0; i < f.size; ++i) {
          // An undated row's day is the evaluation date; it is kept by the current version.
          uint8_t k = undated[i] ? current : (day[i] >= from && day[i] <= to);
          keep[i] = k;
          kept += k;
        }
      }
      bool all = kept == f.size;
      Frame g = all ? f : kept == 0 ? f.Select(0, {}) : f.Filter(keep_);
      g.judged = true;
      if (all) {
        // Lent to the frame while this version runs (see lent_days below).
        g.judge_day = std::move(jd.day);
        lent_days_ = &jd.day;
        if (jd.any_undated) undated_ = jd.undated;
      } else {
        g.judge_day.resize(kept);
        if (jd.any_undated) undated_.resize(kept);
        for (size_t i = 0, j = 0; i < f.size && j < kept; ++i) {
          if (!keep_[i]) continue;
          g.judge_day[j] = day[i];
          if (jd.any_undated) undated_[j] = undated[i];
          ++j;
        }
      }
      f = std::move(g);
    }
    // The dates lent to the frame go back to their cache when the run ends.
    struct Return {
      RuleRunner& runner;
      Frame& frame;
      ~Return() {
        if (runner.lent_days_ != nullptr) *runner.lent_days_ = std::move(frame.judge_day);
        runner.lent_days_ = nullptr;
        runner.ev_.RuleDone();
      }
    } lent_days{*this, f};
    report_.subjects += f.size;
    // Exceptions (every version; each applies where it is in force), bound to the rule's subjects.
    std::vector<uint32_t> xs;
    for (uint32_t x : program_.compiled()[rule_index].exceptions) {
      if (f.judged || ValidOn(rs_.rules[x], options_.as_of)) xs.push_back(x);
    }
    for (uint32_t x : xs) AliasTree(x, rule_index, f);
    std::vector<ExceptionState> states(xs.size());
    for (size_t k = 0; k < xs.size(); ++k) {
      states[k].produces_finding = rs_.rules[xs[k]].produces_finding;
      for (size_t j = 0; j < xs.size(); ++j) {
        const auto& po = rs_.rules[xs[k]].priority_over;
        if (std::find(po.begin(), po.end(), rs_.rules[xs[j]].id) != po.end())
          states[k].prevails_over.push_back(static_cast<uint32_t>(j));
      }
    }
    // Decide the subjects a chunk at a time; findings are explained one by one.
    Vec cond, level;
    std::vector<Vec> applies(xs.size());
    std::vector<uint32_t> pick;
    for (size_t off = 0; off < f.size; off += Evaluator::kChunk) {
      size_t len = std::min(Evaluator::kChunk, f.size - off);
      if (rule.unless.empty()) {
        // The condition's own buffer decides the open subjects; only theirs are
        // kept (evaluating exceptions may reuse the buffer).
        const Vec& when = ev_.Eval(rule.when, f, off, len);
        Undecided(when, len, pick);
        if (pick.empty()) continue;
        cond.Resize(len);
        for (uint32_t i : pick) {
          cond.a[i] = when.a[i];
          cond.s[i] = when.s[i];
        }
      } else {
        Condition(rule_index, f, off, len, cond, /*open_only=*/true);
        // The `unless` clauses only close rows `when` left open (the others are
        // false in `cond`): where that was a few, only those are looked at again.
        const std::vector<uint32_t>& open = condition_pick_;
        if (open.size() == len) {
          Undecided(cond, len, pick);
        } else {
          pick.resize(open.size());
          size_t n = 0;
          for (uint32_t i : open) {
            pick[n] = i;
            n += !(cond.s[i] == State::kKnown && cond.a[i] == 0);
          }
          pick.resize(n);
        }
        if (pick.empty()) continue;
      }
      // Exceptions and the source level only for the subjects the condition leaves
      // open (their frame is built only for a rule that has either).
      Frame sub;
      bool compact = pick.size() < len;
      if (compact && (!xs.empty() || rule.source_expr != UINT32_MAX)) sub = f.Select(off, pick);
      const Frame& g = compact ? sub : f;
      size_t goff = compact ? 0 : off, glen = pick.size();
      for (size_t k = 0; k < xs.size(); ++k) {
        Applies(xs[k], g, goff, glen, applies[k]);
        if (g.judged) MaskByValidity(xs[k], g, goff, glen, applies[k]);
      }
      if (rule.source_expr != UINT32_MAX) Copy(ev_.Eval(rule.source_expr, g, goff, glen), glen, level);
      // The verdict of the chunk's j-th open subject (sets the exceptions' states).
      auto decide = [&](size_t j, bool& undated, State& level_state, int64_t& level_value) {
        size_t i = pick[j];
        Truth c = ToTruth(cond.s[i], cond.a[i]);
        undated = !undated_.empty() && undated_[off + i];
        if (undated && c == Truth::kTrue) c = Truth::kUnknown;
        for (size_t k = 0; k < xs.size(); ++k) states[k].applies = ToTruth(applies[k].s[j], applies[k].a[j]);
        Truth deviation = Truth::kFalse;
        level_state = State::kUnknown;
        level_value = 0;
        if (rule.source_expr != UINT32_MAX) {
          level_state = level.s[j];
          level_value = level.a[j];
          if (rule.deviable_by != 0) {
            if (level_state == State::kKnown)
              deviation = ((rule.deviable_by >> level_value) & 1) ? Truth::kTrue : Truth::kFalse;
            else
              deviation = Truth::kUnknown;
          }
        }
        return Resolve(c, deviation, states);
      };
      // Compact reports: whether the undetermined subjects wait on an open norm,
      // checked for the chunk's subjects at once where the rule reads one.
      weigh_.clear();
      weigh_off_ = off;
      if (options_.compact && WeighsOpenNorm(rule_index, xs)) {
        std::vector<uint32_t> rows;
        std::vector<uint8_t> dated_not;
        for (size_t j = 0; j < glen; ++j) {
          bool undated;
          State ls;
          int64_t lv;
          if (decide(j, undated, ls, lv).verdict != Verdict::kUndetermined) continue;
          rows.push_back(pick[j]);
          dated_not.push_back(undated);
        }
        if (!rows.empty()) WeighChunk(rule_index, xs, f, off, len, rows, dated_not);
      }
      for (size_t j = 0; j < glen; ++j) {
        size_t i = pick[j];
        bool undated;
        State level_state;
        int64_t level_value;
        Resolution r = decide(j, undated, level_state, level_value);
        if (r.verdict == Verdict::kNothing || r.verdict == Verdict::kOverridden ||
            r.verdict == Verdict::kDeviationAllowed)
          continue;
        if (report_.findings.size() + report_.compact.size() >= options_.max_findings) return;
        if (r.verdict == Verdict::kError) {
          EvalError err;
          err.rule = rule.id;
          SubjectOf(rule, f, off + i, err.document, err.subject);
          for (const std::string& m : ev_.errors()) err.message += (err.message.empty() ? "" : "; ") + m;
          if (err.message.empty()) err.message = "the rule could not be evaluated";
          report_.errors.push_back(std::move(err));
          continue;
        }
        if (options_.compact)
          EmitCompact(rule_index, f, off + i, r, xs, undated);
        else
          Emit(rule_index, f, off + i, r, xs, states, level_state, level_value, undated);
      }
    }
  }

 private:
  static void Copy(const Vec& from, size_t len, Vec& to) {
    to.Resize(len);
    std::copy_n(from.a.begin(), len, to.a.begin());
    std::copy_n(from.s.begin(), len, to.s.begin());
  }

  // The rows of a chunk whose condition is not false.
  void Undecided(const Vec& cond, size_t len, std::vector<uint32_t>& pick) {
    // Listed in a buffer with room for ListBits16, then copied: `pick` is not zeroed first.
    if (listed_size_ < len + 16) {
      listed_size_ = len + 16;
      listed_.reset(new uint32_t[listed_size_]);
    }
    uint32_t* out = listed_.get();
    size_t n = 0;
    size_t i0 = 0;
    for (; i0 + 16 <= len; i0 += 16) {
      internal::RowBits b = internal::RowBits16(cond.s.data() + i0, cond.a.data() + i0);
      n = internal::ListBits16(~(b.known & b.zero) & 0xFFFFu, static_cast<uint32_t>(i0), out, n);
    }
    for (size_t i = i0; i < len; ++i) {
      out[n] = static_cast<uint32_t>(i);
      n += !(cond.s[i] == State::kKnown && cond.a[i] == 0);
    }
    pick.assign(out, out + n);
  }
  // Emit, compact reports: the subject's rows in the frame of the rule being run
  // (reset when a run starts, since a frame lives only as long as its run).
  const Frame* subject_frame_ = nullptr;
  uint32_t subject_rule_ = UINT32_MAX;
  uint32_t subject_entity_ = 0;
  const std::vector<uint32_t>* subject_rows_ = nullptr;
  std::unique_ptr<uint32_t[]> listed_;  // Undecided's list
  // Condition's working memory, kept between calls (it is not re-entered: the
  // evaluator does not call back into the runner).
  std::vector<uint32_t> condition_pick_;
  std::vector<uint32_t> unless_vars_;  // the variables a rule's `unless` clauses read (Condition)
  Vec condition_part_;
  size_t listed_size_ = 0;

  // when ∧ ¬unless₁ ∧ … (Kleene), for frame rows [off, off + len). The `unless`
  // clauses are evaluated only for the rows where `when` is not false (listed in
  // condition_pick_ when the rule has any). With `open_only` (a rule's own
  // condition, of which Run reads only those rows), the rows `when` makes false
  // are left unwritten in `out`: most of a chunk's rows, whose copy cost more
  // than the rest of a mostly-false condition.
  void Condition(uint32_t rule_index, const Frame& f, size_t off, size_t len, Vec& out, bool open_only = false) {
    const dsl::RuleInfo& rule = rs_.rules[rule_index];
    const Vec& when = ev_.Eval(rule.when, f, off, len);
    if (rule.unless.empty()) {
      Copy(when, len, out);
      return;
    }
    std::vector<uint32_t>& pick = condition_pick_;
    Undecided(when, len, pick);
    if (pick.size() == len || !open_only) Copy(when, len, out);
    if (pick.empty()) return;
    if (pick.size() == len) {
      for (uint32_t un : rule.unless) AndInto(out, ev_.Eval(un, f, off, len), len, true);
      return;
    }
    out.Resize(len);
    // Only the variables the `unless` clauses read.
    std::vector<uint32_t>& only = unless_vars_;
    only.clear();
    for (uint32_t un : rule.unless) {
      const std::vector<uint32_t>& v = ev_.VarsRead(un);
      only.insert(only.end(), v.begin(), v.end());
    }
    std::sort(only.begin(), only.end());
    Frame sub = f.Select(off, pick, &only);
    Vec& part = condition_part_;
    part.Resize(pick.size());
    // From `when`'s buffer before the `unless` clauses are evaluated.
    for (size_t j = 0; j < pick.size(); ++j) {
      part.a[j] = when.a[pick[j]];
      part.s[j] = when.s[pick[j]];
    }
    for (uint32_t un : rule.unless) AndInto(part, ev_.Eval(un, sub, 0, pick.size()), pick.size(), true);
    for (size_t j = 0; j < pick.size(); ++j) {
      out.a[pick[j]] = part.a[j];
      out.s[pick[j]] = part.s[j];
    }
  }

  // An exception applies when its condition holds and none of its own exceptions does.
  void Applies(uint32_t x, const Frame& f, size_t off, size_t len, Vec& out) {
    Condition(x, f, off, len, out);
    for (uint32_t y : program_.compiled()[x].exceptions) {
      if (!f.judged && !ValidOn(rs_.rules[y], options_.as_of)) continue;
      Vec sub;
      Applies(y, f, off, len, sub);
      if (f.judged) MaskByValidity(y, f, off, len, sub);
      AndInto(out, sub, len, true);
    }
  }

  // Binds the variables of an exception (and of its own exceptions) to its rule's subjects.
  void AliasTree(uint32_t x, uint32_t base, Frame& f) {
    Alias(x, base, f);
    for (uint32_t y : program_.compiled()[x].exceptions) AliasTree(y, x, f);
  }

  // For rules judged on a date: an exception applies only where that date lies in its validity.
  void MaskByValidity(uint32_t x, const Frame& f, size_t off, size_t len, Vec& v) {
    const dsl::RuleInfo& r = rs_.rules[x];
    int64_t from = r.valid_from.DaysSinceEpoch();
    int64_t to = r.valid_to ? r.valid_to->DaysSinceEpoch() : INT64_MAX;
    for (size_t i = 0; i < len; ++i) {
      if (f.judge_day[off + i] < from || f.judge_day[off + i] > to) {
        v.a[i] = 0;
        v.s[i] = State::kKnown;
      }
    }
  }

  // The shape of a rule's subjects: rules with the same shape share one frame.
  std::string Signature(const dsl::RuleInfo& rule) const {
    std::string sig;
    std::vector<uint32_t> bound;
    for (const dsl::CBinding& b : rule.bindings) {
      sig += std::to_string(static_cast<int>(b.kind)) + ":" + std::to_string(b.entity) + ":" +
             std::to_string(b.by_field) + ":" + b.group + ":" + std::to_string(b.count);
      if (b.collection != UINT32_MAX) {
        const dsl::CExpr& c = rs_.expr(b.collection);
        if (c.op != Op::kField || rs_.expr(c.args[0]).op != Op::kVar) return "";
        auto pos = std::find(bound.begin(), bound.end(), rs_.expr(c.args[0]).index);
        if (pos == bound.end()) return "";
        sig += ":" + std::to_string(pos - bound.begin()) + "." + std::to_string(c.index);
      }
      sig += "|";
      bound.push_back(b.var);
      if (b.kind == dsl::Binding::Kind::kConsecutive) bound.push_back(b.var2);
    }
    return sig;
  }

  Frame FrameFor(const dsl::RuleInfo& rule) {
    std::string sig = Signature(rule);
    if (sig.empty()) return ev_.BuildFrame(rule.bindings);
    auto it = frames_.find(sig);
    if (it == frames_.end()) {
      Frame built = ev_.BuildFrame(rule.bindings);
      it = frames_.emplace(sig, std::make_pair(std::move(built), rule.vars)).first;
    }
    const auto& [cached, ids] = it->second;
    Frame f;
    f.size = cached.size;
    for (size_t k = 0; k < ids.size() && k < rule.vars.size(); ++k) f.vars[rule.vars[k]] = cached.vars.at(ids[k]);
    return f;
  }

  std::map<std::string, std::pair<Frame, std::vector<uint32_t>>> frames_;

  // The legal date of each row of a frame (the evaluation date where it is not
  // known), and which rows have no known date. The versions of a rule judge the
  // same dates: computed once per frame and date field.
  // Written whole by JudgedDaysOf (a row of a frame each, ~100k for a year's
  // work log): not zeroed first (UninitAllocator).
  struct JudgedDays {
    std::vector<int64_t, internal::UninitAllocator<int64_t>> day;
    std::vector<uint8_t, internal::UninitAllocator<uint8_t>> undated;
    bool any_undated = false;
    int64_t first = INT64_MAX, last = INT64_MIN;  // earliest and latest known date
  };
  std::map<std::string, JudgedDays> judged_days_;
  JudgedDays scratch_days_;
  std::vector<int64_t, internal::UninitAllocator<int64_t>>* lent_days_ = nullptr;
  std::vector<uint8_t> keep_;

  JudgedDays& JudgedDaysOf(const dsl::RuleInfo& rule, const Frame& f) {
    // Shared when the date is a field of a subject variable and the frame is shared.
    std::string key;
    const dsl::CExpr& e = rs_.expr(rule.judged_on);
    if (e.op == Op::kField && rs_.expr(e.args[0]).op == Op::kVar) {
      auto pos = std::find(rule.vars.begin(), rule.vars.end(), rs_.expr(e.args[0]).index);
      std::string sig = Signature(rule);
      if (pos != rule.vars.end() && !sig.empty()) {
        key = sig + "#" + std::to_string(pos - rule.vars.begin()) + "." + std::to_string(e.index);
        auto it = judged_days_.find(key);
        if (it != judged_days_.end()) return it->second;
      }
    }
    JudgedDays& jd = key.empty() ? scratch_days_ : judged_days_[key];
    int64_t today = options_.as_of.DaysSinceEpoch();
    jd.day.resize(f.size);
    jd.undated.resize(f.size);
    jd.any_undated = false;
    jd.first = INT64_MAX;
    jd.last = INT64_MIN;
    // Through local pointers and accumulators: the flags are bytes, and a store
    // of a byte may alias anything, so writing through jd would reload jd's
    // vectors and bounds for every row (a row of a work log each).
    int64_t* day_out = jd.day.data();
    uint8_t* undated_out = jd.undated.data();
    int64_t first = INT64_MAX, last = INT64_MIN;
    uint8_t any_undated = 0;
    for (size_t off = 0; off < f.size; off += Evaluator::kChunk) {
      size_t len = std::min(Evaluator::kChunk, f.size - off);
      const Vec& days = ev_.Eval(rule.judged_on, f, off, len);
      const int64_t* da = days.a.data();
      const State* ds = days.s.data();
      uint8_t some_unknown = 0;
      for (size_t i = 0; i < len; ++i) some_unknown |= static_cast<uint8_t>(ds[i]);
      if (some_unknown == 0) {
        // Every date known (a work log's dates): copied, and their bounds taken.
        std::copy_n(da, len, day_out + off);
        std::fill_n(undated_out + off, len, uint8_t{0});
        internal::Bounds(da, len, first, last);
        continue;
      }
      for (size_t i = 0; i < len; ++i) {
        const bool dated = ds[i] == State::kKnown;
        const int64_t d = da[i];
        undated_out[off + i] = !dated;
        day_out[off + i] = dated ? d : today;
        any_undated |= !dated;
        first = dated && d < first ? d : first;
        last = dated && d > last ? d : last;
      }
    }
    jd.any_undated = any_undated != 0;
    jd.first = first;
    jd.last = last;
    if (!key.empty() && !ev_.errors().empty()) {
      // A date that could not be computed is not shared: each version computes it again.
      scratch_days_ = std::move(jd);
      judged_days_.erase(key);
      return scratch_days_;
    }
    return jd;
  }

  void Alias(uint32_t x, uint32_t base, Frame& f) {
    const auto& xv = rs_.rules[x].vars;
    const auto& bv = rs_.rules[base].vars;
    for (size_t k = 0; k < xv.size() && k < bv.size(); ++k) {
      if (xv[k] != bv[k]) f.vars[xv[k]] = f.vars.at(bv[k]);
    }
  }

  void SubjectOf(const dsl::RuleInfo& rule, const Frame& f, size_t i, std::string& document, std::string& subject,
                 uint32_t* entity = nullptr, uint32_t* row = nullptr) {
    // The subject is the last entity variable bound; a group or window adds its period.
    std::string window;
    for (auto it = rule.bindings.rbegin(); it != rule.bindings.rend(); ++it) {
      uint32_t var = it->kind == dsl::Binding::Kind::kConsecutive ? it->var2 : it->var;
      const internal::VarSlot& slot = f.vars.at(var);
      if (slot.groups) {
        if (window.empty()) {
          uint32_t g = (*slot.rows)[i];
          window = " (" + Date::FromDaysSinceEpoch(slot.groups->start[g])->ToString() + " to " +
                   Date::FromDaysSinceEpoch(slot.groups->end[g])->ToString() + ")";
        }
        continue;
      }
      uint32_t e = rs_.vars[var].type.id;
      uint32_t r = (*slot.rows)[i];
      document = ev_.facts().document(ev_.facts().RootOf(e, r));
      subject = ev_.facts().PathOf(e, r) + window;
      if (entity) *entity = e;
      if (row) *row = r;
      return;
    }
  }

  std::string Text(const dsl::RuleInfo& rule, uint32_t node) const {
    if (rule.source == nullptr) return "";
    return std::string(rule.source->Slice(rs_.expr(node).range));
  }

  std::string Value(uint32_t node, Language lang = Language::kEn) {
    const Vec& v = ev_.Buffer(node);
    return FormatValue(rs_, &ev_.facts(), rs_.expr(node).type, v.a[0], v.b[0], v.s[0], lang);
  }

  // Explanation of a condition for the row last evaluated (len 1).
  ExplainNode Explain(const dsl::RuleInfo& rule, uint32_t node) {
    const dsl::CExpr& e = rs_.expr(node);
    ExplainNode n;
    // Expressions may span lines in the rule file; the explanation shows them on one.
    for (char c : Text(rule, node)) {
      bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (blank && (n.expr.empty() || n.expr.back() == ' ')) continue;
      n.expr += blank ? ' ' : c;
    }
    while (!n.expr.empty() && n.expr.back() == ' ') n.expr.pop_back();
    n.value = Value(node);
    switch (e.op) {
      case Op::kAnd:
      case Op::kOr: {
        // Flatten chains of the same connective.
        std::vector<uint32_t> parts;
        std::vector<uint32_t> todo{e.args[1], e.args[0]};
        while (!todo.empty()) {
          uint32_t t = todo.back();
          todo.pop_back();
          if (rs_.expr(t).op == e.op) {
            todo.push_back(rs_.expr(t).args[1]);
            todo.push_back(rs_.expr(t).args[0]);
          } else {
            parts.push_back(t);
          }
        }
        for (uint32_t p : parts) n.children.push_back(Explain(rule, p));
        break;
      }
      case Op::kField: {
        const dsl::CExpr& base = rs_.expr(e.args[0]);
        if (base.type.kind == TypeKind::kEntity) {
          const dsl::FieldInfo& fi = rs_.entities[base.type.id].fields[e.index];
          if (!fi.open_norm.empty()) n.note = "open norm: " + fi.open_norm;
          if (fi.definition >= 0) n.note = "derived: " + rs_.definitions[fi.definition].name;
        }
        break;
      }
      case Op::kParamOn: {
        const Vec& d = ev_.Buffer(e.args[0]);
        if (d.s[0] == State::kKnown) {
          if (const dsl::ParamVersion* v = ev_.ParamVersionOn(e.index, d.a[0]))
            n.note = "in force from " + v->from.ToString();
        }
        n.children.push_back(Explain(rule, e.args[0]));
        break;
      }
      case Op::kParam: {
        if (const dsl::ParamVersion* v =
                explain_day_ != INT64_MIN ? ev_.ParamVersionOn(e.index, explain_day_) : ev_.ParamVersionAt(e.index)) {
          n.note = "in force from " + v->from.ToString();
        }
        break;
      }
      case Op::kLiteral:
      case Op::kSetLit:
      case Op::kVar:
      case Op::kAggregate:
      case Op::kGroupStart:
      case Op::kGroupEnd:
      case Op::kOwner:
        break;
      default:
        for (uint32_t a : e.args) {
          if (a == UINT32_MAX) continue;
          Op op = rs_.expr(a).op;
          if (op == Op::kLiteral || op == Op::kSetLit || op == Op::kVar) continue;
          n.children.push_back(Explain(rule, a));
        }
    }
    return n;
  }

  // Facts whose absence leaves `node` unknown, for the row last evaluated (row
  // `i` of frame `f`).
  void Missing(uint32_t node, const Frame& f, size_t i, std::vector<std::string>& paths,
               std::vector<std::string>& weigh, std::vector<std::string>& q_nl, std::vector<std::string>& q_en,
               int depth = 0) {
    if (node == UINT32_MAX || depth > 64) return;
    const dsl::CExpr& e = rs_.expr(node);
    const Vec& v = ev_.Buffer(node);
    if (v.s.empty() || v.s[0] != State::kUnknown) return;
    if (e.op == Op::kAggregate) {
      MissingInItems(node, f, i, paths, weigh, q_nl, q_en, depth);
      return;
    }
    if (e.op == Op::kField) {
      const Vec& base = ev_.Buffer(e.args[0]);
      const dsl::CExpr& be = rs_.expr(e.args[0]);
      if (!base.s.empty() && base.s[0] == State::kKnown && be.type.kind == TypeKind::kEntity) {
        const dsl::FieldInfo& fi = rs_.entities[be.type.id].fields[e.index];
        uint32_t row = static_cast<uint32_t>(base.a[0]);
        if (fi.definition >= 0) {
          // A derived fact is unknown because of the facts it is derived from.
          const dsl::DefinitionInfo& d = rs_.definitions[fi.definition];
          Frame one;
          one.size = 1;
          internal::VarSlot slot;
          slot.rows = std::make_shared<std::vector<uint32_t>>(1, row);
          one.vars.emplace(d.var, std::move(slot));
          ev_.Eval(d.body, one, 0, 1);
          Missing(d.body, one, 0, paths, weigh, q_nl, q_en, depth + 1);
          return;
        }
        std::string path = ev_.facts().PathOf(be.type.id, row);
        path += (path.empty() ? "" : ".") + fi.name;
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
          paths.push_back(path);
          for (const LangText& t : fi.ask) (t.lang == "nl" ? q_nl : q_en).push_back(t.value);
          if (!fi.open_norm.empty()) weigh.push_back(fi.open_norm);
        }
        return;
      }
    }
    for (uint32_t a : e.args) Missing(a, f, i, paths, weigh, q_nl, q_en, depth + 1);
  }

  // An unknown aggregate: the facts of the items whose filter is unknown, or
  // true with an unknown value (at most the first 20 items, so a long work log
  // gives a readable question). Items whose filter is false do not matter.
  void MissingInItems(uint32_t node, const Frame& f, size_t i, std::vector<std::string>& paths,
                      std::vector<std::string>& weigh, std::vector<std::string>& q_nl, std::vector<std::string>& q_en,
                      int depth) {
    const dsl::CExpr& e = rs_.expr(node);
    Frame one;
    one.size = 1;
    one.judged = f.judged;
    if (f.judged) one.judge_day = {f.judge_day[i]};
    for (const auto& [id, slot] : f.vars) {
      internal::VarSlot s;
      s.rows = std::make_shared<std::vector<uint32_t>>(1, (*slot.rows)[i]);
      s.groups = slot.groups;
      one.vars.emplace(id, std::move(s));
    }
    // Only the items the filter's key term lets through (a work log's day, a window).
    uint32_t lo = 0, hi = 0, lo2 = 0, hi2 = 0;
    State st = State::kKnown;
    const std::vector<uint32_t>* perm = nullptr;
    ev_.ItemRanges(node, one, 0, lo, hi, lo2, hi2, st, perm);
    if (st != State::kKnown) {
      Missing(e.args[0], one, 0, paths, weigh, q_nl, q_en, depth + 1);
      return;
    }
    size_t shown = 0;
    auto item = [&](uint32_t p) {
      Frame it = one;
      internal::VarSlot s;
      s.rows = std::make_shared<std::vector<uint32_t>>(1, (*perm)[p]);
      it.vars[e.index] = std::move(s);
      size_t before = paths.size();
      if (e.args[2] != UINT32_MAX) {
        const internal::Vec& cond = ev_.Eval(e.args[2], it, 0, 1);
        bool fails = cond.s[0] == State::kNone || (cond.s[0] == State::kKnown && cond.a[0] == 0);
        if (fails) return;
        Missing(e.args[2], it, 0, paths, weigh, q_nl, q_en, depth + 1);
      }
      if (e.args[1] != UINT32_MAX) {
        ev_.Eval(e.args[1], it, 0, 1);
        Missing(e.args[1], it, 0, paths, weigh, q_nl, q_en, depth + 1);
      }
      if (paths.size() > before) ++shown;
    };
    for (uint32_t p = lo; p < hi && shown < 20; ++p) item(p);
    for (uint32_t p = lo2; p < hi2 && shown < 20; ++p) item(p);
  }

  // Whether an undetermined subject waits on an open norm (then it is a review),
  // whatever the options: the kind of a finding does not depend on explaining it.
  bool NeedsWeighing(uint32_t rule_index, const std::vector<uint32_t>& xs, const Frame& f, size_t i, bool undated) {
    if (!ReadsOpenNorm(rule_index, xs)) return false;
    const dsl::RuleInfo& base = rs_.rules[rule_index];
    if (!ReadsAggregate(rule_index, xs)) {
      // The same walk as Missing (so the same nodes are evaluated), without the texts.
      bool open = false;
      if (undated) {
        ev_.Eval(base.judged_on, f, i, 1);
        OpenMissing(base.judged_on, open);
      }
      ev_.Eval(base.when, f, i, 1);
      OpenMissing(base.when, open);
      for (uint32_t u : base.unless) {
        ev_.Eval(u, f, i, 1);
        OpenMissing(u, open);
      }
      for (uint32_t x : xs) {
        ev_.Eval(rs_.rules[x].when, f, i, 1);
        OpenMissing(rs_.rules[x].when, open);
      }
      return open;
    }
    std::vector<std::string> paths, weigh, q_nl, q_en;
    if (undated) {
      ev_.Eval(base.judged_on, f, i, 1);
      Missing(base.judged_on, f, i, paths, weigh, q_nl, q_en);
    }
    ev_.Eval(base.when, f, i, 1);
    Missing(base.when, f, i, paths, weigh, q_nl, q_en);
    for (uint32_t u : base.unless) {
      ev_.Eval(u, f, i, 1);
      Missing(u, f, i, paths, weigh, q_nl, q_en);
    }
    for (uint32_t x : xs) {
      ev_.Eval(rs_.rules[x].when, f, i, 1);
      Missing(rs_.rules[x].when, f, i, paths, weigh, q_nl, q_en);
    }
    return !weigh.empty();
  }

  // Whether Missing would name an open norm for `node` at row `row` of the
  // chunk last evaluated: the nodes Missing visits, without an aggregate among them.
  void OpenMissing(uint32_t node, bool& open, size_t row = 0, int depth = 0) {
    if (node == UINT32_MAX || depth > 64) return;
    const dsl::CExpr& e = rs_.expr(node);
    const Vec& v = ev_.Buffer(node);
    if (v.s.size() <= row || v.s[row] != State::kUnknown) return;
    if (e.op == Op::kField) {
      const Vec& base = ev_.Buffer(e.args[0]);
      const dsl::CExpr& be = rs_.expr(e.args[0]);
      if (base.s.size() > row && base.s[row] == State::kKnown && be.type.kind == TypeKind::kEntity) {
        const dsl::FieldInfo& fi = rs_.entities[be.type.id].fields[e.index];
        if (fi.definition >= 0) {
          const dsl::DefinitionInfo& d = rs_.definitions[fi.definition];
          Frame one;
          one.size = 1;
          internal::VarSlot slot;
          slot.rows = std::make_shared<std::vector<uint32_t>>(1, static_cast<uint32_t>(base.a[row]));
          one.vars.emplace(d.var, std::move(slot));
          ev_.Eval(d.body, one, 0, 1);
          OpenMissing(d.body, open, 0, depth + 1);
          return;
        }
        open = open || !fi.open_norm.empty();
        return;
      }
    }
    for (uint32_t a : e.args) OpenMissing(a, open, row, depth + 1);
  }

  // Whether the review check of a rule evaluates its conditions (it reads an
  // open norm and no aggregate): then the chunk's subjects are checked at once.
  bool WeighsOpenNorm(uint32_t rule_index, const std::vector<uint32_t>& xs) {
    return ReadsOpenNorm(rule_index, xs) && !ReadsAggregate(rule_index, xs);
  }

  // NeedsWeighing for the chunk's frame rows off + rows[k] (each undetermined;
  // undated[k]: its legal date is unknown), evaluated together. The results go
  // to weigh_; when an evaluation fails, none do (and its message is dropped),
  // so that the subjects are checked one by one as before, in their order.
  void WeighChunk(uint32_t rule_index, const std::vector<uint32_t>& xs, const Frame& f, size_t off, size_t len,
                  const std::vector<uint32_t>& rows, const std::vector<uint8_t>& undated) {
    Evaluator::EveryOperand every(ev_);
    const dsl::RuleInfo& base = rs_.rules[rule_index];
    size_t errors = ev_.errors().size();
    Frame sub = f.Select(off, rows);
    size_t n = rows.size();
    std::vector<uint8_t> open(n, 0);
    auto walk = [&](uint32_t node, bool only_undated) {
      ev_.Eval(node, sub, 0, n);
      for (size_t k = 0; k < n; ++k) {
        if (only_undated && !undated[k]) continue;
        bool o = open[k] != 0;
        OpenMissing(node, o, k);
        open[k] = o;
      }
    };
    if (std::find(undated.begin(), undated.end(), 1) != undated.end()) walk(base.judged_on, true);
    walk(base.when, false);
    for (uint32_t u : base.unless) walk(u, false);
    for (uint32_t x : xs) walk(rs_.rules[x].when, false);
    if (ev_.errors().size() != errors) {
      ev_.errors().resize(errors);
      return;
    }
    weigh_.assign(len, -1);
    for (size_t k = 0; k < n; ++k) weigh_[rows[k]] = static_cast<int8_t>(open[k]);
  }

  // The chunk's result of WeighChunk for frame row i: 1 or 0, or -1 when not checked.
  int Weighed(size_t i) const {
    if (i < weigh_off_ || i - weigh_off_ >= weigh_.size()) return -1;
    return weigh_[i - weigh_off_];
  }
  std::vector<int8_t> weigh_;  // per row of the current chunk
  size_t weigh_off_ = 0;

  // Whether some node of a rule's conditions (its `judged on` date too, with
  // `judged_on`), or of a derived fact they read, satisfies `hit`.
  bool Reaches(uint32_t rule_index, bool judged_on, const std::function<bool(const dsl::CExpr&)>& hit) {
    bool found = false;
    std::set<uint32_t> seen;
    std::function<void(uint32_t)> walk = [&](uint32_t node) {
      if (node == UINT32_MAX || found) return;
      const dsl::CExpr& e = rs_.expr(node);
      if (hit(e)) found = true;
      if (e.op == Op::kField && rs_.expr(e.args[0]).type.kind == TypeKind::kEntity) {
        int32_t d = rs_.entities[rs_.expr(e.args[0]).type.id].fields[e.index].definition;
        if (d >= 0 && seen.insert(static_cast<uint32_t>(d)).second) walk(rs_.definitions[d].body);
      }
      for (uint32_t a : e.args) walk(a);
    };
    const dsl::RuleInfo& r = rs_.rules[rule_index];
    if (judged_on) walk(r.judged_on);
    walk(r.when);
    for (uint32_t u : r.unless) walk(u);
    return found;
  }

  // Per rule, cached: whether its conditions hold an aggregate, and whether they read an open norm.
  bool ReadsAggregate(uint32_t rule_index) {
    if (reads_aggregate_.empty()) reads_aggregate_.assign(rs_.rules.size(), -1);
    int8_t& known = reads_aggregate_[rule_index];
    if (known < 0)
      known = Reaches(rule_index, true, [](const dsl::CExpr& e) { return e.op == Op::kAggregate; }) ? 1 : 0;
    return known != 0;
  }
  bool ReadsOpenNorm(uint32_t rule_index) {
    if (reads_open_.empty()) reads_open_.assign(rs_.rules.size(), -1);
    int8_t& known = reads_open_[rule_index];
    if (known < 0) {
      known = Reaches(rule_index, false,
                      [&](const dsl::CExpr& e) {
                        return e.op == Op::kField && rs_.expr(e.args[0]).type.kind == TypeKind::kEntity &&
                               !rs_.entities[rs_.expr(e.args[0]).type.id].fields[e.index].open_norm.empty();
                      })
                  ? 1
                  : 0;
    }
    return known != 0;
  }
  std::vector<int8_t> reads_aggregate_, reads_open_;  // per rule: 1, 0, or -1 when not known yet

  // The same for a rule or any of its exceptions.
  bool ReadsOpenNorm(uint32_t rule_index, const std::vector<uint32_t>& xs) {
    return ReadsOpenNorm(rule_index) || std::any_of(xs.begin(), xs.end(), [&](uint32_t x) { return ReadsOpenNorm(x); });
  }
  bool ReadsAggregate(uint32_t rule_index, const std::vector<uint32_t>& xs) {
    return ReadsAggregate(rule_index) ||
           std::any_of(xs.begin(), xs.end(), [&](uint32_t x) { return ReadsAggregate(x); });
  }

  void Assertions(uint32_t node, std::vector<std::string>& out) {
    if (node == UINT32_MAX) return;
    const dsl::CExpr& e = rs_.expr(node);
    if (e.op == Op::kField && rs_.expr(e.args[0]).type.kind == TypeKind::kEntity) {
      const dsl::FieldInfo& fi = rs_.entities[rs_.expr(e.args[0]).type.id].fields[e.index];
      const Vec& v = ev_.Buffer(node);
      if (!fi.open_norm.empty() && v.s[0] == State::kKnown) {
        std::string s = fi.open_norm + ": " + (v.a[0] ? "yes" : "no") + " (asserted, not weighed by normwerk)";
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
      }
      return;
    }
    if (e.op == Op::kAggregate) return;
    for (uint32_t a : e.args) Assertions(a, out);
  }

  std::string RenderTemplate(const std::vector<dsl::Template>& ts, const std::string& lang, const Frame& f, size_t i) {
    for (const dsl::Template& t : ts) {
      if (t.lang != lang) continue;
      std::string s = t.pieces[0];
      for (size_t h = 0; h < t.holes.size(); ++h) {
        ev_.Eval(t.holes[h], f, i, 1);
        s += Value(t.holes[h], lang == "nl" ? Language::kNl : Language::kEn);
        s += t.pieces[h + 1];
      }
      // Messages may span lines in the rule file; they read as one paragraph.
      std::string out;
      bool space = false;
      for (char c : s) {
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
          space = true;
        } else {
          if (space && !out.empty()) out += ' ';
          space = false;
          out += c;
        }
      }
      return out;
    }
    return "";
  }

  static std::string TitleOf(const std::vector<LangText>& title, const std::string& lang) {
    for (const LangText& t : title) {
      if (t.lang == lang) return t.value;
    }
    return title.empty() ? "" : title.front().value;
  }

  // Compact reports: the rule, the kind and the subject's row, without texts
  // (a small function of its own: most findings of a batch run take it).
  void EmitCompact(uint32_t rule_index, const Frame& f, size_t i, const Resolution& r, const std::vector<uint32_t>& xs,
                   bool undated) {
    // Weighing open norms reads every node's value: no operand is skipped.
    Evaluator::EveryOperand every(ev_);
    const dsl::RuleInfo& base = rs_.rules[rule_index];
    uint32_t shown = rule_index;  // the rule whose kind the finding carries
    if (r.verdict == Verdict::kExceptionFinding) shown = xs[r.winner];
    CompactFinding c;
    c.rule_index = shown;
    c.kind = r.verdict == Verdict::kConflict ? dsl::FindingKind::kConflict
             : r.verdict == Verdict::kUndetermined
                 ? (Weighed(i) == 1 || (Weighed(i) < 0 && NeedsWeighing(rule_index, xs, f, i, undated))
                        ? dsl::FindingKind::kReview
                        : dsl::FindingKind::kUndetermined)
                 : rs_.rules[shown].kind;
    // The subject: the last entity variable bound (found once per rule and frame).
    if (subject_frame_ != &f || subject_rule_ != rule_index) {
      subject_frame_ = &f;
      subject_rule_ = rule_index;
      subject_rows_ = nullptr;
      for (auto it = base.bindings.rbegin(); it != base.bindings.rend(); ++it) {
        uint32_t var = it->kind == dsl::Binding::Kind::kConsecutive ? it->var2 : it->var;
        const internal::VarSlot& slot = f.vars.at(var);
        if (slot.groups) continue;
        subject_entity_ = rs_.vars[var].type.id;
        subject_rows_ = slot.rows.get();
        break;
      }
    }
    if (subject_rows_ != nullptr) {
      c.entity = subject_entity_;
      c.row = (*subject_rows_)[i];
    }
    report_.compact.push_back(c);
  }

  void Emit(uint32_t rule_index, const Frame& f, size_t i, const Resolution& r, const std::vector<uint32_t>& xs,
            const std::vector<ExceptionState>& states, State level_state, int64_t level_value, bool undated) {
    // Explanations and missing facts read every node's value: no operand is skipped.
    Evaluator::EveryOperand every(ev_);
    const dsl::RuleInfo& base = rs_.rules[rule_index];
    uint32_t shown = rule_index;  // the rule whose text the finding carries
    if (r.verdict == Verdict::kExceptionFinding) shown = xs[r.winner];
    const dsl::RuleInfo& rule = rs_.rules[shown];
    Finding fd;
    fd.rule = rule.id;
    fd.rule_index = shown;
    fd.declared_kind = rule.kind;
    fd.kind = rule.kind;
    fd.severity = rule.severity;
    fd.amended_by = rule.amended_by;
    SubjectOf(base, f, i, fd.document, fd.subject, &fd.entity, &fd.row);
    const RuleTexts& texts = TextsOf(shown);
    fd.title_nl = texts.title_nl;
    fd.title_en = texts.title_en;
    fd.citations = texts.citations;
    explain_day_ = f.judged ? f.judge_day[i] : INT64_MIN;
    if (options_.explain) {
      std::set<uint32_t> params, defs;
      CollectParams(rs_, rule.when, params, defs);
      for (uint32_t u : rule.unless) CollectParams(rs_, u, params, defs);
      for (uint32_t p : params) {
        const dsl::ParamVersion* v = f.judged ? ev_.ParamVersionOn(p, f.judge_day[i]) : ev_.ParamVersionAt(p);
        if (v == nullptr) continue;
        const dsl::ParamInfo& pi = rs_.params[p];
        fd.parameters.push_back(ParamUse{pi.name,
                                         CanonicalValue(rs_, nullptr, pi.type, v->value.a, v->value.b, State::kKnown),
                                         v->from, v->to, v->source_note});
      }
      // Explanation of the base rule's condition (and the deciding exception's, when it decided).
      ev_.Eval(base.when, f, i, 1);
      ExplainNode root;
      root.expr = "when";
      root.value = Value(base.when);
      root.children.push_back(Explain(base, base.when));
      if (root.children.front().expr.size() > 0 && !root.children.front().children.empty() &&
          (rs_.expr(base.when).op == Op::kAnd || rs_.expr(base.when).op == Op::kOr)) {
        // `when a and b`: the connective's parts stand directly under `when`.
        ExplainNode chain = std::move(root.children.front());
        root.children = std::move(chain.children);
        root.note = rs_.expr(base.when).op == Op::kAnd ? "all of" : "any of";
      }
      if (undated) {
        ev_.Eval(base.judged_on, f, i, 1);
        Missing(base.judged_on, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      }
      Missing(base.when, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      Assertions(base.when, fd.assertions);
      for (uint32_t u : base.unless) {
        ev_.Eval(u, f, i, 1);
        ExplainNode un = Explain(base, u);
        un.note = "unless";
        root.children.push_back(std::move(un));
        Missing(u, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
        Assertions(u, fd.assertions);
      }
      fd.explanation = std::move(root);
      for (size_t k = 0; k < xs.size(); ++k) {
        const dsl::RuleInfo& x = rs_.rules[xs[k]];
        ExceptionNote note;
        note.rule = x.id;
        note.outcome = states[k].applies == Truth::kTrue    ? "applies"
                       : states[k].applies == Truth::kFalse ? "does not apply"
                                                            : "unknown";
        note.citations = Citations(rs_, x.cites);
        ev_.Eval(x.when, f, i, 1);
        note.explanation = Explain(x, x.when);
        if (states[k].applies == Truth::kUnknown)
          Missing(x.when, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
        fd.exceptions.push_back(std::move(note));
      }
      if (base.source_expr != UINT32_MAX) {
        std::string lvl =
            level_state == State::kKnown ? rs_.enums[dsl::kSourceLevelEnum].values[level_value] : "unknown";
        fd.decided_by = "lex superior: the law prevails over a " + lvl + " that it does not let deviate";
      }
    }
    if (!options_.explain && options_.missing && r.verdict == Verdict::kUndetermined) {
      // The facts it waits on, without the explanation trees.
      if (undated) {
        ev_.Eval(base.judged_on, f, i, 1);
        Missing(base.judged_on, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      }
      ev_.Eval(base.when, f, i, 1);
      Missing(base.when, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      for (uint32_t u : base.unless) {
        ev_.Eval(u, f, i, 1);
        Missing(u, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      }
      for (size_t k = 0; k < xs.size(); ++k) {
        if (states[k].applies != Truth::kUnknown) continue;
        ev_.Eval(rs_.rules[xs[k]].when, f, i, 1);
        Missing(rs_.rules[xs[k]].when, f, i, fd.missing, fd.weigh, fd.questions_nl, fd.questions_en);
      }
    }
    bool have_missing = options_.explain || options_.missing;
    switch (r.verdict) {
      case Verdict::kFinding:
      case Verdict::kExceptionFinding:
        if (options_.explain) {
          fd.message_nl = RenderTemplate(rule.message, "nl", f, i);
          fd.message_en = RenderTemplate(rule.message, "en", f, i);
          fd.remedy_nl = RenderTemplate(rule.remedy, "nl", f, i);
          fd.remedy_en = RenderTemplate(rule.remedy, "en", f, i);
        }
        if (r.verdict == Verdict::kExceptionFinding) fd.decided_by = "lex specialis: exception to " + base.id;
        break;
      case Verdict::kUndetermined: {
        bool review = have_missing ? !fd.weigh.empty() : NeedsWeighing(rule_index, xs, f, i, undated);
        fd.kind = review ? dsl::FindingKind::kReview : dsl::FindingKind::kUndetermined;
        std::string facts;
        for (const std::string& m : fd.missing) facts += (facts.empty() ? "" : ", ") + m;
        if (review) {
          std::string what;
          for (const std::string& w : fd.weigh) what += (what.empty() ? "" : "; ") + w;
          fd.message_en = "A person must weigh: " + what + ". The rule cannot decide this" +
                          (facts.empty() ? "." : " (open: " + facts + ").");
          fd.message_nl = "Een mens moet wegen: " + what + ". De regel kan dit niet beslissen" +
                          (facts.empty() ? "." : " (open: " + facts + ").");
        } else {
          fd.message_en =
              "Cannot decide without: " + (facts.empty() ? std::string("facts an exception needs") : facts) + ".";
          fd.message_nl =
              "Niet te beslissen zonder: " + (facts.empty() ? std::string("feiten voor een uitzondering") : facts) +
              ".";
        }
        break;
      }
      case Verdict::kConflict: {
        const std::string& a = rs_.rules[xs[r.winner]].id;
        const std::string& b = rs_.rules[xs[r.other]].id;
        fd.rule = base.id;
        fd.kind = dsl::FindingKind::kConflict;
        fd.severity = dsl::SeverityLevel::kHigh;
        fd.message_en = "Exceptions `" + a + "` and `" + b + "` to `" + base.id +
                        "` both apply and lead to different outcomes; no priority decides between them.";
        fd.message_nl = "Uitzonderingen `" + a + "` en `" + b + "` op `" + base.id +
                        "` zijn allebei van toepassing en leiden tot verschillende uitkomsten; geen voorrang beslist.";
        fd.decided_by = "none: lex specialis does not decide between two exceptions of the same rule";
        break;
      }
      default:
        break;
    }
    report_.findings.push_back(std::move(fd));
  }

  // Texts that are the same for every finding of a rule, built once.
  struct RuleTexts {
    std::string title_nl, title_en;
    std::vector<CitationRef> citations;
  };
  const RuleTexts& TextsOf(uint32_t rule) {
    auto it = texts_.find(rule);
    if (it != texts_.end()) return it->second;
    const dsl::RuleInfo& r = rs_.rules[rule];
    RuleTexts t{TitleOf(r.title, "nl"), TitleOf(r.title, "en"), Citations(rs_, r.cites)};
    return texts_.emplace(rule, std::move(t)).first->second;
  }
  std::map<uint32_t, RuleTexts> texts_;
  std::vector<uint8_t, internal::UninitAllocator<uint8_t>> undated_;  // rows of a judged rule whose date is unknown
  int64_t explain_day_ = INT64_MIN;  // the subject's legal date while explaining a judged rule
  const Program& program_;
  const dsl::CheckedRuleSet& rs_;
  Evaluator& ev_;
  const EvalOptions& options_;
  Report& report_;
};

}  // namespace

Program Program::Compile(const dsl::CheckedRuleSet& rules) {
  Program p;
  p.rules_ = &rules;
  p.compiled_.resize(rules.rules.size());
  for (uint32_t i = 0; i < rules.rules.size(); ++i) {
    CompiledRule& c = p.compiled_[i];
    c.index = i;
    c.is_exception = !rules.rules[i].exception_to_id.empty();
    std::set<uint32_t> params, defs;
    CollectParams(rules, rules.rules[i].when, params, defs);
    for (uint32_t u : rules.rules[i].unless) CollectParams(rules, u, params, defs);
    c.params.assign(params.begin(), params.end());
  }
  for (uint32_t i = 0; i < rules.rules.size(); ++i) {
    if (rules.rules[i].exception_to_id.empty()) continue;
    for (uint32_t j = 0; j < rules.rules.size(); ++j) {
      if (rules.rules[j].id == rules.rules[i].exception_to_id) p.compiled_[j].exceptions.push_back(i);
    }
  }
  return p;
}

Report Program::Evaluate(FactStore& facts, const EvalOptions& options) const {
  Report report;
  report.as_of = options.as_of;
  report.rule_set_hash = rules_->hash;
  Evaluator ev(*rules_, facts, options.as_of);
  if (options.only_rules.empty()) {
    ev.ComputeDefinitions();
  } else {
    // Only the derived facts the chosen rules (and their exceptions) read.
    std::vector<bool> needed(rules_->definitions.size(), false);
    std::set<uint32_t> params, defs;
    for (uint32_t i = 0; i < rules_->rules.size(); ++i) {
      const dsl::RuleInfo& r = rules_->rules[i];
      std::string base = r.exception_to_id.empty() ? r.id : r.exception_to_id;
      bool chosen = std::find(options.only_rules.begin(), options.only_rules.end(), r.id) != options.only_rules.end() ||
                    std::find(options.only_rules.begin(), options.only_rules.end(), base) != options.only_rules.end();
      // Exceptions of exceptions: follow the chain up.
      for (int hop = 0; !chosen && hop < 16 && !base.empty(); ++hop) {
        std::string next;
        for (const dsl::RuleInfo& x : rules_->rules) {
          if (x.id == base) next = x.exception_to_id;
        }
        base = next;
        chosen = !base.empty() &&
                 std::find(options.only_rules.begin(), options.only_rules.end(), base) != options.only_rules.end();
      }
      if (!chosen) continue;
      CollectParams(*rules_, r.when, params, defs);
      for (uint32_t u : r.unless) CollectParams(*rules_, u, params, defs);
      if (r.judged_on != UINT32_MAX) CollectParams(*rules_, r.judged_on, params, defs);
      if (r.source_expr != UINT32_MAX) CollectParams(*rules_, r.source_expr, params, defs);
      for (const dsl::CBinding& b : r.bindings) {
        if (b.collection != UINT32_MAX) CollectParams(*rules_, b.collection, params, defs);
      }
      for (const auto& ts : {r.message, r.remedy}) {
        for (const dsl::Template& t : ts) {
          for (uint32_t h : t.holes) CollectParams(*rules_, h, params, defs);
        }
      }
    }
    for (uint32_t d : defs) needed[d] = true;
    ev.ComputeDefinitions(&needed);
  }
  RuleRunner runner(*this, ev, options, report);
  for (uint32_t i = 0; i < rules_->rules.size(); ++i) {
    const dsl::RuleInfo& r = rules_->rules[i];
    // A rule judged on the subject's own date runs in every version; others in the one in force.
    if (compiled_[i].is_exception || (r.judged_on == UINT32_MAX && !ValidOn(r, options.as_of))) continue;
    if (!options.only_rules.empty() &&
        std::find(options.only_rules.begin(), options.only_rules.end(), r.id) == options.only_rules.end()) {
      continue;
    }
    runner.Run(i);
  }
  // Deterministic order: document, then subject, then rule.
  // Sort an index, then move each finding once.
  std::vector<uint32_t> order(report.findings.size());
  std::iota(order.begin(), order.end(), 0u);
  const auto& fs = report.findings;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const Finding& a = fs[x];
    const Finding& b = fs[y];
    return std::tie(a.document, a.entity, a.row, a.subject, a.rule) <
           std::tie(b.document, b.entity, b.row, b.subject, b.rule);
  });
  std::vector<Finding> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(std::move(report.findings[i]));
  report.findings = std::move(sorted);
  return report;
}

}  // namespace nw::engine
