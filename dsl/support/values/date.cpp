// Calendar dates: civil-date conversion, ISO weeks and month arithmetic (parsing is inline, in date.hpp).
#include "dsl/support/values/date.hpp"

#include <array>

namespace nw {

namespace {

static_assert(internal::DaysFromCivil(1970, 1, 1) == 0);
static_assert(internal::DaysFromCivil(1, 1, 1) == Date::kMinDays);
static_assert(internal::DaysFromCivil(9999, 12, 31) == Date::kMaxDays);
static_assert(internal::CivilFromDays(Date::kMinDays) == YearMonthDay{1, 1, 1});
static_assert(internal::CivilFromDays(Date::kMaxDays) == YearMonthDay{9999, 12, 31});
static_assert(internal::CivilFromDays(0) == YearMonthDay{1970, 1, 1});

// English month names, January first.
constexpr std::array<std::string_view, 12> kMonthNamesEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
// Dutch month names (lowercase, as written in Dutch), januari first.
constexpr std::array<std::string_view, 12> kMonthNamesNl = {
    "januari", "februari", "maart",     "april",   "mei",      "juni",
    "juli",    "augustus", "september", "oktober", "november", "december"};

// `value` zero-padded to `width` digits.
std::string PadNumber(int value, size_t width) {
  std::string text = std::to_string(value);
  if (text.size() < width) text.insert(0, width - text.size(), '0');
  return text;
}

// Month arithmetic on a 64-bit month count, shared by AddMonths and AddYears.
std::optional<Date> AddMonthsWide(Date date, int64_t months, MonthEnd mode) {
  const YearMonthDay ymd = date.ToYmd();
  // Months since year 0; |months| < 2^36, so this cannot overflow.
  const int64_t total = int64_t{ymd.year} * 12 + (ymd.month - 1) + months;
  if (total < 12 || total >= int64_t{10000} * 12) return std::nullopt;
  const int year = static_cast<int>(total / 12);
  const int month = static_cast<int>(total % 12) + 1;
  const int last_day = DaysInMonth(year, month);
  if (ymd.day <= last_day) return Date::FromYmd(year, month, ymd.day);
  switch (mode) {
    case MonthEnd::kClamp:
      return Date::FromYmd(year, month, last_day);
    case MonthEnd::kRollOver: {
      const auto last = Date::FromYmd(year, month, last_day);
      if (!last) return std::nullopt;
      return last->AddDays(1);
    }
    case MonthEnd::kAbort:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Date> Date::FromDaysSinceEpoch(int64_t days) {
  if (days < kMinDays || days > kMaxDays) return std::nullopt;
  return Date(static_cast<int32_t>(days));
}

YearMonthDay Date::ToYmd() const { return internal::CivilFromDays(days_); }

int Date::DayOfYear() const { return static_cast<int>(days_ - internal::DaysFromCivil(year(), 1, 1)) + 1; }

int Date::IsoWeekday() const {
  // 1970-01-01 was a Thursday (4); floor modulo keeps earlier dates right.
  const int64_t shifted = (int64_t{days_} + 3) % 7;
  return static_cast<int>(shifted < 0 ? shifted + 7 : shifted) + 1;
}

nw::IsoWeek Date::IsoWeek() const {
  // The ISO year is the calendar year of this week's Thursday.
  const int64_t thursday = int64_t{days_} + (4 - IsoWeekday());
  const int iso_year = internal::CivilFromDays(thursday).year;
  const int64_t week = (thursday - internal::DaysFromCivil(iso_year, 1, 1)) / 7 + 1;
  return nw::IsoWeek{iso_year, static_cast<int>(week)};
}

Date Date::StartOfIsoWeek() const { return Date(days_ - (IsoWeekday() - 1)); }

Date Date::StartOfMonth() const { return Date(days_ - (day() - 1)); }

Date Date::EndOfMonth() const {
  const YearMonthDay ymd = ToYmd();
  return Date(days_ + (DaysInMonth(ymd.year, ymd.month) - ymd.day));
}

std::optional<Date> Date::AddDays(int64_t days) const {
  // |days| beyond the whole range always fails; this also keeps the sum from overflowing.
  if (days < -int64_t{kMaxDays - kMinDays} || days > int64_t{kMaxDays - kMinDays}) {
    return std::nullopt;
  }
  return FromDaysSinceEpoch(int64_t{days_} + days);
}

std::string Date::ToString() const {
  const YearMonthDay ymd = ToYmd();
  return PadNumber(ymd.year, 4) + "-" + PadNumber(ymd.month, 2) + "-" + PadNumber(ymd.day, 2);
}

std::string Date::Format(Lang lang) const {
  const YearMonthDay ymd = ToYmd();
  const auto& names = lang == Lang::kNl ? kMonthNamesNl : kMonthNamesEn;
  return std::to_string(ymd.day) + " " + std::string(names[static_cast<size_t>(ymd.month - 1)]) +
         " " + std::to_string(ymd.year);
}

std::optional<Date> AddMonths(Date date, int32_t months, MonthEnd mode) {
  return AddMonthsWide(date, months, mode);
}

std::optional<Date> AddYears(Date date, int32_t years, MonthEnd mode) {
  return AddMonthsWide(date, int64_t{years} * 12, mode);
}

}  // namespace nw
