#include "runtime/config.h"

#include <gtest/gtest.h>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "tests/support/test_env.h"

ABSL_DECLARE_FLAG(std::string, grpc_address);
ABSL_DECLARE_FLAG(int, drain_seconds);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, database_url);
ABSL_DECLARE_FLAG(bool, allow_plaintext);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(int, grpc_max_threads);
ABSL_DECLARE_FLAG(int, rate_limit_per_second);
ABSL_DECLARE_FLAG(int64_t, outbox_max_pending);
ABSL_DECLARE_FLAG(int, outbox_linger_ms);
ABSL_DECLARE_FLAG(int, consumer_max_attempts);

namespace parkline::runtime {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  absl::FlagSaver saver_;  // every test leaves the flags as it found them
};

TEST_F(ConfigTest, EnvNameIsPrefixedUpperCase) {
  EXPECT_EQ(EnvName("grpc_address"), "PARKLINE_GRPC_ADDRESS");
}

TEST_F(ConfigTest, DefaultsComeFromTheService) {
  absl::SetFlag(&FLAGS_allow_plaintext, true);  // the default address is not loopback
  auto config = LoadCommonConfig({"enterprises", 50051, 9451});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_address, "0.0.0.0:50051");
  EXPECT_EQ(config->metrics_address, "0.0.0.0:9451");
  EXPECT_EQ(config->database_url, "sqlite:///var/lib/parkline/enterprises.db");
  EXPECT_EQ(config->drain, absl::Seconds(2));
}

TEST_F(ConfigTest, EnvironmentSetsFlags) {
  ASSERT_TRUE(ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_GRPC_ADDRESS", "127.0.0.1:6000"},
                                                    {"PARKLINE_DRAIN_SECONDS", "7"}}))
                  .ok());
  auto config = LoadCommonConfig({"enterprises", 50051, 9451});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_address, "127.0.0.1:6000");
  EXPECT_EQ(config->drain, absl::Seconds(7));
}

TEST_F(ConfigTest, CommandLineWinsOverEnvironment) {
  // ParseFlags applies the environment first; a flag set afterwards (the command line) wins.
  ASSERT_TRUE(
      ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_GRPC_ADDRESS", "127.0.0.1:6000"}})).ok());
  absl::SetFlag(&FLAGS_grpc_address, "127.0.0.1:7000");
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2})->grpc_address, "127.0.0.1:7000");
}

TEST_F(ConfigTest, MalformedEnvironmentValueNamesTheVariable) {
  absl::Status status = ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_DRAIN_SECONDS", "soon"}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("PARKLINE_DRAIN_SECONDS='soon'"), std::string::npos) << status;
}

TEST_F(ConfigTest, BoundsTheOutboxAndAConsumersAttempts) {
  absl::SetFlag(&FLAGS_allow_plaintext, true);  // the default address is not loopback
  auto defaults = LoadCommonConfig({"x", 1, 2});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->outbox_max_pending, 1000000);
  EXPECT_EQ(defaults->consumer_max_attempts, 10);
  EXPECT_EQ(defaults->outbox_linger_ms, 50);

  absl::SetFlag(&FLAGS_outbox_max_pending, 0);     // no bound
  absl::SetFlag(&FLAGS_consumer_max_attempts, 0);  // retry forever
  auto unbounded = LoadCommonConfig({"x", 1, 2});
  ASSERT_TRUE(unbounded.ok()) << unbounded.status();
  EXPECT_EQ(unbounded->outbox_max_pending, 0);
  EXPECT_EQ(unbounded->consumer_max_attempts, 0);

  absl::SetFlag(&FLAGS_outbox_max_pending, -1);
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2}).status().message(),
            "outbox_max_pending: must be 0..100000000");
  absl::SetFlag(&FLAGS_outbox_max_pending, 5);
  absl::SetFlag(&FLAGS_consumer_max_attempts, 1001);
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2}).status().message(),
            "consumer_max_attempts: must be 0..1000");
  absl::SetFlag(&FLAGS_consumer_max_attempts, 10);
  absl::SetFlag(&FLAGS_outbox_linger_ms, 1001);
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2}).status().message(), "outbox_linger_ms: must be 0..1000");
  absl::SetFlag(&FLAGS_outbox_linger_ms, 0);  // every pass at once
  auto eager = LoadCommonConfig({"x", 1, 2});
  ASSERT_TRUE(eager.ok()) << eager.status();
  EXPECT_EQ(eager->outbox_linger_ms, 0);
}

TEST_F(ConfigTest, RejectsOutOfRangeSettingsWithTheirName) {
  absl::SetFlag(&FLAGS_allow_plaintext, true);
  absl::SetFlag(&FLAGS_drain_seconds, 61);
  auto config = LoadCommonConfig({"x", 1, 2});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("drain_seconds=61"), std::string::npos);

  absl::SetFlag(&FLAGS_drain_seconds, 2);
  absl::SetFlag(&FLAGS_log_level, "loud");
  EXPECT_NE(LoadCommonConfig({"x", 1, 2}).status().message().find("log_level='loud'"),
            std::string::npos);

  absl::SetFlag(&FLAGS_log_level, "info");
  absl::SetFlag(&FLAGS_database_url, "mysql://db");
  EXPECT_NE(LoadCommonConfig({"x", 1, 2}).status().message().find("database_url"),
            std::string::npos);

  absl::SetFlag(&FLAGS_database_url, "");
  absl::SetFlag(&FLAGS_grpc_address, "localhost");
  EXPECT_NE(LoadCommonConfig({"x", 1, 2}).status().message().find("grpc_address='localhost'"),
            std::string::npos);
}

TEST_F(ConfigTest, PlaintextOnlyOnLoopbackUnlessAllowed) {
  auto refused = LoadCommonConfig({"x", 50051, 9451});  // 0.0.0.0:50051 without TLS
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("grpc_address='0.0.0.0:50051'"), std::string::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("allow_plaintext"), std::string::npos);

  for (const char* loopback : {"127.0.0.1:0", "localhost:1", "[::1]:2"}) {
    absl::SetFlag(&FLAGS_grpc_address, loopback);
    auto config = LoadCommonConfig({"x", 1, 2});
    ASSERT_TRUE(config.ok()) << loopback << ": " << config.status();
    EXPECT_FALSE(config->production) << loopback;
  }

  absl::SetFlag(&FLAGS_grpc_address, "10.0.0.5:50051");
  absl::SetFlag(&FLAGS_allow_plaintext, true);
  auto allowed = LoadCommonConfig({"x", 1, 2});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_TRUE(allowed->production);

  absl::SetFlag(&FLAGS_allow_plaintext, false);
  absl::SetFlag(&FLAGS_tls_cert, "/etc/tls.crt");
  absl::SetFlag(&FLAGS_tls_key, "/etc/tls.key");
  EXPECT_TRUE(LoadCommonConfig({"x", 1, 2}).ok());
}

TEST_F(ConfigTest, BoundsAreRanged) {
  absl::SetFlag(&FLAGS_grpc_address, "127.0.0.1:0");
  auto config = LoadCommonConfig({"x", 1, 2});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_max_threads, 1024);
  EXPECT_EQ(config->rate_limit_per_second, 0);
  absl::SetFlag(&FLAGS_grpc_max_threads, 3);
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2}).status().message(), "grpc_max_threads: must be 4..65536");
  absl::SetFlag(&FLAGS_grpc_max_threads, 64);
  absl::SetFlag(&FLAGS_rate_limit_per_second, -1);
  EXPECT_EQ(LoadCommonConfig({"x", 1, 2}).status().message(),
            "rate_limit_per_second: must be 0..1000000");
}

TEST_F(ConfigTest, HostPortRules) {
  EXPECT_TRUE(ValidateHostPort("a", "0.0.0.0:0").ok());
  EXPECT_TRUE(ValidateHostPort("a", "[::1]:50051").ok());
  EXPECT_FALSE(ValidateHostPort("a", ":50051").ok());
  EXPECT_FALSE(ValidateHostPort("a", "host:65536").ok());
  EXPECT_FALSE(ValidateHostPort("a", "host:http").ok());
}

TEST_F(ConfigTest, RangeIncludesBothBoundsAndNamesTheFlagOutsideThem) {
  EXPECT_TRUE(ValidateRange("waiting_hours", 1, 1, 720).ok());
  EXPECT_TRUE(ValidateRange("waiting_hours", 720, 1, 720).ok());
  absl::Status below = ValidateRange("waiting_hours", 0, 1, 720);
  EXPECT_EQ(below.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(below.message(), "waiting_hours: must be 1..720");
  EXPECT_EQ(ValidateRange("waiting_hours", 721, 1, 720).message(), "waiting_hours: must be 1..720");
}

TEST_F(ConfigTest, FirstErrorIsTheEarliestFailedCheck) {
  EXPECT_TRUE(FirstError({}).ok());
  EXPECT_TRUE(FirstError({absl::OkStatus(), absl::OkStatus()}).ok());
  EXPECT_EQ(FirstError({absl::OkStatus(), absl::InvalidArgumentError("a"),
                        absl::InvalidArgumentError("b")})
                .message(),
            "a");
}

TEST_F(ConfigTest, KafkaSecurityComesFromTheEnvironmentAndIsValidatedAtStart) {
  ASSERT_TRUE(
      ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_KAFKA_SECURITY_PROTOCOL", "SSL"},
                                            {"PARKLINE_KAFKA_CA_FILE", "/nonexistent.pem"}}))
          .ok());
  auto config = LoadCommonConfig({"enterprises", 50051, 9451});
  EXPECT_TRUE(absl::IsInvalidArgument(config.status()));
  EXPECT_EQ(config.status().message(), "kafka_ca_file='/nonexistent.pem': cannot read this file");
}

TEST_F(ConfigTest, KafkaPlainLoginWithoutTlsIsRefused) {
  ASSERT_TRUE(
      ApplyEnvironment(testing::FakeGetenv({{"PARKLINE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"},
                                            {"PARKLINE_KAFKA_ALLOW_SASL_PLAINTEXT", "true"},
                                            {"PARKLINE_KAFKA_SASL_MECHANISM", "PLAIN"},
                                            {"PARKLINE_KAFKA_SASL_USERNAME", "parkline"},
                                            {"PARKLINE_KAFKA_SASL_PASSWORD_FILE", "/dev/null"}}))
          .ok());
  auto config = LoadCommonConfig({"enterprises", 50051, 9451});
  EXPECT_TRUE(absl::IsInvalidArgument(config.status()));
  EXPECT_NE(config.status().message().find("kafka_sasl_mechanism=PLAIN"), std::string::npos);
}

}  // namespace
}  // namespace parkline::runtime
