// The engine's side of the end-to-end measurements: W1 JSON lines and the W2
// employer document and CSV work log read into a FactStore through the
// engine's own fact interfaces (LoadJsonDocument, ParseFactValue).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/facts.hpp"

namespace nw::bench {

/// Reads JSON lines, one `case` document per line, and seals the store.
bool LoadW1Jsonl(engine::FactStore& store, std::string_view text, std::vector<engine::FactError>& errors);

/// Reads the employer document and the CSV work log (cells as in a JSON
/// string: empty = unknown, `null` = none; records grouped by employee in the
/// order of the employer document) and seals the store.
bool LoadW2(engine::FactStore& store, std::string_view employer_json, const std::string& csv_path,
            std::vector<engine::FactError>& errors);

}  // namespace nw::bench
