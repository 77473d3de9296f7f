#include "clearance/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "runtime/config.h"
#include "tests/support/config_bounds.h"
#include "tests/support/test_env.h"

namespace parkline::clearance {
namespace {

TEST(ClearanceConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->simulated());
  EXPECT_EQ(config->simulator_step_ms, 2000);
  EXPECT_EQ(config->simulator_inspection_percent, 10);
  EXPECT_EQ(config->simulator_rejection_percent, 5);
  EXPECT_EQ(config->simulator_seed, 1u);
  EXPECT_EQ(config->customs_code, "2991");
  EXPECT_EQ(config->port_code, "2991");
  EXPECT_EQ(config->agent_code, "");
  EXPECT_EQ(config->agent_name, "");
  EXPECT_EQ(config->dxp_id, "DXPENT0000000001");
  EXPECT_EQ(config->personal_data_keys, "");
  EXPECT_EQ(config->personal_data_retention_days, 180);
}

TEST(ClearanceConfigTest, RetentionOutside1To3650DaysIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::personal_data_retention_days, "personal_data_retention_days", 1,
                        3650);
}

TEST(ClearanceConfigTest, WithoutAKeyFileTheServiceIsToldWhatToDo) {
  auto keys = LoadPersonalDataKeys(Config());
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(keys.status().message().find("clearance"), std::string::npos);
  EXPECT_NE(keys.status().message().find("parkctl personal-data-keys new"), std::string::npos);
  Config missing;
  missing.personal_data_keys = "/nonexistent/keys.json";
  EXPECT_EQ(LoadPersonalDataKeys(missing).status().code(), absl::StatusCode::kNotFound);
}

TEST(ClearanceConfigTest, TheGatewayIsTheSimulatorOrExternal) {
  Config config;
  config.customs_gateway = "external";
  EXPECT_TRUE(config.Validate().ok());
  EXPECT_FALSE(config.simulated());
  config.customs_gateway = "singlewindow";
  absl::Status status = config.Validate();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "customs_gateway: must be simulator or external");
}

TEST(ClearanceConfigTest, EachSimulatorSettingOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::simulator_step_ms, "simulator_step_ms", 0, 600000);
  testing::ExpectBounds(&Config::simulator_inspection_percent, "simulator_inspection_percent", 0,
                        100);
  testing::ExpectBounds(&Config::simulator_rejection_percent, "simulator_rejection_percent", 0,
                        100);
}

TEST(ClearanceConfigTest, TheEnvironmentFallbackReachesTheConfig) {
  absl::FlagSaver saver;
  ASSERT_TRUE(
      runtime::ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_CUSTOMS_GATEWAY", "external"},
                                                     {"PARKLINE_AGENT_CODE", "2991980001"}}))
          .ok());
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->simulated());
  EXPECT_EQ(config->agent_code, "2991980001");
}

}  // namespace
}  // namespace parkline::clearance
