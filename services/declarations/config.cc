#include "declarations/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int, waiting_hours, parkline::declarations::Config().waiting_hours,
          "hours a document may wait for its partners before it expires (1..720)");

namespace parkline::declarations {

absl::Status Config::Validate() const {
  return runtime::ValidateRange("waiting_hours", waiting_hours, 1, 720);
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.waiting_hours = absl::GetFlag(FLAGS_waiting_hours);
  return runtime::Validated(config);
}

}  // namespace parkline::declarations
