// The one place where a librdkafka configuration is made: every client of the park (producer,
// consumers, tail reader) gets the brokers, its security settings (KafkaSecurity) and its own
// properties in the same order, so that a setting added here reaches all of them.
//
// Internal to libs/events (it names librdkafka types).
#ifndef PARKLINE_EVENTS_KAFKA_CLIENT_H_
#define PARKLINE_EVENTS_KAFKA_CLIENT_H_

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "events/kafka_security.h"

namespace parkline::events {

// A global configuration with, in this order (later wins): bootstrap.servers = `brokers`,
// client.id = parkline, the properties of `security`, `own` (what the kind of client needs),
// `overrides` (tests). INVALID_ARGUMENT names the property and the client (`who`), never a
// secret's value.
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> NewClientConf(
    absl::string_view who, const std::string& brokers, const KafkaSecurity& security,
    const std::map<std::string, std::string>& own,
    const std::map<std::string, std::string>& overrides = {});

// librdkafka before 2.6.1 puts its own nonce in front of the server's nonce (which already begins
// with it) in SCRAM's client-final message (librdkafka#4895). Kafka up to 3.8.0 never compared
// that nonce, 3.8.1 to 3.9 accepted a match at its end, Kafka 4 compares it exactly (RFC 5802,
// 5.1) and refuses the login as "invalid credentials", although the user and password are right.
// Empty when `security` uses no SCRAM or `librdkafka_version` (RdKafka::version(), 0xMMmmrrxx)
// is not affected; otherwise what an operator can do about it.
std::string ScramNonceCaveat(const KafkaSecurity& security, int librdkafka_version);

// The same for the librdkafka this process runs with.
std::string ScramNonceCaveat(const KafkaSecurity& security);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_KAFKA_CLIENT_H_
