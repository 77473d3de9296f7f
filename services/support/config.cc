#include "support/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

ABSL_FLAG(std::string, personal_data_keys, "",
          "the key file sealing the names of registered attendees (required)");
ABSL_FLAG(std::string, calendar_file, parkline::support::Config().calendar_file,
          "working-day calendar JSON; empty: the calendar built into the binary "
          "(libs/calendar/data/calendar-cn.json)");
ABSL_FLAG(int, supervision_seconds, parkline::support::Config().supervision_seconds,
          "how often the supervision job looks for overdue service requests (1..3600)");

namespace parkline::support {

absl::Status Config::Validate() const {
  return runtime::ValidateRange("supervision_seconds", supervision_seconds, 1, 3600);
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.personal_data_keys = absl::GetFlag(FLAGS_personal_data_keys);
  config.calendar_file = absl::GetFlag(FLAGS_calendar_file);
  config.supervision_seconds = absl::GetFlag(FLAGS_supervision_seconds);
  return runtime::Validated(config);
}

absl::StatusOr<secrets::KeyRing> LoadPersonalDataKeys(const Config& config) {
  return secrets::LoadPersonalDataKeys(config.personal_data_keys, "support",
                                       "seals the names of registered attendees");
}

}  // namespace parkline::support
