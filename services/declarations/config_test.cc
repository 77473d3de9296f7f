#include "declarations/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "runtime/config.h"
#include "tests/support/config_bounds.h"
#include "tests/support/test_env.h"

namespace parkline::declarations {
namespace {

TEST(DeclarationsConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->waiting_hours, 72);
}

TEST(DeclarationsConfigTest, WaitingHoursOutside1To720AreRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::waiting_hours, "waiting_hours", 1, 720);
}

TEST(DeclarationsConfigTest, TheEnvironmentFallbackReachesTheConfig) {
  absl::FlagSaver saver;
  ASSERT_TRUE(
      runtime::ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_WAITING_HOURS", "0"}})).ok());
  EXPECT_EQ(LoadConfig().status().message(), "waiting_hours: must be 1..720");
}

TEST(DeclarationsConfigTest, RetentionOutside1To3650DaysIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::personal_data_retention_days, "personal_data_retention_days", 1,
                        3650);
}

TEST(DeclarationsConfigTest, DocumentsPerMessageOutside1To100000AreRefusedNamingTheFlag) {
  EXPECT_EQ(Config().max_message_documents, 1000);
  testing::ExpectBounds(&Config::max_message_documents, "max_message_documents", 1, 100000);
}

TEST(DeclarationsConfigTest, WithoutAKeyFileTheServiceIsToldWhatToDo) {
  auto keys = LoadPersonalDataKeys(Config());
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(keys.status().message().find("parkctl personal-data-keys new"), std::string::npos);
  Config missing;
  missing.personal_data_keys = "/nonexistent/keys.json";
  EXPECT_EQ(LoadPersonalDataKeys(missing).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace parkline::declarations
