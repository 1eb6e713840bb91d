// Parses a `.norm` file into a syntax tree. Boost.Spirit X3 is used inside
// dsl/parser/ only; no X3 type crosses this header.
#pragma once

#include <optional>

#include "dsl/support/diagnostic.hpp"
#include "dsl/support/source.hpp"
#include "dsl/syntax.hpp"

namespace nw::dsl {

/// Parses one source. Syntax errors are reported to the sink with their
/// position; parsing resumes at the next top-level item, so one call reports
/// every item that does not parse. The tree holds the items that did parse.
SyntaxTree Parse(const Source& source, DiagnosticSink& sink);

/// Words the language reserves; they cannot name a variable, field or rule part.
bool IsReservedWord(std::string_view word);

}  // namespace nw::dsl
