// A Parkline service binary started as a process for an end-to-end test, with a gRPC client of
// it: the environment a test gives it (SQLite in the test's folder, free ports, the local Kafka
// broker, a callers file with one park-admin token), health waiting, calls with a bearer token,
// reflection, and the process itself for signals.
#ifndef PARKLINE_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define PARKLINE_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "runtime/grpc_status.h"
#include "tests/support/reflection_client.h"
#include "tests/support/test_env.h"

namespace parkline::testing {

inline constexpr char kAdminToken[] = "e2e-park-admin-token";

// How a test client reaches the service.
struct ClientOptions {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  std::string token = kAdminToken;  // sent as "authorization: Bearer <token>" unless empty
};

// The callers file a test starts with: one park-admin token.
std::string AdminTokensFile();

class ServiceProcess {
 public:
  // Starts `binary`; `name` names its database and log files in `dir`. Writes dir/tokens.json
  // with AdminTokensFile() unless the test wrote one.
  ServiceProcess(const std::string& binary, const std::string& name, const std::string& dir,
                 std::map<std::string, std::string> extra_env = {}, ClientOptions client = {});
  virtual ~ServiceProcess() = default;

  // Points the client at the service with other credentials and token.
  virtual void Connect(const ClientOptions& client);

  // SERVING, or the last status seen after `timeout`.
  grpc::health::v1::HealthCheckResponse::ServingStatus WaitServing(absl::Duration timeout);

  // The services the server lists through reflection.
  std::set<std::string> ReflectedServices();

  // Every listed service resolved as grpcurl resolves it (reflection_client.h), with the test's
  // token.
  ReflectionReport ResolveReflection();

  ChildProcess& process() { return *process_; }
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }

 protected:
  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;

 private:
  int grpc_port_;
  int metrics_port_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

// A service process with a typed client of its gRPC service.
template <typename Service>
class ServiceUnderTest : public ServiceProcess {
 public:
  ServiceUnderTest(const std::string& binary, const std::string& name, const std::string& dir,
                   std::map<std::string, std::string> extra_env = {}, ClientOptions client = {})
      : ServiceProcess(binary, name, dir, std::move(extra_env), client) {
    stub_ = Service::NewStub(channel_);
  }

  void Connect(const ClientOptions& client) override {
    ServiceProcess::Connect(client);
    stub_ = Service::NewStub(channel_);
  }

  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const Request& request, Response* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    return runtime::FromGrpcStatus(((*stub_).*method)(&ctx, request, response));
  }

 private:
  std::unique_ptr<typename Service::Stub> stub_;
};

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_SERVICE_PROCESS_H_
