#include "events/kafka_security.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "events/kafka_client.h"

namespace parkline::events {
namespace {

using ::testing::HasSubstr;

// A file that exists for the length of a test.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/parkline-kafka-security-XXXXXX";
    int fd = mkstemp(name);
    path_ = name;
    std::ofstream(path_) << content;
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(KafkaSecurityTest, PlaintextByDefaultAddsOnlyTheProtocol) {
  auto p = SecurityProperties({});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, (std::map<std::string, std::string>{{"security.protocol", "PLAINTEXT"}}));
}

TEST(KafkaSecurityTest, MutualTlsSetsTheCaCertificateAndKeyAndChecksTheBrokersName) {
  TempFile ca("ca"), cert("cert"), key("key");
  KafkaSecurity s;
  s.protocol = "SSL";
  s.ca_file = ca.path();
  s.cert_file = cert.path();
  s.key_file = key.path();
  auto p = SecurityProperties(s);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->at("security.protocol"), "SSL");
  EXPECT_EQ(p->at("ssl.ca.location"), ca.path());
  EXPECT_EQ(p->at("ssl.certificate.location"), cert.path());
  EXPECT_EQ(p->at("ssl.key.location"), key.path());
  EXPECT_EQ(p->at("ssl.endpoint.identification.algorithm"), "https");
}

TEST(KafkaSecurityTest, ScramIsTheDefaultMechanismAndThePasswordComesFromItsFile) {
  TempFile password("s3cret\n");
  KafkaSecurity s;
  s.protocol = "SASL_SSL";
  s.sasl_username = "parkline";
  s.sasl_password_file = password.path();
  auto p = SecurityProperties(s);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->at("sasl.mechanism"), "SCRAM-SHA-512");
  EXPECT_EQ(p->at("sasl.username"), "parkline");
  EXPECT_EQ(p->at("sasl.password"), "s3cret");
}

TEST(KafkaSecurityTest, PlainIsRefusedWithoutTls) {
  TempFile password("pw");
  KafkaSecurity s;
  s.protocol = "SASL_PLAINTEXT";
  s.allow_sasl_plaintext = true;
  s.sasl_mechanism = "PLAIN";
  s.sasl_username = "parkline";
  s.sasl_password_file = password.path();
  absl::Status v = Validate(s);
  EXPECT_TRUE(absl::IsInvalidArgument(v));
  EXPECT_THAT(v.message(), HasSubstr("PLAIN"));
  s.sasl_mechanism = "SCRAM-SHA-512";
  EXPECT_TRUE(Validate(s).ok()) << "SCRAM over SASL_PLAINTEXT, explicitly allowed";
}

TEST(KafkaSecurityTest, SaslPlaintextNeedsToBeAllowed) {
  TempFile password("pw");
  KafkaSecurity s;
  s.protocol = "SASL_PLAINTEXT";
  s.sasl_username = "parkline";
  s.sasl_password_file = password.path();
  EXPECT_THAT(Validate(s).message(), HasSubstr("kafka_allow_sasl_plaintext"));
}

TEST(KafkaSecurityTest, AMissingFileIsNamed) {
  KafkaSecurity s;
  s.protocol = "SSL";
  s.ca_file = "/nonexistent/ca.pem";
  absl::Status v = Validate(s);
  EXPECT_TRUE(absl::IsInvalidArgument(v));
  EXPECT_THAT(v.message(), HasSubstr("kafka_ca_file='/nonexistent/ca.pem'"));
}

// protocol, ca, cert, key, mechanism, username, password file
KafkaSecurity Make(const char* protocol, const std::string& ca, const std::string& cert,
                   const std::string& key, const char* mechanism, const char* username,
                   const std::string& password_file) {
  KafkaSecurity s;
  s.protocol = protocol;
  s.ca_file = ca;
  s.cert_file = cert;
  s.key_file = key;
  s.sasl_mechanism = mechanism;
  s.sasl_username = username;
  s.sasl_password_file = password_file;
  return s;
}

TEST(KafkaSecurityTest, EachRuleNamesItsSetting) {
  TempFile file("x");
  const std::string f = file.path();
  std::vector<std::pair<KafkaSecurity, const char*>> cases = {
      {Make("TLS", "", "", "", "", "", ""), "kafka_security_protocol='TLS'"},
      {Make("PLAINTEXT", f, "", "", "", "", ""), "need kafka_security_protocol SSL"},
      {Make("SSL", "", f, "", "", "", ""), "kafka_cert_file and kafka_key_file"},
      {Make("SSL", "", "", "", "", "parkline", ""), "kafka_sasl_username"},
      {Make("SASL_SSL", "", "", "", "GSSAPI", "u", f), "kafka_sasl_mechanism='GSSAPI'"},
      {Make("SASL_SSL", "", "", "", "", "", f), "kafka_sasl_username: required"},
      {Make("SASL_SSL", "", "", "", "", "u", ""), "kafka_sasl_password_file: required"},
  };
  for (const auto& [security, names] : cases) {
    absl::Status v = Validate(security);
    EXPECT_TRUE(absl::IsInvalidArgument(v)) << names;
    EXPECT_THAT(v.message(), HasSubstr(names));
  }
}

TEST(KafkaSecurityTest, AnEmptyPasswordFileIsRefusedWithoutQuotingIt) {
  TempFile password("\n");
  KafkaSecurity s;
  s.protocol = "SASL_SSL";
  s.sasl_username = "parkline";
  s.sasl_password_file = password.path();
  auto p = SecurityProperties(s);
  EXPECT_TRUE(absl::IsInvalidArgument(p.status()));
  EXPECT_THAT(p.status().message(), HasSubstr("is empty"));
}

TEST(KafkaSecurityTest, SecretPropertiesAreKnown) {
  EXPECT_TRUE(IsSecretProperty("sasl.password"));
  EXPECT_TRUE(IsSecretProperty("ssl.key.password"));
  EXPECT_FALSE(IsSecretProperty("sasl.username"));
}

// Against Kafka 4 the SCRAM login of librdkafka before 2.6.1 is refused (librdkafka#4895); the
// caveat names the cause and what to do, and stays silent where nothing is wrong.
TEST(KafkaSecurityTest, ScramOnALibrdkafkaBefore261CarriesACaveat) {
  KafkaSecurity scram;
  scram.protocol = "SASL_SSL";  // the mechanism defaults to SCRAM-SHA-512
  std::string caveat = ScramNonceCaveat(scram, 0x020002ff);  // Debian 12's 2.0.2
  EXPECT_THAT(caveat, HasSubstr("librdkafka 2.0.2"));
  EXPECT_THAT(caveat, HasSubstr("2.6.1"));
  EXPECT_THAT(caveat, HasSubstr("PLAIN"));
  EXPECT_NE(ScramNonceCaveat(scram, 0x020600ff), "");  // 2.6.0 still has the bug
  EXPECT_EQ(ScramNonceCaveat(scram, 0x020601ff), "");
  EXPECT_EQ(ScramNonceCaveat(scram, 0x020c01ff), "");
  KafkaSecurity plain = scram;
  plain.sasl_mechanism = "PLAIN";
  EXPECT_EQ(ScramNonceCaveat(plain, 0x020002ff), "");
  KafkaSecurity tls;
  tls.protocol = "SSL";
  EXPECT_EQ(ScramNonceCaveat(tls, 0x020002ff), "");
}

// Every client is made without KIP-714 metrics pushes where librdkafka has them (2.5 and later):
// destroying a client that pushes waits up to a second for its last push, and a service destroys
// several at exit. Overrides still win.
TEST(KafkaClientTest, ClientsPushNoMetricsToTheBrokerUnlessTold) {
  auto conf = NewClientConf("test", "127.0.0.1:9092", KafkaSecurity{}, {}, {});
  ASSERT_TRUE(conf.ok()) << conf.status();
  std::string value;
  if (RdKafka::version() < 0x020500ff) {
    EXPECT_NE((*conf)->get("enable.metrics.push", value), RdKafka::Conf::CONF_OK)
        << "librdkafka " << RdKafka::version_str() << " was not expected to know the property";
    return;
  }
  ASSERT_EQ((*conf)->get("enable.metrics.push", value), RdKafka::Conf::CONF_OK);
  EXPECT_EQ(value, "false");
  auto told = NewClientConf("test", "127.0.0.1:9092", KafkaSecurity{}, {},
                            {{"enable.metrics.push", "true"}});
  ASSERT_TRUE(told.ok()) << told.status();
  ASSERT_EQ((*told)->get("enable.metrics.push", value), RdKafka::Conf::CONF_OK);
  EXPECT_EQ(value, "true");
}

}  // namespace
}  // namespace parkline::events
