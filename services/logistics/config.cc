#include "logistics/config.h"

#include "absl/flags/flag.h"
#include "runtime/config.h"

// Defaults come from Config, so that the flag and the struct cannot disagree.
ABSL_FLAG(int, stale_hours, parkline::logistics::Config().stale_hours,
          "hours without news after which a shipment not at its end becomes STALE (1..2160)");
ABSL_FLAG(std::string, mapping_dir, parkline::logistics::Config().mapping_dir,
          "a folder of more mapping tables (*.csv) and carriers.csv lines, replacing built-in "
          "ones of the same name; empty for the built-in tables only");
ABSL_FLAG(int, watch_poll_ms, parkline::logistics::Config().watch_poll_ms,
          "how often a watch looks at the database for entries other replicas stored "
          "(100..60000)");
ABSL_FLAG(int, max_batch, parkline::logistics::Config().max_batch,
          "tracking events in one ReportTrackingEvents call (1..5000)");
ABSL_FLAG(int, max_watch_streams_per_caller,
          parkline::logistics::Config().max_watch_streams_per_caller,
          "WatchShipment streams one caller may hold open at once (1..1000)");

namespace parkline::logistics {

absl::Status Config::Validate() const {
  return runtime::FirstError({runtime::ValidateRange("stale_hours", stale_hours, 1, 2160),
                              runtime::ValidateRange("watch_poll_ms", watch_poll_ms, 100, 60000),
                              runtime::ValidateRange("max_batch", max_batch, 1, 5000),
                              runtime::ValidateRange("max_watch_streams_per_caller",
                                                     max_watch_streams_per_caller, 1, 1000)});
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.stale_hours = absl::GetFlag(FLAGS_stale_hours);
  config.mapping_dir = absl::GetFlag(FLAGS_mapping_dir);
  config.watch_poll_ms = absl::GetFlag(FLAGS_watch_poll_ms);
  config.max_batch = absl::GetFlag(FLAGS_max_batch);
  config.max_watch_streams_per_caller = absl::GetFlag(FLAGS_max_watch_streams_per_caller);
  return runtime::Validated(config);
}

}  // namespace parkline::logistics
