#include "statistics/config.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(std::string, time_zone, parkline::statistics::Config().time_zone,
          "the park's time zone (IANA name): which calendar day an event counts on");
ABSL_FLAG(int, max_batch, parkline::statistics::Config().max_batch,
          "events applied per transaction, at most (1..100000)");

namespace parkline::statistics {

absl::Status Config::Validate() const {
  absl::TimeZone loaded;
  if (!absl::LoadTimeZone(time_zone, &loaded)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time_zone: '", time_zone, "' is not a known IANA time zone (is tzdata installed?)"));
  }
  return runtime::ValidateRange("max_batch", max_batch, 1, 100000);
}

absl::TimeZone Config::zone() const {
  absl::TimeZone zone;
  absl::LoadTimeZone(time_zone, &zone);
  return zone;
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.time_zone = absl::GetFlag(FLAGS_time_zone);
  config.max_batch = absl::GetFlag(FLAGS_max_batch);
  return runtime::Validated(config);
}

}  // namespace parkline::statistics
