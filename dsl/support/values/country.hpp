// ISO 3166-1 alpha-2 country codes: validation and English/Dutch short names.
#pragma once

#include <string_view>

#include "dsl/support/values/lang.hpp"

namespace nw {

// True when `code` is one of the 249 officially assigned ISO 3166-1 alpha-2 codes, in
// uppercase ("NL", "DE"). Lowercase, user-assigned ("XK") and reserved ("UK", "EU") codes
// are rejected.
bool IsIsoCountry(std::string_view code);

// Short country name in `lang` ("NL" -> "Netherlands" / "Nederland"); for a code that is not
// an assigned code, `code` itself (the returned view then aliases the argument).
std::string_view CountryName(std::string_view code, Lang lang);

}  // namespace nw
