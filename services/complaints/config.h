// The complaints service's own settings, beside the common ones (runtime::CommonConfig): the
// working-day calendar, committed deadlines, departments and the periods of the background jobs.
// Read and checked as runtime/config.h describes; the calendar a file names is checked when it is
// loaded (WorkingCalendar::Load).
#ifndef PARKLINE_COMPLAINTS_CONFIG_H_
#define PARKLINE_COMPLAINTS_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::complaints {

struct Config {
  // --calendar_file / PARKLINE_CALENDAR_FILE: a working-day calendar JSON (holidays and make-up
  // working days per year). Default empty: the calendar built into the binary
  // (libs/calendar/data/calendar-cn.json).
  std::string calendar_file;
  // --deadlines / PARKLINE_DEADLINES: committed targets in working days overriding the defaults
  // of complaint_deadline.h, "<category>=<acknowledge>/<resolve>,..." (e.g.
  // "facilities=1/2,fees=2/15"), days 1..60. Default empty.
  std::string deadlines;
  // --routes / PARKLINE_ROUTES: the responsible department per category overriding the defaults
  // of routing_rules.h, "<category>=<department>,...". Default empty.
  std::string routes;
  // --supervising_department / PARKLINE_SUPERVISING_DEPARTMENT: the department overdue
  // complaints are escalated to (督办). Default "supervision-office".
  std::string supervising_department = "supervision-office";
  // --departments / PARKLINE_DEPARTMENTS: further departments complaints may be assigned to by
  // hand, "a,b,...". Default empty.
  std::string departments;
  // --supervision_seconds / PARKLINE_SUPERVISION_SECONDS: seconds between two runs of the job
  // that looks for overdue complaints. 1..3600, default 60.
  int supervision_seconds = 60;
  // --verify_record_hours / PARKLINE_VERIFY_RECORD_HOURS: hours between two background checks of
  // the whole record's hash chains, which set parkline_complaints_record_breaks; 0: only when
  // VerifyRecord is called. 0..720, default 24.
  int verify_record_hours = 24;

  // INVALID_ARGUMENT naming the flag and its rule when a setting is wrong: a number out of
  // bounds, or deadlines, routes or departments that ComplaintDeadline or RoutingRules refuse.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_CONFIG_H_
