// The life of a Parkline service process, written once: configuration (flags and PARKLINE_*
// environment), JSON logs, the metrics endpoint, the database and its migrations, the outbox
// relay, transport security and the authorization of every RPC, the gRPC server with health and
// reflection, consumers; SIGHUP (or an edit of the tokens file) reloads the callers; and the
// stop on SIGTERM/SIGINT: health NOT_SERVING -> drain in-flight RPCs -> stop consumers -> flush
// the outbox -> exit 0.
//
// A service's main() is one call to RunService with what makes the service itself.
#ifndef PARKLINE_HOST_SERVICE_HOST_H_
#define PARKLINE_HOST_SERVICE_HOST_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "auth/access_policy.h"
#include "auth/authorizer.h"
#include "events/consumer.h"
#include "events/outbox_relay.h"
#include "grpcpp/impl/service_type.h"
#include "runtime/config.h"
#include "store/database.h"

namespace parkline::host {

// What the host hands a service while it is being built.
struct HostContext {
  const runtime::CommonConfig& config;
  store::Database& db;
  // Notify it after a transaction that appended events.
  events::OutboxRelay& relay;
  // Checks every RPC against the service's policy (ServiceDefinition::policy).
  const auth::Authorizer& authorizer;
  // The database's instance id (events::DatabaseInstanceId): name consumer groups with it.
  const std::string& database_instance;
};

// What a service consists of. The host owns it all and stops it in order.
struct ServiceParts {
  std::vector<std::unique_ptr<grpc::Service>> grpc_services;
  std::vector<std::unique_ptr<events::EventConsumer>> consumers;
  // Objects the services point to (domain logic, background tasks), destroyed after the server
  // and the consumers stopped, last one first.
  std::vector<std::shared_ptr<void>> keep_alive;
  // Run at SIGTERM before the server drains: end what would otherwise hold the drain to its
  // deadline (long-lived server streams, such as a watch).
  std::vector<std::function<void()>> on_stopping;
};

// A new consumer among `parts`' consumers, reading from the service's brokers, for the events
// its caller then names with On<M>() (which subscribes to their topics). Its group, and the name
// its applied events are recorded under, is "parkline-<service>-<purpose>.<database instance>"
// ("parkline-<service>.<database instance>" for an empty purpose): offsets belong to the
// database that holds the effects, so a fresh database starts a fresh group at the beginning of
// every topic. The host sets the topic prefix and starts it.
events::EventConsumer& AddConsumer(const HostContext& ctx, ServiceParts& parts,
                                   absl::string_view purpose);

struct ServiceDefinition {
  runtime::ServiceDefaults defaults;
  std::string usage;
  // Who may call which RPC: the service's whole policy in one table.
  std::function<const auth::AccessPolicy&()> policy;
  // Applies the service's own migrations (the events tables are applied by the host).
  std::function<absl::Status(store::Database&)> migrate;
  // Builds the service's parts; INVALID_ARGUMENT means a bad setting of its own (exit code 2).
  std::function<absl::StatusOr<ServiceParts>(HostContext&)> build;
};

// Runs the service until SIGTERM or SIGINT. Returns the process exit code: 0 after a clean stop,
// 2 for a configuration error (a bad common setting, or INVALID_ARGUMENT from `build`, where a
// service checks its own), 1 when the service could not start.
int RunService(int argc, char** argv, const ServiceDefinition& definition);

}  // namespace parkline::host

#endif  // PARKLINE_HOST_SERVICE_HOST_H_
