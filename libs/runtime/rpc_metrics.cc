#include "runtime/rpc_metrics.h"

#include <chrono>
#include <string>

#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "runtime/metrics.h"

namespace parkline::runtime {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  int index = static_cast<int>(code);
  return index >= 0 && index <= 16 ? kNames[index] : "Unknown";
}

struct RpcFamilies {
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Histogram>& seconds;
};

RpcFamilies& Families() {
  static RpcFamilies* families =
      new RpcFamilies{prometheus::BuildCounter()
                          .Name("grpc_server_handled_total")
                          .Help("RPCs completed on the server, by service, method and status code.")
                          .Register(Metrics()),
                      prometheus::BuildHistogram()
                          .Name("grpc_server_handling_seconds")
                          .Help("Time from the start of an RPC to its status, in seconds.")
                          .Register(Metrics())};
  return *families;
}

class RpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RpcMetricsInterceptor(grpc::experimental::ServerRpcInfo* info)
      : start_(std::chrono::steady_clock::now()) {
    // "/package.Service/Method"
    std::string full = info->method() ? info->method() : "/unknown/unknown";
    size_t slash = full.rfind('/');
    service_ = full.substr(1, slash - 1);
    method_ = full.substr(slash + 1);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    RpcFamilies& f = Families();
    f.handled
        .Add({{"grpc_service", service_}, {"grpc_method", method_}, {"grpc_code", CodeName(code)}})
        .Increment();
    static const prometheus::Histogram::BucketBoundaries kBuckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    f.seconds.Add({{"grpc_service", service_}, {"grpc_method", method_}}, kBuckets)
        .Observe(seconds);
  }

  std::chrono::steady_clock::time_point start_;
  std::string service_;
  std::string method_;
};

class RpcMetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcMetricsInterceptor(info);
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory() {
  return std::make_unique<RpcMetricsInterceptorFactory>();
}

}  // namespace parkline::runtime
