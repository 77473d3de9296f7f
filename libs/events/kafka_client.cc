#include "events/kafka_client.h"

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runtime/log.h"

namespace parkline::events {

std::string ScramNonceCaveat(const KafkaSecurity& security, int librdkafka_version) {
  constexpr int kFixedIn = 0x02060100;  // 2.6.1
  const bool sasl = security.protocol == "SASL_SSL" || security.protocol == "SASL_PLAINTEXT";
  const bool scram = sasl && (security.sasl_mechanism.empty() ||
                              absl::StartsWith(security.sasl_mechanism, "SCRAM-"));
  if (!scram || librdkafka_version >= kFixedIn) return "";
  return absl::StrFormat(
      "librdkafka %d.%d.%d sends a SCRAM nonce that Kafka 4 and later refuse (\"invalid "
      "credentials\" although the password is right; fixed in librdkafka 2.6.1): against such "
      "brokers use kafka_sasl_mechanism=PLAIN over SASL_SSL or mutual TLS, or run with "
      "librdkafka 2.6.1 or later",
      (librdkafka_version >> 24) & 0xff, (librdkafka_version >> 16) & 0xff,
      (librdkafka_version >> 8) & 0xff);
}

std::string ScramNonceCaveat(const KafkaSecurity& security) {
  return ScramNonceCaveat(security, RdKafka::version());
}

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> NewClientConf(
    absl::string_view who, const std::string& brokers, const KafkaSecurity& security,
    const std::map<std::string, std::string>& own,
    const std::map<std::string, std::string>& overrides) {
  absl::StatusOr<const std::map<std::string, std::string>> secure = SecurityProperties(security);
  if (!secure.ok()) return secure.status();
  // Said once per process, at the start, so that the refused logins that follow are understood.
  static std::atomic<bool> warned{false};
  if (std::string caveat = ScramNonceCaveat(security); !caveat.empty() && !warned.exchange(true)) {
    log::Warn("kafka SCRAM login may be refused", {{"client", std::string(who)}, {"why", caveat}});
  }
  std::map<std::string, std::string> settings = {{"bootstrap.servers", brokers},
                                                 {"client.id", "parkline"}};
  for (const std::map<std::string, std::string>* layer : {&*secure, &own, &overrides}) {
    for (const auto& [k, v] : *layer) settings[k] = v;
  }
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  // Client metrics pushed to the broker (KIP-714, librdkafka 2.5 and later) are read by nothing
  // here, and a client that pushes them waits up to a second for its last push when it is
  // destroyed: the declarations service's three clients held its exit about 3 s after its
  // "stopped" line (gdb: rd_kafka_telemetry_await_termination). Earlier librdkafka (Debian's
  // 2.0) does not know the property, which is fine; `overrides` may turn it on again.
  if (conf->set("enable.metrics.push", "false", error) == RdKafka::Conf::CONF_INVALID) {
    return absl::InternalError(absl::StrCat("kafka ", who, " enable.metrics.push: ", error));
  }
  for (const auto& [k, v] : settings) {
    if (conf->set(k, v, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kafka ", who, " ", k, "=", IsSecretProperty(k) ? "(secret)" : v, ": ", error));
    }
  }
  return conf;
}

}  // namespace parkline::events
