// The working-day calendar shipped with the service: data/calendar-cn.json, compiled in at build
// time so that the binary needs no data file; --calendar_file replaces it.
#ifndef PARKLINE_COMPLAINTS_CALENDAR_DATA_H_
#define PARKLINE_COMPLAINTS_CALENDAR_DATA_H_

namespace parkline::complaints {

extern const char kBuiltInCalendar[];

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_CALENDAR_DATA_H_
