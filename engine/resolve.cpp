// The resolution function (see resolve.hpp and docs/semantics.md).
#include "engine/resolve.hpp"

#include <algorithm>

namespace nw::engine {

Resolution Resolve(Truth condition, Truth deviation, const std::vector<ExceptionState>& exceptions) {
  Resolution r;
  // 1. A failed computation decides nothing: the rule reports an error for the subject.
  if (condition == Truth::kError) {
    r.verdict = Verdict::kError;
    return r;
  }
  // 2. The rule's condition is false: no finding, whatever the exceptions say.
  if (condition == Truth::kFalse) return r;

  // The condition is true or unknown. Collect the exceptions that apply, in
  // order: two lists on the stack (a rule has a few exceptions), past 32 on the heap.
  const size_t n = exceptions.size();
  constexpr size_t kFixed = 32;
  uint32_t fixed[2 * kFixed];
  std::vector<uint32_t> heap;
  uint32_t* applying = fixed;
  if (n > kFixed) {
    heap.resize(2 * n);
    applying = heap.data();
  }
  uint32_t* top = applying + (n > kFixed ? n : kFixed);
  size_t n_applying = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (exceptions[i].applies == Truth::kTrue) applying[n_applying++] = i;
    if (exceptions[i].applies == Truth::kUnknown || exceptions[i].applies == Truth::kError) r.undecided.push_back(i);
  }
  // An applying exception that another applying exception has priority over drops out.
  size_t n_top = 0;
  for (size_t a = 0; a < n_applying; ++a) {
    const uint32_t i = applying[a];
    bool beaten = false;
    for (size_t b = 0; b < n_applying && !beaten; ++b) {
      const uint32_t j = applying[b];
      const auto& p = exceptions[j].prevails_over;
      beaten = j != i && std::find(p.begin(), p.end(), i) != p.end();
    }
    if (!beaten) top[n_top++] = i;
  }
  if (n_top > 0) {
    // 3. Exceptions apply. Those that yield nothing of their own agree with each other;
    //    two that yield different findings, with no priority between them, are a conflict.
    size_t n_with_finding = 0;
    uint32_t first_with_finding = 0;
    for (size_t t = 0; t < n_top; ++t) {
      if (!exceptions[top[t]].produces_finding) continue;
      if (n_with_finding == 0) first_with_finding = top[t];
      ++n_with_finding;
    }
    if (n_with_finding >= 2 || (n_with_finding == 1 && n_top > 1)) {
      r.verdict = Verdict::kConflict;
      r.winner = static_cast<int32_t>(top[0]);
      r.other = static_cast<int32_t>(top[1]);
      return r;
    }
    if (n_with_finding == 1) {
      r.verdict = Verdict::kExceptionFinding;
      r.winner = static_cast<int32_t>(first_with_finding);
      return r;
    }
    r.verdict = Verdict::kOverridden;
    r.winner = static_cast<int32_t>(top[0]);
    return r;
  }
  // 4. No exception applies for certain. If one might, or the condition itself is
  //    unknown, the outcome is undetermined.
  if (condition == Truth::kUnknown || !r.undecided.empty()) {
    r.verdict = Verdict::kUndetermined;
    return r;
  }
  // 5. The norm holds for the subject. If the judged source may deviate from it
  //    (the law lets a CAO or agreement deviate), lex superior yields: no finding.
  if (deviation == Truth::kTrue) {
    r.verdict = Verdict::kDeviationAllowed;
    return r;
  }
  if (deviation == Truth::kUnknown) {
    r.verdict = Verdict::kUndetermined;
    return r;
  }
  // 6. Otherwise the rule's finding stands.
  r.verdict = Verdict::kFinding;
  return r;
}

}  // namespace nw::engine
