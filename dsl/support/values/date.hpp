// Calendar dates as days since 1970-01-01 (proleptic Gregorian, years 1..9999), with
// ISO weeks and explicit month-end handling. The legal rules use MonthEnd::kClamp.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/lang.hpp"

namespace nw {

// An ISO 8601 week: the week-numbering year (may differ from the calendar year) and week 1..53.
struct IsoWeek {
  int year;  // ISO week-numbering year, e.g. 2020 for 2021-01-03
  int week;  // 1..53
  // Field-wise equality.
  friend constexpr bool operator==(const IsoWeek&, const IsoWeek&) = default;
};

// A calendar date split into its fields.
struct YearMonthDay {
  int year;   // 1..9999
  int month;  // 1..12
  int day;    // 1..31
  // Field-wise equality.
  friend constexpr bool operator==(const YearMonthDay&, const YearMonthDay&) = default;
};

// True for Gregorian leap years: divisible by 4, except centuries not divisible by 400
// (1900 is not a leap year, 2000 and 2024 are).
constexpr bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

namespace internal {
// Days of each month in a common year, January first. At namespace scope, so that
// DaysInMonth reads it in place instead of building a copy on the stack at every call.
inline constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Days since 1970-01-01 of y-m-d (valid fields, year 1..9999 assumed). H. Hinnant's
// days_from_civil, in unsigned arithmetic (the shifted year is not negative).
constexpr int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  const uint32_t y = static_cast<uint32_t>(year) - (month <= 2 ? 1 : 0);
  const uint32_t m = static_cast<uint32_t>(month), d = static_cast<uint32_t>(day);
  const uint32_t era = y / 400;
  const uint32_t yoe = y - era * 400;                                 // [0, 399]
  const uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         // [0, 146096]
  return int64_t{era} * 146097 + doe - 719468;
}

// y-m-d of a day count since 1970-01-01 from 0000-03-01 on (every Date, and the
// days just around them). H. Hinnant's civil_from_days, in unsigned arithmetic.
constexpr YearMonthDay CivilFromDays(int64_t days) {
  const uint32_t z = static_cast<uint32_t>(days + 719468);
  const uint32_t era = z / 146097;
  const uint32_t doe = z - era * 146097;                                 // [0, 146096]
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         // [0, 365]
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  const uint32_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return YearMonthDay{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

// Value of a run of ASCII digits, or -1 if any character is not a digit.
constexpr int ParseFixedDigits(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}
}  // namespace internal

// Number of days in `month` (1..12) of `year`; 0 for an invalid month.
constexpr int DaysInMonth(int year, int month) {
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : internal::kDaysInMonth[month - 1];
}

// A calendar date.
// INVARIANT: days_ lies in [kMinDays, kMaxDays], i.e. 0001-01-01 .. 9999-12-31.
class Date {
 public:
  // Days since 1970-01-01 of 0001-01-01, the earliest representable date.
  static constexpr int32_t kMinDays = -719162;
  // Days since 1970-01-01 of 9999-12-31, the latest representable date.
  static constexpr int32_t kMaxDays = 2932896;

  // 1970-01-01.
  constexpr Date() = default;

  // FromYmd and Parse are defined here, not out of line: inlined, the optional they return
  // costs nothing (returned from a call, GCC assembles it in memory and reloads it, a stall
  // that cost more than the parsing when a work log gives a date on every row).

  // The date y-m-d; nullopt unless 1 <= y <= 9999, 1 <= m <= 12 and 1 <= d <= DaysInMonth(y, m).
  static constexpr std::optional<Date> FromYmd(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12) return std::nullopt;
    if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
    return Date(static_cast<int32_t>(internal::DaysFromCivil(year, month, day)));
  }

  // The date `days` days after 1970-01-01 (negative = before); nullopt outside the range.
  static std::optional<Date> FromDaysSinceEpoch(int64_t days);

  // Strict ISO 8601 "YYYY-MM-DD" (exactly 10 characters, a real calendar day: "2023-02-29" is
  // rejected, "2024-02-29" accepted); nullopt otherwise.
  static constexpr std::optional<Date> Parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const int year = internal::ParseFixedDigits(text.substr(0, 4));
    const int month = internal::ParseFixedDigits(text.substr(5, 2));
    const int day = internal::ParseFixedDigits(text.substr(8, 2));
    if (year < 0 || month < 0 || day < 0) return std::nullopt;
    return FromYmd(year, month, day);
  }

  // 0001-01-01.
  static constexpr Date Min() { return Date(kMinDays); }
  // 9999-12-31.
  static constexpr Date Max() { return Date(kMaxDays); }

  // Days since 1970-01-01 (negative before).
  constexpr int32_t DaysSinceEpoch() const { return days_; }

  // Year, month and day together (cheaper than three separate calls).
  YearMonthDay ToYmd() const;
  // Calendar year, 1..9999.
  int year() const { return ToYmd().year; }
  // Month, 1..12.
  int month() const { return ToYmd().month; }
  // Day of the month, 1..31.
  int day() const { return ToYmd().day; }
  // Day of the year, 1..366.
  int DayOfYear() const;

  // ISO weekday: 1 = Monday … 7 = Sunday.
  int IsoWeekday() const;
  // ISO 8601 week (2020-12-31 and 2021-01-03 are 2020-W53; 2024-12-30 is 2025-W01).
  nw::IsoWeek IsoWeek() const;

  // The Monday on or before this date (always in range: 0001-01-01 is a Monday).
  Date StartOfIsoWeek() const;
  // The first day of this date's month.
  Date StartOfMonth() const;
  // The last day of this date's month.
  Date EndOfMonth() const;

  // This date moved by `days` (negative = earlier); nullopt outside 0001-01-01..9999-12-31.
  std::optional<Date> AddDays(int64_t days) const;
  // Number of days from this date to `other` (positive when other is later).
  constexpr int64_t DaysUntil(Date other) const { return int64_t{other.days_} - days_; }

  // ISO text "2024-02-29".
  std::string ToString() const;
  // Human text: kEn "30 June 2024", kNl "30 juni 2024".
  std::string Format(Lang lang) const;

  // Same day.
  friend constexpr bool operator==(const Date&, const Date&) = default;
  // Chronological order.
  friend constexpr std::strong_ordering operator<=>(const Date&, const Date&) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}

  int32_t days_ = 0;
};

// What AddMonths does when the target month is too short for the day (31 Jan + 1 month).
enum class MonthEnd : uint8_t {
  kClamp,     // last day of the target month: 2024-03-31 - 1 month = 2024-02-29,
              // 2023-03-31 - 1 month = 2023-02-28, 2024-02-29 + 12 months = 2025-02-28
  kRollOver,  // first day of the month after the target: 2023-01-31 + 1 month = 2023-03-01
  kAbort,     // nullopt: the date does not exist
};

// The month-end policy the law rules use (the usual reading of "binnen twee maanden").
inline constexpr MonthEnd kLawMonthEnd = MonthEnd::kClamp;

// `date` moved by `months` calendar months (day kept, see MonthEnd for short months);
// nullopt when the result leaves years 1..9999 or mode is kAbort and the day does not exist.
std::optional<Date> AddMonths(Date date, int32_t months, MonthEnd mode);

// AddMonths(date, 12 * years, mode), computed without overflow.
std::optional<Date> AddYears(Date date, int32_t years, MonthEnd mode);

}  // namespace nw
