// How a Kafka client proves who it is and protects what it sends: the security protocol, the TLS
// files (a CA to trust, a client certificate for mutual TLS) and the SASL login. Every client
// the park makes (the relay's producer, the consumers and their dead-letter producer, the tail
// reader) takes the same KafkaSecurity, filled once from the common flags
// (runtime::CommonConfig).
//
// Pure values and functions, no librdkafka: the rules are unit-tested without a broker.
// Thread-compatible.
#ifndef PARKLINE_EVENTS_KAFKA_SECURITY_H_
#define PARKLINE_EVENTS_KAFKA_SECURITY_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace parkline::events {

struct KafkaSecurity {
  // PLAINTEXT (default), SSL, SASL_SSL; SASL_PLAINTEXT only with allow_sasl_plaintext.
  std::string protocol = "PLAINTEXT";
  // SASL_PLAINTEXT sends the login unencrypted: refused unless the operator asks for it.
  bool allow_sasl_plaintext = false;
  // PEM CA that signed the brokers' certificates; empty trusts the system's CAs. TLS only.
  std::string ca_file;
  // PEM client certificate and its unencrypted key, for brokers that require mutual TLS; both or
  // neither. TLS only.
  std::string cert_file;
  std::string key_file;
  // SCRAM-SHA-512 (default with SASL) or PLAIN (only over TLS). SASL only.
  std::string sasl_mechanism;
  std::string sasl_username;
  // A file whose first line is the password: a value on the command line would show in `ps`.
  std::string sasl_password_file;
};

// OK, or INVALID_ARGUMENT naming the setting (as its flag, kafka_*) and the rule: an unknown
// protocol or mechanism, PLAIN or SASL_PLAINTEXT without TLS, TLS files without TLS, a certificate
// without its key, a SASL login without SASL or without a username or password file, a file that
// cannot be read. Never quotes the password.
absl::Status Validate(const KafkaSecurity& security);

// The librdkafka properties of `security` (security.protocol, ssl.*, sasl.*), the password read
// from its file. Validates first. The result holds a secret: never log it.
absl::StatusOr<std::map<std::string, std::string>> SecurityProperties(
    const KafkaSecurity& security);

// Whether librdkafka property `name` holds a secret (its value is left out of every message).
bool IsSecretProperty(const std::string& name);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_KAFKA_SECURITY_H_
