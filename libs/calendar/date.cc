#include "calendar/date.h"

#include "absl/strings/str_format.h"

namespace parkline::calendar {

bool IsValidDate(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= last;
}

std::string FormatDate(int year, int month, int day) {
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

}  // namespace parkline::calendar
