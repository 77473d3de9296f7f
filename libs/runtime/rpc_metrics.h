// Per-RPC Prometheus metrics recorded by a server interceptor, so that no handler has to:
//   grpc_server_handled_total{grpc_service, grpc_method, grpc_code}
//   grpc_server_handling_seconds{grpc_service, grpc_method} (histogram)
// The names follow go-grpc-prometheus, so existing dashboards and alerts apply.
#ifndef PARKLINE_RUNTIME_RPC_METRICS_H_
#define PARKLINE_RUNTIME_RPC_METRICS_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace parkline::runtime {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory();

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_RPC_METRICS_H_
