// A gRPC server as every Parkline service runs it: the service's handlers plus grpc.health.v1,
// server reflection (reflection_service.h: the park's own, closed by a gate in production), per-RPC
// Prometheus metrics (grpc_server_handled_total by service, method and code;
// grpc_server_handling_seconds), message size limits, and a graceful stop.
//
// Start and Stop from one thread (main); the server itself serves from gRPC's threads.
#ifndef PARKLINE_RUNTIME_SERVER_H_
#define PARKLINE_RUNTIME_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "runtime/async_unary.h"
#include "runtime/reflection_service.h"
#include "runtime/server_threads.h"

namespace parkline::runtime {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free one (see GrpcServer::port).
  std::string address;
  // How long in-flight RPCs may run on after Stop() before they are cancelled.
  absl::Duration drain = absl::Seconds(2);
  // Largest request accepted, in bytes (CEB messages with many goods lines stay far below).
  int max_receive_bytes = 8 * 1024 * 1024;
  // Transport security; insecure by default (development).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // The most threads the server runs at once (gRPC's ResourceQuota). Calls arriving when every
  // thread is busy answer RESOURCE_EXHAUSTED ("Server Threadpool Exhausted") rather than letting
  // a flood of slow calls grow the process until it dies. Also the most calls of AsyncService
  // methods served at once (async_unary.h), beyond which they are refused the same way.
  int max_threads = 1024;
  // Who may use server reflection; empty: everyone (development). The host closes it to
  // unauthenticated callers in production mode.
  ReflectionGate reflection_gate;
  // Threads that serve the methods of AsyncService services (async_unary.h).
  int async_threads = 2;
};

class GrpcServer {
 public:
  // Builds and starts the server with `services` (not owned; must outlive the server), marks
  // every service SERVING. A service that is also an AsyncService has its asynchronous methods
  // served by threads of the server's own (async_unary.h).
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(ServerOptions options,
                                                           std::vector<grpc::Service*> services);
  ~GrpcServer();

  int port() const { return port_; }

  // Health NOT_SERVING (so probes and load balancers turn away), then stops accepting calls,
  // lets in-flight ones finish for up to `drain`, and returns when the server is down.
  void Stop();

 private:
  GrpcServer() = default;
  ServerOptions options_;
  std::unique_ptr<ReflectionService> reflection_;
  // Before server_: its queue is destroyed after the server.
  std::unique_ptr<AsyncCalls> async_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> service_names_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_SERVER_H_
