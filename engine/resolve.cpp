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

  // The condition is true or unknown. Collect the exceptions that apply.
  std::vector<uint32_t> applying;
  for (uint32_t i = 0; i < exceptions.size(); ++i) {
    if (exceptions[i].applies == Truth::kTrue) applying.push_back(i);
    if (exceptions[i].applies == Truth::kUnknown || exceptions[i].applies == Truth::kError) r.undecided.push_back(i);
  }
  // An applying exception that another applying exception has priority over drops out.
  std::vector<uint32_t> top;
  for (uint32_t i : applying) {
    bool beaten = std::any_of(applying.begin(), applying.end(), [&](uint32_t j) {
      const auto& p = exceptions[j].prevails_over;
      return j != i && std::find(p.begin(), p.end(), i) != p.end();
    });
    if (!beaten) top.push_back(i);
  }
  if (!top.empty()) {
    // 3. Exceptions apply. Those that yield nothing of their own agree with each other;
    //    two that yield different findings, with no priority between them, are a conflict.
    std::vector<uint32_t> with_finding;
    for (uint32_t i : top) {
      if (exceptions[i].produces_finding) with_finding.push_back(i);
    }
    if (with_finding.size() >= 2 || (with_finding.size() == 1 && top.size() > 1)) {
      r.verdict = Verdict::kConflict;
      r.winner = static_cast<int32_t>(top[0]);
      r.other = static_cast<int32_t>(top[1]);
      return r;
    }
    if (with_finding.size() == 1) {
      r.verdict = Verdict::kExceptionFinding;
      r.winner = static_cast<int32_t>(with_finding[0]);
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
