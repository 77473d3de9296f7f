#include "quality/config.h"

#include <gtest/gtest.h>

#include "absl/flags/reflection.h"
#include "tests/support/config_bounds.h"

namespace parkline::quality {
namespace {

TEST(QualityConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(Config().Validate().ok());
  absl::FlagSaver saver;
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_document_bytes, 1 << 20);
  EXPECT_EQ(config->calendar_file, "");
  EXPECT_EQ(config->action_department, "quality-office");
  EXPECT_EQ(config->action_deadline_days, 10);
  EXPECT_EQ(config->supervision_seconds, 60);
}

TEST(QualityConfigTest, EachNumberOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::action_deadline_days, "action_deadline_days", 1, 60);
  testing::ExpectBounds(&Config::supervision_seconds, "supervision_seconds", 1, 3600);
  testing::ExpectBounds(&Config::statistics_timeout_seconds, "statistics_timeout_seconds", 1, 120);
}

TEST(QualityConfigTest, TheStatisticsSettingsAreRefusedNamingTheFlagWhenTheyCannotWork) {
  Config c;
  c.statistics_address = "no-port";
  EXPECT_NE(c.Validate().message().find("statistics_address"), std::string::npos);
  c.statistics_address = "127.0.0.1:50056";
  EXPECT_TRUE(c.Validate().ok()) << c.Validate();
  c.statistics_token_file = "/nonexistent/token";
  EXPECT_NE(c.Validate().message().find("statistics_token_file: cannot read"), std::string::npos);
  Config orphan;
  orphan.statistics_tls_ca = "/etc/hostname";
  EXPECT_NE(orphan.Validate().message().find("statistics_address: required"), std::string::npos);
}

TEST(QualityConfigTest, AnEmptyDepartmentIsRefusedNamingTheFlag) {
  Config c;
  c.action_department = "";
  EXPECT_TRUE(absl::IsInvalidArgument(c.Validate()));
  EXPECT_NE(c.Validate().message().find("action_department"), std::string::npos);
}

TEST(QualityConfigTest, TheDocumentSizeOutsideItsBoundsIsRefusedNamingTheFlag) {
  testing::ExpectBounds(&Config::max_document_bytes, "max_document_bytes", int64_t{1024},
                        int64_t{6 << 20});
}

}  // namespace
}  // namespace parkline::quality
