#include "events/kafka_client.h"

#include "absl/strings/str_cat.h"

namespace parkline::events {

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> NewClientConf(
    absl::string_view who, const std::string& brokers, const KafkaSecurity& security,
    const std::map<std::string, std::string>& own,
    const std::map<std::string, std::string>& overrides) {
  absl::StatusOr<const std::map<std::string, std::string>> secure = SecurityProperties(security);
  if (!secure.ok()) return secure.status();
  std::map<std::string, std::string> settings = {{"bootstrap.servers", brokers},
                                                 {"client.id", "parkline"}};
  for (const std::map<std::string, std::string>* layer : {&*secure, &own, &overrides}) {
    for (const auto& [k, v] : *layer) settings[k] = v;
  }
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [k, v] : settings) {
    if (conf->set(k, v, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kafka ", who, " ", k, "=", IsSecretProperty(k) ? "(secret)" : v, ": ", error));
    }
  }
  return conf;
}

}  // namespace parkline::events
