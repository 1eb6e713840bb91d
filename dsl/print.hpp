// Prints a syntax tree in the canonical layout (`normwerk fmt`).
#pragma once

#include <string>

#include "dsl/syntax.hpp"

namespace nw::dsl {

/// The canonical text of a file, comments kept. Printing is idempotent and
/// parsing the result gives the same tree (ranges aside).
std::string Print(const SyntaxTree& tree);

/// The canonical text of one expression.
std::string PrintExpr(const SyntaxTree& tree, ExprId id);

}  // namespace nw::dsl
