#include "quality/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int64_t, max_document_bytes, parkline::quality::Config().max_document_bytes,
          "the largest document content stored in the register itself; a larger one is "
          "referenced by URI and SHA-256 (1024..6291456)");

ABSL_FLAG(std::string, calendar_file, parkline::quality::Config().calendar_file,
          "working-day calendar JSON (holidays and make-up working days per year); empty: the "
          "calendar built into the binary (libs/calendar/data/calendar-cn.json)");
ABSL_FLAG(std::string, action_department, parkline::quality::Config().action_department,
          "the department owning a corrective action whose finding names none");
ABSL_FLAG(int, action_deadline_days, parkline::quality::Config().action_deadline_days,
          "working days a corrective action has when its finding names none (1..60)");
ABSL_FLAG(int, supervision_seconds, parkline::quality::Config().supervision_seconds,
          "how often the supervision job looks for overdue corrective actions (1..3600)");

namespace parkline::quality {

absl::Status Config::Validate() const {
  return runtime::FirstError(
      {runtime::ValidateRange("max_document_bytes", max_document_bytes, 1024, 6 << 20),
       runtime::ValidateRange("action_deadline_days", action_deadline_days, 1, 60),
       runtime::ValidateRange("supervision_seconds", supervision_seconds, 1, 3600),
       action_department.empty() || action_department.size() > 200
           ? absl::InvalidArgumentError("action_department: a department name, 1..200 bytes")
           : absl::OkStatus()});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  config.calendar_file = absl::GetFlag(FLAGS_calendar_file);
  config.action_department = absl::GetFlag(FLAGS_action_department);
  config.action_deadline_days = absl::GetFlag(FLAGS_action_deadline_days);
  config.supervision_seconds = absl::GetFlag(FLAGS_supervision_seconds);
  return runtime::Validated(config);
}

}  // namespace parkline::quality
