// Prints diagnostics in the format the user asked for: text (clang-like),
// gnu (one line each) or json.
#pragma once

#include <string>
#include <vector>

#include "dsl/support/diagnostic.hpp"

namespace nw::cli {

/// Renders diagnostics as `format` ("text", "gnu" or "json").
std::string RenderDiagnostics(const std::vector<Diagnostic>& ds, const std::string& format, bool color);

}  // namespace nw::cli
