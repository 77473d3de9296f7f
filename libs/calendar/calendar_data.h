// The working-day calendar shipped with the services that count working days (complaints, quality,
// support): data/calendar-cn.json, compiled in at build time so that a binary needs no data file;
// a service's --calendar_file replaces it.
#ifndef PARKLINE_CALENDAR_CALENDAR_DATA_H_
#define PARKLINE_CALENDAR_CALENDAR_DATA_H_

namespace parkline::calendar {

extern const char kBuiltInCalendar[];

}  // namespace parkline::calendar

#endif  // PARKLINE_CALENDAR_CALENDAR_DATA_H_
