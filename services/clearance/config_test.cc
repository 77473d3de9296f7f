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
  config.allow_unsigned_drafts = true;
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
  ASSERT_TRUE(runtime::ApplyEnvironment(
                  testing::FakeGetenv({{"PARKLINE_CUSTOMS_GATEWAY", "external"},
                                       {"PARKLINE_AGENT_CODE", "2991980001"},
                                       {"PARKLINE_SIGNER", "pkcs11"},
                                       {"PARKLINE_PKCS11_MODULE", "/usr/lib/vendor/pkcs11.so"},
                                       {"PARKLINE_PKCS11_SLOT", "3"},
                                       {"PARKLINE_PKCS11_PIN_FILE", "/etc/parkline/signer/pin"},
                                       {"PARKLINE_PKCS11_KEY_LABEL", "ceb"},
                                       {"PARKLINE_SIGNER_KEY_NAME", "0001"},
                                       {"PARKLINE_CUSTOMS_CERTIFICATE_FILES", "/a.pem,/b.pem"}}))
                  .ok());
  auto config = LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->simulated());
  EXPECT_EQ(config->agent_code, "2991980001");
  EXPECT_TRUE(config->signs());
  EXPECT_EQ(config->pkcs11_slot, 3);
  EXPECT_EQ(config->pkcs11_key_label, "ceb");
  EXPECT_EQ(config->customs_certificate_files, "/a.pem,/b.pem");
}

TEST(ClearanceConfigTest, ExternalCustomsWithoutASignerRefusesToStartUnlessDraftsAreAllowed) {
  Config config;
  EXPECT_EQ(config.signer, "none");
  EXPECT_TRUE(config.Validate().ok());  // the simulator takes drafts
  config.customs_gateway = "external";
  absl::Status status = config.Validate();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("signer: --customs_gateway=external needs a signing key"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("--allow_unsigned_drafts"), std::string::npos);
  config.allow_unsigned_drafts = true;
  EXPECT_TRUE(config.Validate().ok());
}

TEST(ClearanceConfigTest, EachSignerNamesTheSettingItLacks) {
  Config config;
  config.signer = "hsm";
  EXPECT_EQ(config.Validate().message(), "signer: must be none, pem or pkcs11");

  config.signer = "pem";
  EXPECT_EQ(config.Validate().message(), "signer_key_file: required with --signer=pem");
  config.signer_key_file = "/k.pem";
  EXPECT_EQ(config.Validate().message(), "signer_certificate_file: required with --signer=pem");
  config.signer_certificate_file = "/c.pem";
  EXPECT_EQ(config.Validate().message(), "signer_key_name: required with --signer=pem");
  config.signer_key_name = "0001";
  EXPECT_TRUE(config.Validate().ok());
  config.customs_gateway = "external";
  EXPECT_TRUE(config.Validate().ok());

  config = Config();
  config.signer = "pkcs11";
  config.signer_key_name = "0001";
  EXPECT_EQ(config.Validate().message(), "pkcs11_module: required with --signer=pkcs11");
  config.pkcs11_module = "/m.so";
  EXPECT_EQ(config.Validate().message(),
            "pkcs11_slot or pkcs11_token_label: required with --signer=pkcs11");
  config.pkcs11_token_label = "ceb";
  EXPECT_EQ(config.Validate().message(), "pkcs11_pin_file: required with --signer=pkcs11");
  config.pkcs11_pin_file = "/pin";
  EXPECT_EQ(config.Validate().message(), "pkcs11_key_label: required with --signer=pkcs11");
  config.pkcs11_key_label = "k";
  EXPECT_TRUE(config.Validate().ok());
}

TEST(ClearanceConfigTest, ASignerThatCannotLoadItsKeySaysWhichFile) {
  Config config;
  config.signer = "pem";
  config.signer_key_file = "/nonexistent/key.pem";
  config.signer_certificate_file = "/nonexistent/cert.pem";
  config.signer_key_name = "0001";
  auto key = LoadSigningKey(config);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(key.status().message().find("/nonexistent/key.pem"), std::string::npos);
  config.signer = "none";
  auto none = LoadSigningKey(config);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  config.customs_certificate_files = " /nonexistent/customs.pem ";
  EXPECT_EQ(LoadCustomsCertificates(config).status().code(), absl::StatusCode::kNotFound);
  config.customs_certificate_files = "";
  EXPECT_TRUE(LoadCustomsCertificates(config)->empty());
}

}  // namespace
}  // namespace parkline::clearance
