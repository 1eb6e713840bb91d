// Overflow-checked int64 arithmetic: every operation returns nullopt instead of
// wrapping or invoking undefined behaviour. Wraps the GCC/Clang __builtin_*_overflow.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace nw {

// a + b, or nullopt on overflow.
constexpr std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_add_overflow(a, b, &result)) return std::nullopt;
  return result;
}

// a - b, or nullopt on overflow.
constexpr std::optional<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_sub_overflow(a, b, &result)) return std::nullopt;
  return result;
}

// a * b, or nullopt on overflow.
constexpr std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t result = 0;
  if (__builtin_mul_overflow(a, b, &result)) return std::nullopt;
  return result;
}

// -a, or nullopt for INT64_MIN.
constexpr std::optional<int64_t> CheckedNeg(int64_t a) {
  int64_t result = 0;
  if (__builtin_sub_overflow(int64_t{0}, a, &result)) return std::nullopt;
  return result;
}

// a / b truncated toward zero (like C++ `/`), or nullopt when b == 0 or for INT64_MIN / -1.
constexpr std::optional<int64_t> CheckedDiv(int64_t a, int64_t b) {
  if (b == 0) return std::nullopt;
  if (a == std::numeric_limits<int64_t>::min() && b == -1) return std::nullopt;
  return a / b;
}

}  // namespace nw
