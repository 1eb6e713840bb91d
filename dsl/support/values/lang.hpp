// Output language for human-readable formatting of value types.
// Only presentation depends on it; parsing and semantics never do.
#pragma once

#include <cstdint>

namespace nw {

// Language used by the Format() functions of the value types.
enum class Lang : uint8_t {
  kNl,  // Dutch: "€ 1.234,56", "30 juni 2024"
  kEn,  // English: "€1,234.56", "30 June 2024"
};

}  // namespace nw
