// The shape of every unary RPC handler, written once. A handler authorizes (the caller, the method,
// the parties the request names), then runs its body (which returns absl::Status), then converts
// the result once for gRPC. Every handler is one call to HandleUnary, so none can forget the check;
// the macros below write that call:
// - PARKLINE_RPC(name, resource, body), for an RPC whose answer is the same whoever asks;
// - PARKLINE_RPC_AS_VIEWER(name, resource, body), for one whose answer depends on who asks (a case
//   shows the buyer's identity to customs and the declarant only, a complaint its complainant's
//   contact to its handler only): `body` can read `viewer`, the caller as an auth::Viewer
//   (viewer.h);
// - PARKLINE_ADMIT(name), first in a handler whose request carries a payload that names the
//   parties (an XML message): the status refusing an unknown caller, or one none of whose roles
//   may call the RPC, before anything of the payload is parsed; OK otherwise. The handler returns
//   it when it is not OK, then reads the payload and calls PARKLINE_RPC with the parties.
// They are used inside a gRPC service's handler method and expect at the call site `authorizer_`
// (the service's const auth::Authorizer&), `ctx` (the method's grpc::ServerContext*) and `kPrefix`
// (the service's full name between slashes, "/parkline.x.v1.XService/"); `name` is the RPC's name
// and `body` an expression of type absl::Status, usually Deliver(...).
#ifndef PARKLINE_AUTH_HANDLER_H_
#define PARKLINE_AUTH_HANDLER_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/authorizer.h"
#include "auth/viewer.h"
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

// The caller of `method` on `resource`, identified once authorization has passed (so that a
// caller refused never reaches Identify): the refusal, or Identify's status for an authorizer that
// cannot identify callers, otherwise.
inline absl::StatusOr<Principal> AuthorizedCaller(const Authorizer& authorizer,
                                                  const grpc::ServerContext& context,
                                                  absl::string_view method,
                                                  const Resource& resource) {
  absl::Status allowed = authorizer.Authorize(context, method, resource);
  if (!allowed.ok()) return allowed;
  return authorizer.Identify(context);
}

// HandleUnary whose body is given the caller as a Viewer (AuthorizedCaller).
template <typename Body>
grpc::Status HandleUnaryAsViewer(const Authorizer& authorizer, grpc::ServerContext* context,
                                 absl::string_view method, const Resource& resource, Body&& body) {
  auto principal = AuthorizedCaller(authorizer, *context, method, resource);
  if (!principal.ok()) return runtime::ToGrpcStatus(principal.status());
  return runtime::ToGrpcStatus(std::forward<Body>(body)(ViewerOf(*principal)));
}

// HandleUnaryAsViewer for a call answered later (runtime/async_unary.h): `body(viewer, reply)`
// starts the work and returns, and the work hands `reply` its result, from any thread, once. A
// caller refused, or one that cannot be identified, is answered at once and `body` never runs.
template <typename Response, typename Body>
void HandleUnaryLater(const Authorizer& authorizer, const grpc::ServerContext& context,
                      absl::string_view method, const Resource& resource,
                      std::function<void(absl::StatusOr<Response>)> reply, Body&& body) {
  auto principal = AuthorizedCaller(authorizer, context, method, resource);
  if (!principal.ok()) return reply(principal.status());
  std::forward<Body>(body)(ViewerOf(*principal), std::move(reply));
}

// Stores a use case's result in the RPC's response; the error, if any, goes back as the body's.
template <typename T>
absl::Status Deliver(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return result.status();
  *response = std::move(*result);
  return absl::OkStatus();
}

}  // namespace parkline::auth

#define PARKLINE_RPC(name, resource, body)                                                \
  ::parkline::auth::HandleUnary(authorizer_, ctx, std::string(kPrefix) + #name, resource, \
                                [&]() -> ::absl::Status { return body; })

#define PARKLINE_RPC_AS_VIEWER(name, resource, body)            \
  ::parkline::auth::HandleUnaryAsViewer(                        \
      authorizer_, ctx, std::string(kPrefix) + #name, resource, \
      [&](const ::parkline::auth::Viewer& viewer) -> ::absl::Status { return body; })

// Used in a handler of runtime::AsyncCalls (whose arguments are `ctx` and `reply`): `body` is a
// statement that starts the work, can read `viewer` and must hand `reply` the result.
#define PARKLINE_RPC_LATER(name, resource, body)                                   \
  ::parkline::auth::HandleUnaryLater(                                              \
      authorizer_, *ctx, std::string(kPrefix) + #name, resource, std::move(reply), \
      [&](const ::parkline::auth::Viewer& viewer, decltype(reply) reply) { body; })

#define PARKLINE_ADMIT(name) \
  ::parkline::runtime::ToGrpcStatus(authorizer_.Admit(*ctx, std::string(kPrefix) + #name))

#endif  // PARKLINE_AUTH_HANDLER_H_
