// The statistics service's own settings, beside the common ones (runtime::CommonConfig): the
// park's time zone and the size of its batches. Read and checked as runtime/config.h describes.
#ifndef PARKLINE_STATISTICS_CONFIG_H_
#define PARKLINE_STATISTICS_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "statistics/exchange_rates.h"

namespace parkline::statistics {

struct Config {
  // --time_zone / PARKLINE_TIME_ZONE: the park's time zone, an IANA name (tzdata must hold it):
  // which calendar day an event counts on. Default "Asia/Shanghai".
  std::string time_zone = "Asia/Shanghai";
  // --max_batch / PARKLINE_MAX_BATCH: events applied in one transaction, at most. 1..100000,
  // default 20000. Large batches are cheap here: a batch writes one row per counter it changes
  // (a few thousand a day), not per event, so the bigger the batch the fewer writes per event.
  int max_batch = 20000;
  // --exchange_rates / PARKLINE_EXCHANGE_RATES: the monthly exchange-rate table (CSV, the format
  // of services/statistics/data/exchange_rates.csv) foreign-currency trade is converted to CNY
  // with, read once at start. Empty: no table, every non-CNY value counted unconverted.
  std::string exchange_rates;

  // --day_close_grace_seconds / PARKLINE_DAY_CLOSE_GRACE_SECONDS: how long after the park's
  // midnight a day is closed and its snapshot taken, so that the events of its last moments
  // reach the store first. 0..21600, default 600.
  int day_close_grace_seconds = 600;

  // INVALID_ARGUMENT naming the flag and its rule when a setting is wrong (an unknown time zone
  // included).
  absl::Status Validate() const;
  // The time zone named by time_zone; UTC when it does not load, which Validate refuses.
  absl::TimeZone zone() const;
};

// The table --exchange_rates names (empty when it names none). INVALID_ARGUMENT naming the flag
// when the file cannot be read, or its line and rule when a line is wrong.
absl::StatusOr<ExchangeRates> LoadExchangeRates(const Config& config);

// The flags, once valid.
absl::StatusOr<Config> LoadConfig();

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_CONFIG_H_
