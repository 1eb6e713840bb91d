// Values as people read them, in Dutch or English: dates, amounts, durations.
#pragma once

#include <string>

#include "dsl/checked.hpp"
#include "engine/facts.hpp"

namespace nw::engine {

enum class Language : uint8_t { kNl, kEn };

/// The text of a value of a type (`30 June 2024`, `€2.35`, `11 hours`).
std::string FormatValue(const dsl::CheckedRuleSet& rules, const FactStore* facts, dsl::Type type, int64_t a,
                        int64_t b, State state, Language lang);

/// The canonical (language-neutral) text of a value, as in JSON output: `2024-06-30`, `2.35`, `2 months`.
std::string CanonicalValue(const dsl::CheckedRuleSet& rules, const FactStore* facts, dsl::Type type, int64_t a,
                           int64_t b, State state);

}  // namespace nw::engine
