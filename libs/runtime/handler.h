// Runs one unary RPC's body: authorize, then the body (which returns absl::Status), then convert
// the result once for gRPC. Keeps every handler three lines long and makes it impossible to
// forget the authorization check.
#ifndef PARKLINE_RUNTIME_HANDLER_H_
#define PARKLINE_RUNTIME_HANDLER_H_

#include <utility>

#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "runtime/authorizer.h"
#include "runtime/grpc_status.h"

namespace parkline::runtime {

template <typename Body>
grpc::Status HandleUnary(const Authorizer& authorizer, grpc::ServerContext* context,
                         absl::string_view method, Body&& body) {
  absl::Status allowed = authorizer.Authorize(*context, method);
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  return ToGrpcStatus(std::forward<Body>(body)());
}

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_HANDLER_H_
