// Calendar dates of the park (civil dates in the park's time zone, no time of day).
#ifndef PARKLINE_CALENDAR_DATE_H_
#define PARKLINE_CALENDAR_DATE_H_

#include <string>

namespace parkline::calendar {

// True when year-month-day is a date of the proleptic Gregorian calendar, years 1900..9999.
bool IsValidDate(int year, int month, int day);

// "YYYY-MM-DD" for a valid date.
std::string FormatDate(int year, int month, int day);

}  // namespace parkline::calendar

#endif  // PARKLINE_CALENDAR_DATE_H_
