#include "logistics/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "runtime/config.h"
#include "tests/support/config_bounds.h"
#include "tests/support/test_env.h"

namespace parkline::logistics {
namespace {

TEST(LogisticsConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->stale_hours, 72);
  EXPECT_EQ(config->mapping_dir, "");
  EXPECT_EQ(config->watch_poll_ms, 1000);
  EXPECT_EQ(config->max_batch, 500);
  EXPECT_EQ(config->max_watch_streams_per_caller, 8);
}

TEST(LogisticsConfigTest, EachSettingOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::stale_hours, "stale_hours", 1, 2160);
  testing::ExpectBounds(&Config::watch_poll_ms, "watch_poll_ms", 100, 60000);
  testing::ExpectBounds(&Config::max_batch, "max_batch", 1, 5000);
  testing::ExpectBounds(&Config::max_watch_streams_per_caller, "max_watch_streams_per_caller", 1,
                        1000);
}

TEST(LogisticsConfigTest, TheEnvironmentFallbackReachesTheConfig) {
  absl::FlagSaver saver;
  ASSERT_TRUE(
      runtime::ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_WATCH_POLL_MS", "99"}})).ok());
  EXPECT_EQ(LoadConfig().status().message(), "watch_poll_ms: must be 100..60000");
}

}  // namespace
}  // namespace parkline::logistics
