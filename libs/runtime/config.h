// Service configuration. Every Parkline service reads the same common settings from flags, each
// with a PARKLINE_<FLAG_NAME> environment fallback (the command line wins over the environment,
// the environment over the default), validated once at start with a message that names the
// setting and the rule.
//
// A service's own settings have the same shape everywhere, in services/<name>/config.h: a
// `Config` whose every field names its flag and says its meaning, unit, bounds and default (the
// flag's default is taken from the field); a pure `Config::Validate()`; and `LoadConfig()`, which
// reads the flags (so the PARKLINE_<FLAG> fallback holds for them too) and validates them. main
// calls LoadConfig once, at the top of the service's build; its refusal stops the service.
#ifndef PARKLINE_RUNTIME_CONFIG_H_
#define PARKLINE_RUNTIME_CONFIG_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "events/kafka_security.h"
#include "runtime/log.h"

namespace parkline::runtime {

// What differs between services before any flag is read.
struct ServiceDefaults {
  std::string name;  // "enterprises": the log's `service`, the CloudEvents source, file names
  int grpc_port = 0;
  int metrics_port = 0;
};

// The settings every service has. Filled once in main by LoadCommonConfig.
struct CommonConfig {
  std::string service;
  // --grpc_address / PARKLINE_GRPC_ADDRESS: host:port of the gRPC server.
  // Default 0.0.0.0:<the service's port>.
  std::string grpc_address;
  // --metrics_address / PARKLINE_METRICS_ADDRESS: host:port serving /metrics (Prometheus).
  std::string metrics_address;
  // --database_url / PARKLINE_DATABASE_URL: sqlite:///path/to/file.db (embedded default,
  // sqlite:///var/lib/parkline/<service>.db) or postgresql://... .
  std::string database_url;
  // --kafka_brokers / PARKLINE_KAFKA_BROKERS: bootstrap servers, default 127.0.0.1:9092.
  std::string kafka_brokers;
  // How every Kafka client of the service reaches the brokers, validated at start (a file that
  // cannot be read is named):
  //   --kafka_security_protocol / PARKLINE_KAFKA_SECURITY_PROTOCOL: PLAINTEXT (default), SSL,
  //     SASL_SSL; SASL_PLAINTEXT only with --kafka_allow_sasl_plaintext.
  //   --kafka_ca_file, --kafka_cert_file, --kafka_key_file / PARKLINE_KAFKA_CA_FILE, ...: PEM CA
  //     of the brokers, client certificate and key (mutual TLS).
  //   --kafka_sasl_mechanism (SCRAM-SHA-512 default, or PLAIN over TLS only),
  //     --kafka_sasl_username, --kafka_sasl_password_file (the password is read from a file, never
  //     given as a value, so that it does not show in `ps`).
  events::KafkaSecurity kafka_security;
  // --topic_prefix / PARKLINE_TOPIC_PREFIX: prepended to every topic this service publishes to
  // and reads from (default empty), so that two parks or isolated tests share one broker.
  std::string topic_prefix;
  // --drain_seconds / PARKLINE_DRAIN_SECONDS: how long in-flight RPCs may finish after SIGTERM
  // (0..60, default 2).
  absl::Duration drain;
  // --log_level / PARKLINE_LOG_LEVEL: debug, info (default), warn, error.
  log::Level log_level = log::Level::kInfo;
  // --tls_cert, --tls_key / PARKLINE_TLS_CERT, PARKLINE_TLS_KEY: PEM files; gRPC over TLS when
  // both are given, plaintext (logged as a warning) when neither is.
  std::string tls_cert;
  std::string tls_key;
  // --tls_client_ca / PARKLINE_TLS_CLIENT_CA: PEM CA; when given, callers must present a client
  // certificate it signed (mutual TLS).
  std::string tls_client_ca;
  // --tls_reload_seconds / PARKLINE_TLS_RELOAD_SECONDS: how often the three files above are
  // checked for a change; new connections get the new certificate (1..86400, default 60).
  int tls_reload_seconds = 60;
  // --tokens_file / PARKLINE_TOKENS_FILE: the callers (hashed bearer tokens, certificate
  // subjects) with their roles; re-read when it changes or on SIGHUP. Without it, every RPC is
  // refused as UNAUTHENTICATED.
  std::string tokens_file;
  // --allow_plaintext / PARKLINE_ALLOW_PLAINTEXT: without TLS, the gRPC server refuses to listen
  // on an address other than loopback unless this is set (a mesh sidecar encrypts for it).
  bool allow_plaintext = false;
  // --grpc_max_threads / PARKLINE_GRPC_MAX_THREADS: the most threads the gRPC server may run at
  // once (gRPC's ResourceQuota), and the most calls it serves asynchronously at once
  // (async_unary.h); a call that finds none answers RESOURCE_EXHAUSTED instead of growing the
  // process without bound (4..65536, default 1024).
  int grpc_max_threads = 1024;
  // --rate_limit_per_second, --rate_limit_burst / PARKLINE_RATE_LIMIT_PER_SECOND,
  // PARKLINE_RATE_LIMIT_BURST: a token bucket per caller; beyond it RPCs get RESOURCE_EXHAUSTED
  // with google.rpc.RetryInfo. 0 per second (the default) turns it off (0..1000000 per second,
  // burst 1..1000000, default 200).
  int rate_limit_per_second = 0;
  int rate_limit_burst = 200;
  // Production mode: the gRPC server listens on an address other than loopback. There, server
  // reflection answers authenticated callers only.
  bool production = false;
  // --outbox_max_pending / PARKLINE_OUTBOX_MAX_PENDING: how many unpublished events the outbox
  // may hold (a broker outage) before writes that append events are refused UNAVAILABLE
  // (0..100000000, 0: no bound, default 1000000).
  int64_t outbox_max_pending = 1000000;
  // --outbox_linger_ms / PARKLINE_OUTBOX_LINGER_MS: after a relay pass that published events, the
  // least time before the next one begins (0..1000, default 50): under load a pass then carries
  // the events of that time in one Kafka transaction, rather than a few each (every transaction
  // costs the broker a marker per partition and the outbox two writes: measured on the 2-core
  // machine, about 8 ms of broker CPU each, so that 20 ms let the broker take a third of the host
  // under load on PostgreSQL). The first event after a quiet spell goes at once.
  int outbox_linger_ms = 50;
  // --consumer_max_attempts / PARKLINE_CONSUMER_MAX_ATTEMPTS: how many times a consumer tries an
  // event its handler keeps failing on (not a transient error) before dead-lettering it
  // (0..1000, 0: forever, default 10; backoff 0.1 s doubling up to 10 s between attempts).
  int consumer_max_attempts = 10;
};

// True for 127.0.0.0/8, ::1 and "localhost": the host part of a host:port.
bool IsLoopbackHost(absl::string_view host);

// The host of "host:port" ("[::1]:50051" -> "::1").
std::string HostOf(absl::string_view host_port);

// "grpc_address" -> "PARKLINE_GRPC_ADDRESS".
std::string EnvName(absl::string_view flag_name);

// Sets every registered flag whose PARKLINE_* variable `getenv` returns, before the command line
// is parsed (so that the command line still wins). Errors name the variable and the flag's rule.
absl::Status ApplyEnvironment(const std::function<const char*(const char*)>& getenv);

// Applies the environment, then parses argv; prints the error and exits 2 on a bad setting.
std::vector<char*> ParseFlags(int argc, char** argv, absl::string_view usage);

// Reads the common flags (after ParseFlags) and validates them.
absl::StatusOr<CommonConfig> LoadCommonConfig(const ServiceDefaults& defaults);

// host:port with a port 0..65535 (0 asks the system for a free port; tests use it).
absl::Status ValidateHostPort(absl::string_view setting, absl::string_view value);

// A service's own integer setting within min..max (both included). Every service words the
// refusal the same way, "<flag>: must be <min>..<max>", so that the operator sees which flag
// (or PARKLINE_ variable) to change and to what.
absl::Status ValidateRange(absl::string_view flag, int64_t value, int64_t min, int64_t max);

// The first of `checks` that failed, or OK: a Validate() reads as the list of its rules.
absl::Status FirstError(std::initializer_list<absl::Status> checks);

// `config` once its Validate() passed, else the refusal: the last step of every service's
// LoadConfig.
template <typename Config>
absl::StatusOr<Config> Validated(Config config) {
  if (absl::Status s = config.Validate(); !s.ok()) return s;
  return config;
}

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_CONFIG_H_
