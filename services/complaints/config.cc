#include "complaints/config.h"

#include "absl/flags/flag.h"
#include "complaints/complaint_deadline.h"
#include "complaints/routing_rules.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(std::string, calendar_file, parkline::complaints::Config().calendar_file,
          "working-day calendar JSON (holidays and make-up working days per year); empty: the "
          "calendar built into the binary (libs/calendar/data/calendar-cn.json)");
ABSL_FLAG(std::string, deadlines, parkline::complaints::Config().deadlines,
          "committed targets in working days overriding the defaults, "
          "\"<category>=<acknowledge>/<resolve>,...\" (e.g. \"facilities=1/2,fees=2/15\")");
ABSL_FLAG(std::string, routes, parkline::complaints::Config().routes,
          "responsible department per category overriding the defaults, "
          "\"<category>=<department>,...\"");
ABSL_FLAG(std::string, supervising_department,
          parkline::complaints::Config().supervising_department,
          "the department overdue complaints are escalated to (督办)");
ABSL_FLAG(std::string, departments, parkline::complaints::Config().departments,
          "further departments complaints may be assigned to by hand, \"a,b,...\"");
ABSL_FLAG(int, supervision_seconds, parkline::complaints::Config().supervision_seconds,
          "how often the supervision job looks for overdue "
          "complaints (1..3600)");
ABSL_FLAG(int, verify_record_hours, parkline::complaints::Config().verify_record_hours,
          "how often the whole record's hash chains are verified in the background, setting "
          "parkline_complaints_record_breaks (0: only when VerifyRecord is called; 0..720)");

namespace parkline::complaints {

absl::Status Config::Validate() const {
  // Deadlines and routes are checked by the rules' own parsers (their messages name the flag),
  // applied to throwaway defaults: the targets do not depend on the calendar main loads later.
  return runtime::FirstError(
      {runtime::ValidateRange("supervision_seconds", supervision_seconds, 1, 3600),
       runtime::ValidateRange("verify_record_hours", verify_record_hours, 0, 720),
       ComplaintDeadline(WorkingCalendar(), absl::UTCTimeZone()).Configure(deadlines),
       RoutingRules().Configure(routes, supervising_department, departments)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.calendar_file = absl::GetFlag(FLAGS_calendar_file);
  config.deadlines = absl::GetFlag(FLAGS_deadlines);
  config.routes = absl::GetFlag(FLAGS_routes);
  config.supervising_department = absl::GetFlag(FLAGS_supervising_department);
  config.departments = absl::GetFlag(FLAGS_departments);
  config.supervision_seconds = absl::GetFlag(FLAGS_supervision_seconds);
  config.verify_record_hours = absl::GetFlag(FLAGS_verify_record_hours);
  return runtime::Validated(config);
}

}  // namespace parkline::complaints
