// Renders diagnostics: clang-like for people, one line per diagnostic for
// tools (GNU style), and JSON for editors and scripts.
#pragma once

#include <string>
#include <vector>

#include "dsl/support/diagnostic.hpp"

namespace nw {

/// Options for the human renderer.
struct RenderOptions {
  bool color = false;  // ANSI colours; the CLI turns this on only for a terminal without NO_COLOR
};

/// `file:line:col: error: message`, the source line, a caret line, labels and help.
std::string RenderHuman(const Diagnostic& d, const RenderOptions& options = {});
/// `file:line:col: error[code]: message` on one line.
std::string RenderGnu(const Diagnostic& d);
/// Human rendering of many diagnostics followed by a count line.
std::string RenderAllHuman(const std::vector<Diagnostic>& ds, const RenderOptions& options = {});

}  // namespace nw
