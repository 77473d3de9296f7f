#include "runtime/server.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_initializer.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "runtime/log.h"
#include "runtime/rpc_metrics.h"

namespace parkline::runtime {

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    ServerOptions options, std::vector<grpc::Service*> services) {
  // A process-wide switch that must be set before the builder is created.
  grpc::EnableDefaultHealthCheckService(true);

  std::unique_ptr<GrpcServer> server(new GrpcServer());
  server->options_ = options;
  grpc::ServerBuilder builder;
  auto credentials = options.credentials ? options.credentials : grpc::InsecureServerCredentials();
  builder.AddListeningPort(options.address, credentials, &server->port_);
  // gRPC sets SO_REUSEPORT by default, so a second server on a taken port would bind beside the
  // first and share its calls; a taken port must fail the start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  grpc::ResourceQuota quota("parkline-grpc-server");
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  // Idle pollers count against the quota: keep a share of it for the calls themselves.
  SyncServerThreads threads;
  threads.max_pollers = std::max(1, std::min(threads.max_pollers, options.max_threads / 4));
  threads.min_pollers = std::min(threads.min_pollers, threads.max_pollers);
  ConfigureSyncServer(builder, threads);
  std::vector<AsyncService*> async;
  for (grpc::Service* service : services) {
    builder.RegisterService(service);
    if (auto* a = dynamic_cast<AsyncService*>(service)) async.push_back(a);
  }
  if (!async.empty()) {
    server->async_ = std::make_unique<AsyncCalls>(builder.AddCompletionQueue(),
                                                  options.async_threads, options.max_threads);
  }
  server->reflection_ = std::make_unique<ReflectionService>(options.reflection_gate);
  builder.RegisterService(server->reflection_.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(NewRpcMetricsInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", options.address,
                                               " (in use, or not an address of this host)"));
  }
  if (server->async_) {
    for (AsyncService* a : async) a->Serve(*server->async_);
    server->async_->Start();
  }
  // The names the server registered, health and reflection included: gRPC keeps them for its own
  // reflection plugin, and ServerInitializer is the public way to read them.
  grpc::ServerInitializer registered(server->server_.get());
  server->reflection_->SetServices(*registered.GetServiceList());
  auto* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  log::Info("grpc server started",
            {{"address", options.address}, {"port", static_cast<int64_t>(server->port_)}});
  return server;
}

void GrpcServer::Stop() {
  // A server that never started (its port could not be bound) has nothing to stop.
  if (stopped_ || !server_) return;
  stopped_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  log::Info("grpc server draining", {{"drain_ms", absl::ToInt64Milliseconds(options_.drain)}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.drain));
  // The calls in flight are answered (or were cancelled at the drain's end) before their queue
  // stops.
  if (async_) async_->Stop();
  server_->Wait();
}

GrpcServer::~GrpcServer() { Stop(); }

}  // namespace parkline::runtime
