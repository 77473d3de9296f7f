#include "host/service_host.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "auth/tls.h"
#include "events/schema.h"
#include "host/store_metrics.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/server.h"
#include "runtime/signals.h"
#include "store/migrations.h"

namespace parkline::host {
namespace {

int Fail(absl::string_view what, const absl::Status& status) {
  log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

// A schema newer than this binary is the wrong release for this database, not a fault that a
// restart could cure: exit 2, as for a configuration error, and say which versions.
int FailMigration(const absl::Status& status) {
  if (store::IsSchemaNewerThanBinary(status)) {
    log::Error("refusing to start: the database schema is newer than this binary",
               {{"error", std::string(status.message())}});
    return 2;
  }
  return Fail("migration failed", status);
}

// A port that cannot be bound (taken by another process, or an address not of this host) is a
// start-up failure (exit 1, as every other): the log line names the address so that the operator
// sees which setting or which process is in the way.
int FailListen(absl::string_view what, const std::string& address, const absl::Status& status) {
  log::Error(what, {{"address", address}, {"error", std::string(status.message())}});
  return 1;
}

// Consumers first (they write through the database and may publish), then whatever the relay
// still holds, then what the service built, last made first, so that nothing outlives what it
// uses. The same order on a normal stop and on a start that failed after the parts were built.
void StopParts(ServiceParts& parts, events::OutboxRelay& relay) {
  for (auto& consumer : parts.consumers) consumer->Stop();
  relay.Stop(absl::Seconds(2));
  while (!parts.keep_alive.empty()) parts.keep_alive.pop_back();
}

}  // namespace

events::EventConsumer& AddConsumer(const HostContext& ctx, ServiceParts& parts,
                                   absl::string_view purpose) {
  events::ConsumerOptions options;
  options.brokers = ctx.config.kafka_brokers;
  options.security = ctx.config.kafka_security;
  options.max_attempts = ctx.config.consumer_max_attempts;
  options.group_id = absl::StrCat("parkline-", ctx.config.service, purpose.empty() ? "" : "-",
                                  purpose, ".", ctx.database_instance);
  parts.consumers.push_back(std::make_unique<events::EventConsumer>(ctx.db, std::move(options)));
  return *parts.consumers.back();
}

int RunService(int argc, char** argv, const ServiceDefinition& definition) {
  // Before any thread exists, so that every thread inherits the mask.
  runtime::BlockServiceSignals();
  runtime::DisableMutexDeadlockDetection();
  runtime::ParseFlags(argc, argv, definition.usage);
  auto config = runtime::LoadCommonConfig(definition.defaults);
  if (!config.ok()) {
    std::fprintf(stderr, "configuration error: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  log::Init(config->service, config->log_level);

  auto metrics = runtime::MetricsEndpoint::Start(config->metrics_address);
  if (!metrics.ok()) {
    return FailListen("cannot start the metrics endpoint", config->metrics_address,
                      metrics.status());
  }

  CountTransactionRetries();
  CountBusyWaits();
  auto db = store::Database::Open(config->database_url);
  if (!db.ok()) return Fail("cannot open the database", db.status());
  if (auto s = events::ApplyEventsSchema(**db); !s.ok()) return FailMigration(s);
  if (auto s = definition.migrate(**db); !s.ok()) return FailMigration(s);
  auto instance = events::DatabaseInstanceId(**db);
  if (!instance.ok()) return Fail("cannot read the database instance id", instance.status());

  events::RelayOptions relay_options;
  relay_options.brokers = config->kafka_brokers;
  relay_options.security = config->kafka_security;
  relay_options.topic_prefix = config->topic_prefix;
  relay_options.max_pending = config->outbox_max_pending;
  relay_options.linger = absl::Milliseconds(config->outbox_linger_ms);
  events::OutboxRelay relay(**db, relay_options);
  if (auto s = relay.Start(); !s.ok()) return Fail("cannot start the outbox relay", s);

  auth::TlsFiles tls{config->tls_cert, config->tls_key, config->tls_client_ca,
                     config->tls_reload_seconds};
  auto credentials = auth::ServerCredentials(tls);
  if (!credentials.ok()) return Fail("bad transport security settings", credentials.status());
  if (auth::TransportMode(tls) == "plaintext") {
    log::Warn("gRPC is plaintext: for local development only; set tls_cert and tls_key");
  }
  auth::CredentialStore callers(config->tokens_file);
  if (auto s = callers.Load(); !s.ok()) return Fail("cannot read the callers", s);
  if (config->tokens_file.empty()) {
    log::Warn("no tokens_file: every RPC will be refused as UNAUTHENTICATED");
  }
  auth::GrpcAuthorizer authorizer(
      callers, definition.policy(),
      auth::RateLimit{config->rate_limit_per_second, config->rate_limit_burst});
  HostContext context{*config, **db, relay, authorizer, *instance};
  auto parts = definition.build(context);
  // A service's own settings are checked as it is built (its Config): a bad one is a configuration
  // error like a bad common flag, not a failure to start.
  if (absl::IsInvalidArgument(parts.status())) {
    log::Error("configuration error", {{"error", std::string(parts.status().message())}});
    return 2;
  }
  if (!parts.ok()) return Fail("cannot build the service", parts.status());
  for (auto& consumer : parts->consumers) {
    consumer->SetTopicPrefix(config->topic_prefix);
    if (auto s = consumer->Start(); !s.ok()) {
      StopParts(*parts, relay);
      return Fail("cannot start a consumer", s);
    }
  }

  runtime::ServerOptions server_options;
  server_options.address = config->grpc_address;
  server_options.drain = config->drain;
  server_options.credentials = *credentials;
  server_options.max_threads = config->grpc_max_threads;
  // Reflection hands out the whole API surface: off loopback, only to callers the park knows.
  if (config->production) {
    server_options.reflection_gate = [&authorizer](const grpc::ServerContext& context) {
      return authorizer.Identify(context).status();
    };
  }
  std::vector<grpc::Service*> services;
  for (auto& s : parts->grpc_services) services.push_back(s.get());
  auto server = runtime::GrpcServer::Start(server_options, services);
  if (!server.ok()) {
    StopParts(*parts, relay);
    return FailListen("cannot start the gRPC server", config->grpc_address, server.status());
  }

  log::Info("ready", {{"grpc_port", static_cast<int64_t>((*server)->port())},
                      {"metrics_port", static_cast<int64_t>((*metrics)->port())},
                      {"database", std::string((*db)->backend())},
                      {"transport", auth::TransportMode(tls)},
                      {"kafka_security", config->kafka_security.protocol},
                      {"callers", static_cast<int64_t>(callers.size())}});

  int signal = 0;
  while (!runtime::IsTermination(signal)) {
    // The tokens file is re-read when it changes (checked every second) or on SIGHUP.
    signal = runtime::WaitForSignal(absl::Seconds(1));
    if (!runtime::IsTermination(signal)) callers.ReloadIfChanged();
  }
  absl::Time started = absl::Now();
  log::Info("stopping", {{"signal", static_cast<int64_t>(signal)}});
  for (auto& stopping : parts->on_stopping) stopping();
  (*server)->Stop();  // NOT_SERVING, drain, down: nothing new is accepted from here
  // Whatever the drained RPCs committed goes out now; anything left is published at next start.
  StopParts(*parts, relay);
  log::Info("stopped", {{"took_ms", absl::ToInt64Milliseconds(absl::Now() - started)}});
  return 0;
}

}  // namespace parkline::host
