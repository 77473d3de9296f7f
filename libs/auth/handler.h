// Runs one unary RPC: authorize (the caller, the method, the parties the request names), then
// the body (which returns absl::Status), then convert the result once for gRPC. Every handler is
// one call to this, so none can forget the check.
#ifndef PARKLINE_AUTH_HANDLER_H_
#define PARKLINE_AUTH_HANDLER_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/authorizer.h"
#include "grpcpp/server_context.h"
#include "runtime/grpc_status.h"

namespace parkline::auth {

template <typename Body>
grpc::Status HandleUnary(const Authorizer& authorizer, grpc::ServerContext* context,
                         absl::string_view method, const Resource& resource, Body&& body) {
  absl::Status allowed = authorizer.Authorize(*context, method, resource);
  if (!allowed.ok()) return runtime::ToGrpcStatus(allowed);
  return runtime::ToGrpcStatus(std::forward<Body>(body)());
}

// Stores a use case's result in the RPC's response; the error, if any, goes back as the body's.
template <typename T>
absl::Status Deliver(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return result.status();
  *response = std::move(*result);
  return absl::OkStatus();
}

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_HANDLER_H_
