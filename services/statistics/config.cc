#include "statistics/config.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(std::string, time_zone, parkline::statistics::Config().time_zone,
          "the park's time zone (IANA name): which calendar day an event counts on");
ABSL_FLAG(int, max_batch, parkline::statistics::Config().max_batch,
          "events applied per transaction, at most (1..100000)");
ABSL_FLAG(int, day_close_grace_seconds, parkline::statistics::Config().day_close_grace_seconds,
          "seconds after the park's midnight before the day is closed and snapshot (0..21600)");

namespace parkline::statistics {

absl::Status Config::Validate() const {
  absl::TimeZone loaded;
  if (!absl::LoadTimeZone(time_zone, &loaded)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time_zone: '", time_zone, "' is not a known IANA time zone (is tzdata installed?)"));
  }
  if (auto s = runtime::ValidateRange("max_batch", max_batch, 1, 100000); !s.ok()) return s;
  return runtime::ValidateRange("day_close_grace_seconds", day_close_grace_seconds, 0, 21600);
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
  config.day_close_grace_seconds = absl::GetFlag(FLAGS_day_close_grace_seconds);
  return runtime::Validated(config);
}

}  // namespace parkline::statistics
