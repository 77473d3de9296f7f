#include "host/service_host.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/schema.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/server.h"
#include "runtime/signals.h"

namespace parkline::host {
namespace {

int Fail(absl::string_view what, const absl::Status& status) {
  log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

}  // namespace

int RunService(int argc, char** argv, const ServiceDefinition& definition) {
  // Before any thread exists, so that every thread inherits the mask.
  runtime::BlockTerminationSignals();
  runtime::ParseFlags(argc, argv, definition.usage);
  auto config = runtime::LoadCommonConfig(definition.defaults);
  if (!config.ok()) {
    std::fprintf(stderr, "configuration error: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  log::Init(config->service, config->log_level);

  auto metrics = runtime::MetricsEndpoint::Start(config->metrics_address);
  if (!metrics.ok()) return Fail("cannot start the metrics endpoint", metrics.status());

  auto db = store::Database::Open(config->database_url);
  if (!db.ok()) return Fail("cannot open the database", db.status());
  if (auto s = events::ApplyEventsSchema(**db); !s.ok()) return Fail("migration failed", s);
  if (auto s = definition.migrate(**db); !s.ok()) return Fail("migration failed", s);

  events::RelayOptions relay_options;
  relay_options.brokers = config->kafka_brokers;
  events::OutboxRelay relay(**db, relay_options);
  if (auto s = relay.Start(); !s.ok()) return Fail("cannot start the outbox relay", s);

  runtime::AllowAll authorizer;
  HostContext context{*config, **db, relay, authorizer};
  auto parts = definition.build(context);
  if (!parts.ok()) return Fail("cannot build the service", parts.status());
  for (auto& consumer : parts->consumers) {
    if (auto s = consumer->Start(); !s.ok()) return Fail("cannot start a consumer", s);
  }

  runtime::ServerOptions server_options;
  server_options.address = config->grpc_address;
  server_options.drain = config->drain;
  std::vector<grpc::Service*> services;
  for (auto& s : parts->grpc_services) services.push_back(s.get());
  auto server = runtime::GrpcServer::Start(server_options, services);
  if (!server.ok()) return Fail("cannot start the gRPC server", server.status());

  log::Info("ready", {{"grpc_port", static_cast<int64_t>((*server)->port())},
                      {"metrics_port", static_cast<int64_t>((*metrics)->port())},
                      {"database", (*db)->backend().data()}});

  int signal = runtime::WaitForTerminationSignal();
  absl::Time started = absl::Now();
  log::Info("stopping", {{"signal", static_cast<int64_t>(signal)}});
  (*server)->Stop();  // NOT_SERVING, drain, down: nothing new is accepted from here
  for (auto& consumer : parts->consumers) consumer->Stop();
  // Whatever the drained RPCs committed goes out now; anything left is published at next start.
  relay.Stop(absl::Seconds(2));
  log::Info("stopped", {{"took_ms", absl::ToInt64Milliseconds(absl::Now() - started)}});
  return 0;
}

}  // namespace parkline::host
