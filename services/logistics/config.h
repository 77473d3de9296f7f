// The logistics service's own settings, beside the common ones (runtime::CommonConfig): when a
// shipment goes stale, extra mapping tables, watches and batches. Read and checked as
// runtime/config.h describes; the tables mapping_dir names are checked when they are loaded
// (StatusMapping::Load).
#ifndef PARKLINE_LOGISTICS_CONFIG_H_
#define PARKLINE_LOGISTICS_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::logistics {

struct Config {
  // --stale_hours / PARKLINE_STALE_HOURS: hours without news after which a shipment not at its
  // end (delivered or returned) becomes STALE. 1..2160, default 72.
  int stale_hours = 72;
  // --mapping_dir / PARKLINE_MAPPING_DIR: a folder of more mapping tables (*.csv) and
  // carriers.csv lines, replacing built-in ones of the same name. Default empty: the built-in
  // tables only.
  std::string mapping_dir;
  // --watch_poll_ms / PARKLINE_WATCH_POLL_MS: milliseconds between two looks of a watch at the
  // database for entries other replicas stored. 100..60000, default 1000.
  int watch_poll_ms = 1000;
  // --max_batch / PARKLINE_MAX_BATCH: tracking events in one ReportTrackingEvents call, at most.
  // 1..5000, default 500.
  int max_batch = 500;
  // --max_watch_streams_per_caller / PARKLINE_MAX_WATCH_STREAMS_PER_CALLER: WatchShipment streams
  // one caller (principal) may hold open at once; the next is refused RESOURCE_EXHAUSTED until
  // one closes. Each open watch holds a server thread. 1..1000, default 8.
  int max_watch_streams_per_caller = 8;

  // INVALID_ARGUMENT naming the flag and its rule.
  absl::Status Validate() const;
};

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_CONFIG_H_
