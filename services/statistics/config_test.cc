#include "statistics/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "runtime/config.h"
#include "tests/support/config_bounds.h"
#include "tests/support/test_env.h"

namespace parkline::statistics {
namespace {

TEST(StatisticsConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->time_zone, "Asia/Shanghai");
  EXPECT_EQ(config->zone().name(), "Asia/Shanghai");
  EXPECT_EQ(config->max_batch, 20000);
}

TEST(StatisticsConfigTest, AnUnknownTimeZoneIsRefusedNamingTheFlag) {
  Config config;
  config.time_zone = "Mars/Olympus_Mons";
  absl::Status status = config.Validate();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "time_zone: 'Mars/Olympus_Mons' is not a known IANA time zone (is tzdata installed?)");
}

TEST(StatisticsConfigTest, MaxBatchOutside1To100000IsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::max_batch, "max_batch", 1, 100000);
}

TEST(StatisticsConfigTest, DayCloseGraceOutside0To6HoursIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::day_close_grace_seconds, "day_close_grace_seconds", 0, 21600);
}

TEST(StatisticsConfigTest, TheEnvironmentFallbackReachesTheConfig) {
  absl::FlagSaver saver;
  ASSERT_TRUE(runtime::ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_TIME_ZONE", "UTC"}})).ok());
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->zone(), absl::UTCTimeZone());
}

TEST(StatisticsConfigTest, TheExchangeRateFileIsReadOnceAndAWrongOneIsRefusedNamingTheFlag) {
  Config config;
  auto none = LoadExchangeRates(config);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->size(), 0u);

  config.exchange_rates =
      std::string(PARKLINE_SOURCE_DIR) + "/services/statistics/data/exchange_rates.csv";
  auto shipped = LoadExchangeRates(config);
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  EXPECT_GT(shipped->size(), 0u);

  config.exchange_rates = "/nonexistent/exchange_rates.csv";
  absl::Status missing = LoadExchangeRates(config).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(), "exchange_rates: '/nonexistent/exchange_rates.csv' cannot be read");

  absl::FlagSaver saver;
  ASSERT_TRUE(runtime::ApplyEnvironment(
                  testing::FakeGetenv({{"PARKLINE_EXCHANGE_RATES", "/etc/rates.csv"}}))
                  .ok());
  auto loaded = LoadConfig();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->exchange_rates, "/etc/rates.csv");
}

}  // namespace
}  // namespace parkline::statistics
