#include "statistics/config.h"

#include <fstream>
#include <sstream>

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

ABSL_FLAG(std::string, exchange_rates, parkline::statistics::Config().exchange_rates,
          "the monthly exchange-rate table (CSV: month,currency,rate,source) foreign-currency "
          "trade is converted to CNY with; empty: none, non-CNY trade is counted unconverted");

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

absl::StatusOr<ExchangeRates> LoadExchangeRates(const Config& config) {
  if (config.exchange_rates.empty()) return ExchangeRates();
  std::ifstream in(config.exchange_rates, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("exchange_rates: '", config.exchange_rates, "' cannot be read"));
  }
  auto rates = ExchangeRates::Parse(text.str());
  if (!rates.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("exchange_rates: '", config.exchange_rates, "': ", rates.status().message()));
  }
  return rates;
}

absl::StatusOr<Config> LoadConfig() {
  Config config;
  config.time_zone = absl::GetFlag(FLAGS_time_zone);
  config.max_batch = absl::GetFlag(FLAGS_max_batch);
  config.exchange_rates = absl::GetFlag(FLAGS_exchange_rates);
  config.day_close_grace_seconds = absl::GetFlag(FLAGS_day_close_grace_seconds);
  return runtime::Validated(config);
}

}  // namespace parkline::statistics
