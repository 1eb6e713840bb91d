// Resolve (engine/resolve.cpp) against a plain statement of docs/semantics.md
// §2 over random rules with up to 70 exceptions: the function lists the
// applying exceptions on the stack up to 32 and on the heap past that, and
// both must decide as the statement does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/resolve.hpp"

namespace nw::engine {
namespace {

// The semantics written out with vectors, case by case.
Resolution Reference(Truth condition, Truth deviation, const std::vector<ExceptionState>& xs) {
  Resolution r;
  if (condition == Truth::kError) {
    r.verdict = Verdict::kError;
    return r;
  }
  if (condition == Truth::kFalse) return r;
  std::vector<uint32_t> applying;
  for (uint32_t i = 0; i < xs.size(); ++i) {
    if (xs[i].applies == Truth::kTrue) applying.push_back(i);
    if (xs[i].applies == Truth::kUnknown || xs[i].applies == Truth::kError) r.undecided.push_back(i);
  }
  std::vector<uint32_t> top;
  for (uint32_t i : applying) {
    bool beaten = std::any_of(applying.begin(), applying.end(), [&](uint32_t j) {
      return j != i && std::count(xs[j].prevails_over.begin(), xs[j].prevails_over.end(), i) > 0;
    });
    if (!beaten) top.push_back(i);
  }
  if (!top.empty()) {
    std::vector<uint32_t> with_finding;
    for (uint32_t i : top) {
      if (xs[i].produces_finding) with_finding.push_back(i);
    }
    if (with_finding.size() >= 2 || (with_finding.size() == 1 && top.size() > 1)) {
      r.verdict = Verdict::kConflict;
      r.winner = static_cast<int32_t>(top[0]);
      r.other = static_cast<int32_t>(top[1]);
    } else if (with_finding.size() == 1) {
      r.verdict = Verdict::kExceptionFinding;
      r.winner = static_cast<int32_t>(with_finding[0]);
    } else {
      r.verdict = Verdict::kOverridden;
      r.winner = static_cast<int32_t>(top[0]);
    }
    return r;
  }
  if (condition == Truth::kUnknown || !r.undecided.empty()) {
    r.verdict = Verdict::kUndetermined;
  } else if (deviation == Truth::kTrue) {
    r.verdict = Verdict::kDeviationAllowed;
  } else if (deviation == Truth::kUnknown) {
    r.verdict = Verdict::kUndetermined;
  } else {
    r.verdict = Verdict::kFinding;
  }
  return r;
}

TEST(Resolve, AgreesWithTheStatementUpToSeventyExceptions) {
  uint64_t seed = 3;
  auto next = [&](uint32_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33) % n;
  };
  const Truth truths[] = {Truth::kFalse, Truth::kTrue, Truth::kUnknown, Truth::kError};
  std::vector<int> verdicts(8, 0);
  for (int round = 0; round < 20000; ++round) {
    const size_t n = next(4) == 0 ? 33 + next(38) : next(34);  // around and past the 32 kept on the stack
    std::vector<ExceptionState> xs(n);
    const uint32_t apply_odds = 1 + next(8);  // from most exceptions applying to few
    for (uint32_t i = 0; i < n; ++i) {
      xs[i].applies = next(apply_odds) == 0 ? Truth::kTrue : truths[next(4)];
      xs[i].produces_finding = next(3) == 0;
      for (uint32_t k = next(3); k > 0; --k) {
        uint32_t j = next(static_cast<uint32_t>(n));
        if (j != i) xs[i].prevails_over.push_back(j);
      }
    }
    const Truth condition = next(5) == 0 ? truths[next(4)] : Truth::kTrue;
    const Truth deviation = truths[next(3)];
    Resolution got = Resolve(condition, deviation, xs), want = Reference(condition, deviation, xs);
    ASSERT_EQ(static_cast<int>(got.verdict), static_cast<int>(want.verdict)) << "round " << round << ", " << n;
    EXPECT_EQ(got.winner, want.winner) << "round " << round;
    EXPECT_EQ(got.other, want.other) << "round " << round;
    EXPECT_EQ(got.undecided, want.undecided) << "round " << round;
    ++verdicts[static_cast<size_t>(want.verdict)];
  }
  // Every verdict was compared.
  for (size_t v = 0; v < verdicts.size(); ++v) EXPECT_GT(verdicts[v], 0) << "verdict " << v;
}

}  // namespace
}  // namespace nw::engine
