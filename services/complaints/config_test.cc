#include "complaints/config.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "runtime/config.h"
#include "tests/support/config_bounds.h"
#include "tests/support/test_env.h"

namespace parkline::complaints {
namespace {

TEST(ComplaintsConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->calendar_file, "");
  EXPECT_EQ(config->deadlines, "");
  EXPECT_EQ(config->routes, "");
  EXPECT_EQ(config->supervising_department, "supervision-office");
  EXPECT_EQ(config->departments, "");
  EXPECT_EQ(config->supervision_seconds, 60);
  EXPECT_EQ(config->verify_record_hours, 24);
}

TEST(ComplaintsConfigTest, EachPeriodOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::supervision_seconds, "supervision_seconds", 1, 3600);
  testing::ExpectBounds(&Config::verify_record_hours, "verify_record_hours", 0, 720);
}

TEST(ComplaintsConfigTest, DeadlinesRoutesAndDepartmentsAreCheckedAtLoad) {
  Config good;
  good.deadlines = "facilities=1/2,fees=2/15";
  good.routes = "fees=finance,other=front-desk";
  good.departments = "legal,it-support";
  EXPECT_TRUE(good.Validate().ok()) << good.Validate();

  struct Case {
    std::string Config::*field;
    const char* value;
    const char* message_start;  // the flag and the entry it refuses
  };
  for (const Case& c :
       {Case{&Config::deadlines, "fees=2/61", "deadlines: 'fees=2/61'"},
        Case{&Config::deadlines, "parking=1/2", "deadlines: 'parking=1/2'"},
        Case{&Config::routes, "fees=Finance Dept", "routes: 'fees=Finance Dept'"},
        Case{&Config::supervising_department, "Office!", "supervising_department: 'Office!'"},
        Case{&Config::departments, "legal,IT", "departments: 'IT'"}}) {
    Config bad = good;
    bad.*c.field = c.value;
    absl::Status status = bad.Validate();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.value;
    EXPECT_TRUE(absl::StartsWith(status.message(), c.message_start)) << status;
  }
}

TEST(ComplaintsConfigTest, TheEnvironmentFallbackReachesTheConfig) {
  absl::FlagSaver saver;
  ASSERT_TRUE(
      runtime::ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_SUPERVISION_SECONDS", "0"}})).ok());
  EXPECT_EQ(LoadConfig().status().message(), "supervision_seconds: must be 1..3600");
}

}  // namespace
}  // namespace parkline::complaints
