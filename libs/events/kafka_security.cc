#include "events/kafka_security.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace parkline::events {
namespace {

bool UsesTls(const std::string& protocol) { return protocol == "SSL" || protocol == "SASL_SSL"; }
bool UsesSasl(const std::string& protocol) {
  return protocol == "SASL_SSL" || protocol == "SASL_PLAINTEXT";
}

absl::Status Readable(const char* flag, const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(flag, "='", path, "': cannot read this file"));
  }
  return absl::OkStatus();
}

std::string Mechanism(const KafkaSecurity& s) {
  return s.sasl_mechanism.empty() ? "SCRAM-SHA-512" : s.sasl_mechanism;
}

}  // namespace

absl::Status Validate(const KafkaSecurity& s) {
  const std::string& p = s.protocol;
  if (p != "PLAINTEXT" && p != "SSL" && p != "SASL_SSL" && p != "SASL_PLAINTEXT") {
    return absl::InvalidArgumentError(absl::StrCat(
        "kafka_security_protocol='", p, "': must be PLAINTEXT, SSL, SASL_SSL or SASL_PLAINTEXT"));
  }
  if (p == "SASL_PLAINTEXT" && !s.allow_sasl_plaintext) {
    return absl::InvalidArgumentError(
        "kafka_security_protocol=SASL_PLAINTEXT: sends the login unencrypted; use SASL_SSL, or "
        "set kafka_allow_sasl_plaintext if the network is otherwise protected");
  }
  if (!UsesTls(p) && (!s.ca_file.empty() || !s.cert_file.empty() || !s.key_file.empty())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kafka_ca_file, kafka_cert_file, kafka_key_file: need kafka_security_protocol SSL or "
        "SASL_SSL (it is ",
        p, ")"));
  }
  if (s.cert_file.empty() != s.key_file.empty()) {
    return absl::InvalidArgumentError("kafka_cert_file and kafka_key_file: give both or neither");
  }
  if (!UsesSasl(p) &&
      (!s.sasl_mechanism.empty() || !s.sasl_username.empty() || !s.sasl_password_file.empty())) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka_sasl_mechanism, kafka_sasl_username, kafka_sasl_password_file: need "
                     "kafka_security_protocol SASL_SSL (it is ",
                     p, ")"));
  }
  if (UsesSasl(p)) {
    const std::string mechanism = Mechanism(s);
    if (mechanism != "SCRAM-SHA-512" && mechanism != "PLAIN") {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka_sasl_mechanism='", mechanism, "': must be SCRAM-SHA-512 or PLAIN"));
    }
    if (mechanism == "PLAIN" && !UsesTls(p)) {
      return absl::InvalidArgumentError(
          "kafka_sasl_mechanism=PLAIN: sends the password as it is; only with "
          "kafka_security_protocol=SASL_SSL");
    }
    if (s.sasl_username.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("kafka_sasl_username: required with ", p));
    }
    if (s.sasl_password_file.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka_sasl_password_file: required with ", p));
    }
  }
  for (auto [flag, path] : {std::pair<const char*, const std::string*>{"kafka_ca_file", &s.ca_file},
                            {"kafka_cert_file", &s.cert_file},
                            {"kafka_key_file", &s.key_file},
                            {"kafka_sasl_password_file", &s.sasl_password_file}}) {
    if (auto r = Readable(flag, *path); !r.ok()) return r;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> SecurityProperties(const KafkaSecurity& s) {
  if (auto v = Validate(s); !v.ok()) return v;
  std::map<std::string, std::string> properties = {{"security.protocol", s.protocol}};
  if (UsesTls(s.protocol)) {
    // librdkafka checks the broker's name against its certificate by default since 2.0: said
    // here so that nobody turns it off by accident.
    properties["ssl.endpoint.identification.algorithm"] = "https";
    if (!s.ca_file.empty()) properties["ssl.ca.location"] = s.ca_file;
    if (!s.cert_file.empty()) {
      properties["ssl.certificate.location"] = s.cert_file;
      properties["ssl.key.location"] = s.key_file;
    }
  }
  if (UsesSasl(s.protocol)) {
    std::ifstream in(s.sasl_password_file);
    std::string password;
    std::getline(in, password);
    password = std::string(absl::StripTrailingAsciiWhitespace(password));
    if (password.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka_sasl_password_file='", s.sasl_password_file, "': is empty"));
    }
    properties["sasl.mechanism"] = Mechanism(s);
    properties["sasl.username"] = s.sasl_username;
    properties["sasl.password"] = std::move(password);
  }
  return properties;
}

bool IsSecretProperty(const std::string& name) {
  return name == "sasl.password" || name == "ssl.key.password" || name == "ssl.key.pem" ||
         name == "sasl.oauthbearer.client.secret";
}

}  // namespace parkline::events
