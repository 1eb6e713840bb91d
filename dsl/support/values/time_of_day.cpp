// Times of day: printing (parsing is inline, in time_of_day.hpp).
#include "dsl/support/values/time_of_day.hpp"

namespace nw {

std::string TimeOfDay::ToString() const {
  const int h = hour();
  const int m = minute();
  return std::string{static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                     static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
}

}  // namespace nw
