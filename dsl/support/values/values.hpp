// Umbrella header for the normwerk value types: exact numbers, money, percentages, dates,
// durations, clock times and country codes.
#pragma once

#include "dsl/support/values/checked_math.hpp"
#include "dsl/support/values/country.hpp"
#include "dsl/support/values/date.hpp"
#include "dsl/support/values/date_time.hpp"
#include "dsl/support/values/duration.hpp"
#include "dsl/support/values/lang.hpp"
#include "dsl/support/values/money.hpp"
#include "dsl/support/values/percentage.hpp"
#include "dsl/support/values/rational.hpp"
#include "dsl/support/values/time_of_day.hpp"
#include "dsl/support/values/timespan.hpp"
