#include "runtime/config.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, grpc_address, "", "host:port of the gRPC server (default 0.0.0.0:<port>)");
ABSL_FLAG(std::string, metrics_address, "", "host:port of the Prometheus /metrics endpoint");
ABSL_FLAG(std::string, database_url, "",
          "sqlite:///path.db or postgresql://... (default sqlite:///var/lib/parkline/<svc>.db)");
ABSL_FLAG(std::string, kafka_brokers, "127.0.0.1:9092", "Kafka bootstrap servers");
ABSL_FLAG(std::string, kafka_security_protocol, "PLAINTEXT",
          "to the Kafka brokers: PLAINTEXT, SSL, SASL_SSL (or SASL_PLAINTEXT, see "
          "kafka_allow_sasl_plaintext)");
ABSL_FLAG(bool, kafka_allow_sasl_plaintext, false,
          "accept kafka_security_protocol=SASL_PLAINTEXT (a SCRAM login without encryption)");
ABSL_FLAG(std::string, kafka_ca_file, "", "PEM CA of the Kafka brokers' certificates (TLS)");
ABSL_FLAG(std::string, kafka_cert_file, "", "PEM client certificate for the Kafka brokers (mTLS)");
ABSL_FLAG(std::string, kafka_key_file, "", "PEM private key of kafka_cert_file");
ABSL_FLAG(std::string, kafka_sasl_mechanism, "",
          "SCRAM-SHA-512 (default with SASL) or PLAIN (only over SASL_SSL)");
ABSL_FLAG(std::string, kafka_sasl_username, "", "SASL user name");
ABSL_FLAG(std::string, kafka_sasl_password_file, "",
          "file whose first line is the SASL password (never the password itself)");
ABSL_FLAG(
    std::string, topic_prefix, "",
    "prepended to every Kafka topic name (e.g. \"park2.\"): several parks, or isolated tests, "
    "on one broker");
ABSL_FLAG(int, drain_seconds, 2, "seconds in-flight RPCs may finish after SIGTERM (0..60)");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(std::string, tls_cert, "", "server certificate chain (PEM); TLS when set with tls_key");
ABSL_FLAG(std::string, tls_key, "", "server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "", "CA (PEM) that must sign client certificates (mTLS)");
ABSL_FLAG(int, tls_reload_seconds, 60,
          "how often the TLS files are checked for a change, in seconds (1..86400)");
ABSL_FLAG(std::string, tokens_file, "", "callers: hashed bearer tokens and certificate subjects");
ABSL_FLAG(bool, allow_plaintext, false,
          "let gRPC listen without TLS on an address other than loopback (behind a mesh)");
ABSL_FLAG(int, grpc_max_threads, 1024,
          "most threads the gRPC server may run, and most calls it serves asynchronously at once "
          "(4..65536)");
ABSL_FLAG(int, rate_limit_per_second, 0,
          "RPCs per second each caller may sustain (0 = no limit; 0..1000000)");
ABSL_FLAG(int, rate_limit_burst, 200, "RPCs a caller may send at once above its rate (1..1000000)");
ABSL_FLAG(int, consumer_max_attempts, 10,
          "attempts at an event its handler keeps failing on before it is dead-lettered "
          "(0..1000, 0: forever)");
ABSL_FLAG(int64_t, outbox_max_pending, 1000000,
          "unpublished events past which writes are refused UNAVAILABLE (0..100000000, 0: none)");
ABSL_FLAG(int, outbox_linger_ms, 50,
          "under load, the least time between two outbox relay passes, so that a pass carries "
          "the events of that time in one Kafka transaction (0..1000, 0: none)");

namespace parkline::runtime {

std::string EnvName(absl::string_view flag_name) {
  return absl::StrCat("PARKLINE_", absl::AsciiStrToUpper(flag_name));
}

absl::Status ApplyEnvironment(const std::function<const char*(const char*)>& getenv) {
  for (auto& [name, flag] : absl::GetAllFlags()) {
    std::string env = EnvName(name);
    const char* value = getenv(env.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(env, "='", value, "': ", error));
    }
  }
  return absl::OkStatus();
}

std::vector<char*> ParseFlags(int argc, char** argv, absl::string_view usage) {
  absl::SetProgramUsageMessage(usage);
  absl::Status env = ApplyEnvironment([](const char* name) { return std::getenv(name); });
  if (!env.ok()) {
    std::fprintf(stderr, "configuration error: %s\n", std::string(env.message()).c_str());
    std::exit(2);
  }
  return absl::ParseCommandLine(argc, argv);
}

absl::Status ValidateHostPort(absl::string_view setting, absl::string_view value) {
  size_t colon = value.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(setting, "='", value, "': must be host:port with a port 0..65535"));
  }
  return absl::OkStatus();
}

std::string HostOf(absl::string_view host_port) {
  absl::string_view host = host_port.substr(0, host_port.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status ValidateRange(absl::string_view flag, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": must be ", min, "..", max));
  }
  return absl::OkStatus();
}

absl::Status FirstError(std::initializer_list<absl::Status> checks) {
  for (const absl::Status& check : checks) {
    if (!check.ok()) return check;
  }
  return absl::OkStatus();
}

absl::StatusOr<CommonConfig> LoadCommonConfig(const ServiceDefaults& defaults) {
  CommonConfig config;
  config.service = defaults.name;
  config.grpc_address = absl::GetFlag(FLAGS_grpc_address);
  if (config.grpc_address.empty()) {
    config.grpc_address = absl::StrCat("0.0.0.0:", defaults.grpc_port);
  }
  config.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  if (config.metrics_address.empty()) {
    config.metrics_address = absl::StrCat("0.0.0.0:", defaults.metrics_port);
  }
  config.database_url = absl::GetFlag(FLAGS_database_url);
  if (config.database_url.empty()) {
    config.database_url = absl::StrCat("sqlite:///var/lib/parkline/", defaults.name, ".db");
  }
  config.kafka_brokers = absl::GetFlag(FLAGS_kafka_brokers);
  config.topic_prefix = absl::GetFlag(FLAGS_topic_prefix);
  events::KafkaSecurity& kafka = config.kafka_security;
  kafka.protocol = absl::GetFlag(FLAGS_kafka_security_protocol);
  kafka.allow_sasl_plaintext = absl::GetFlag(FLAGS_kafka_allow_sasl_plaintext);
  kafka.ca_file = absl::GetFlag(FLAGS_kafka_ca_file);
  kafka.cert_file = absl::GetFlag(FLAGS_kafka_cert_file);
  kafka.key_file = absl::GetFlag(FLAGS_kafka_key_file);
  kafka.sasl_mechanism = absl::GetFlag(FLAGS_kafka_sasl_mechanism);
  kafka.sasl_username = absl::GetFlag(FLAGS_kafka_sasl_username);
  kafka.sasl_password_file = absl::GetFlag(FLAGS_kafka_sasl_password_file);
  int drain = absl::GetFlag(FLAGS_drain_seconds);
  std::string level = absl::GetFlag(FLAGS_log_level);

  if (auto s = ValidateHostPort("grpc_address", config.grpc_address); !s.ok()) return s;
  if (auto s = ValidateHostPort("metrics_address", config.metrics_address); !s.ok()) return s;
  if (config.database_url.rfind("sqlite://", 0) != 0 &&
      config.database_url.rfind("postgresql://", 0) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database_url='", config.database_url, "': must start with sqlite:// or postgresql://"));
  }
  if (config.kafka_brokers.empty()) {
    return absl::InvalidArgumentError("kafka_brokers: must name at least one host:port");
  }
  if (auto s = events::Validate(kafka); !s.ok()) return s;
  for (char c : config.topic_prefix) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return absl::InvalidArgumentError(absl::StrCat("topic_prefix='", config.topic_prefix,
                                                     "': only letters, digits, '.', '_' and '-'"));
    }
  }
  if (drain < 0 || drain > 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("drain_seconds=", drain, ": must be 0..60 seconds"));
  }
  config.drain = absl::Seconds(drain);
  config.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key = absl::GetFlag(FLAGS_tls_key);
  config.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  config.tokens_file = absl::GetFlag(FLAGS_tokens_file);
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return absl::InvalidArgumentError("tls_cert and tls_key: give both or neither");
  }
  if (!config.tls_client_ca.empty() && config.tls_cert.empty()) {
    return absl::InvalidArgumentError("tls_client_ca: needs tls_cert and tls_key");
  }
  config.allow_plaintext = absl::GetFlag(FLAGS_allow_plaintext);
  config.production = !IsLoopbackHost(HostOf(config.grpc_address));
  if (config.tls_cert.empty() && config.production && !config.allow_plaintext) {
    return absl::InvalidArgumentError(absl::StrCat(
        "grpc_address='", config.grpc_address,
        "': refusing plaintext gRPC on an address other than loopback; set tls_cert and tls_key, "
        "or allow_plaintext when something else encrypts the traffic"));
  }
  config.tls_reload_seconds = absl::GetFlag(FLAGS_tls_reload_seconds);
  config.grpc_max_threads = absl::GetFlag(FLAGS_grpc_max_threads);
  config.rate_limit_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  config.rate_limit_burst = absl::GetFlag(FLAGS_rate_limit_burst);
  if (auto s = FirstError(
          {ValidateRange("grpc_max_threads", config.grpc_max_threads, 4, 65536),
           ValidateRange("rate_limit_per_second", config.rate_limit_per_second, 0, 1000000),
           ValidateRange("rate_limit_burst", config.rate_limit_burst, 1, 1000000)});
      !s.ok()) {
    return s;
  }
  config.outbox_max_pending = absl::GetFlag(FLAGS_outbox_max_pending);
  if (auto s = ValidateRange("outbox_max_pending", config.outbox_max_pending, 0, 100000000);
      !s.ok()) {
    return s;
  }
  config.outbox_linger_ms = absl::GetFlag(FLAGS_outbox_linger_ms);
  if (auto s = ValidateRange("outbox_linger_ms", config.outbox_linger_ms, 0, 1000); !s.ok()) {
    return s;
  }
  config.consumer_max_attempts = absl::GetFlag(FLAGS_consumer_max_attempts);
  if (auto s = ValidateRange("consumer_max_attempts", config.consumer_max_attempts, 0, 1000);
      !s.ok()) {
    return s;
  }
  if (!log::ParseLevel(level, &config.log_level)) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_level='", level, "': must be debug, info, warn or error"));
  }
  return config;
}

}  // namespace parkline::runtime
