// Tests for ISO 3166-1 alpha-2 validation and country names.
#include "dsl/support/values/country.hpp"

#include <gtest/gtest.h>

#include <string>

namespace nw {
namespace {

TEST(Country, AssignedCodes) {
  for (const char* code : {"NL", "BE", "DE", "FR", "LU", "AT", "ES", "IT", "PL", "PT", "GB",
                           "US", "CH", "NO", "AD", "ZW", "AX", "BQ", "CW", "SX", "SS", "TL"}) {
    EXPECT_TRUE(IsIsoCountry(code)) << code;
  }
}

TEST(Country, RejectsUnassignedReservedAndMalformed) {
  for (const char* code : {"nl", "Nl", "UK", "EU", "EL", "XK", "AA", "ZZ", "QZ", "AN", "YU", "NLD",
                           "N", "", " NL", "N1"}) {
    EXPECT_FALSE(IsIsoCountry(code)) << code;
  }
}

TEST(Country, ExactlyTheAssignedCount) {
  int count = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      if (IsIsoCountry(std::string{a, b})) ++count;
    }
  }
  EXPECT_EQ(count, 249);
}

TEST(Country, NamesInBothLanguages) {
  EXPECT_EQ(CountryName("NL", Lang::kEn), "Netherlands");
  EXPECT_EQ(CountryName("NL", Lang::kNl), "Nederland");
  EXPECT_EQ(CountryName("BE", Lang::kEn), "Belgium");
  EXPECT_EQ(CountryName("BE", Lang::kNl), "Belgi\u00EB");
  EXPECT_EQ(CountryName("DE", Lang::kNl), "Duitsland");
  EXPECT_EQ(CountryName("FR", Lang::kNl), "Frankrijk");
  EXPECT_EQ(CountryName("LU", Lang::kNl), "Luxemburg");
  EXPECT_EQ(CountryName("AT", Lang::kNl), "Oostenrijk");
  EXPECT_EQ(CountryName("ES", Lang::kNl), "Spanje");
  EXPECT_EQ(CountryName("IT", Lang::kNl), "Itali\u00EB");
  EXPECT_EQ(CountryName("PL", Lang::kNl), "Polen");
  EXPECT_EQ(CountryName("PT", Lang::kNl), "Portugal");
  EXPECT_EQ(CountryName("GB", Lang::kEn), "United Kingdom");
  EXPECT_EQ(CountryName("GB", Lang::kNl), "Verenigd Koninkrijk");
  EXPECT_EQ(CountryName("US", Lang::kNl), "Verenigde Staten");
  EXPECT_EQ(CountryName("CH", Lang::kNl), "Zwitserland");
  EXPECT_EQ(CountryName("NO", Lang::kNl), "Noorwegen");
  EXPECT_EQ(CountryName("DE", Lang::kEn), "Germany");
}

TEST(Country, UnknownCodeIsReturnedAsIs) {
  EXPECT_EQ(CountryName("XK", Lang::kEn), "XK");
  EXPECT_EQ(CountryName("nl", Lang::kNl), "nl");
  EXPECT_EQ(CountryName("", Lang::kNl), "");
}

}  // namespace
}  // namespace nw
