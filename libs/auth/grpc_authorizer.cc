#include "auth/grpc_authorizer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/server_context.h"
#include "prometheus/counter.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::auth {
namespace {

prometheus::Family<prometheus::Counter>& Denied() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_auth_denied_total")
                            .Help("RPCs refused by authorization, by method and code.")
                            .Register(runtime::Metrics());
  return family;
}

absl::Status Deny(absl::string_view method, const absl::Status& status,
                  const std::string& principal) {
  std::string code = absl::IsUnauthenticated(status) ? "Unauthenticated" : "PermissionDenied";
  Denied().Add({{"grpc_method", std::string(method)}, {"grpc_code", code}}).Increment();
  log::Warn("rpc refused", {{"method", std::string(method)},
                            {"code", code},
                            {"principal", principal},
                            {"reason", std::string(status.message())}});
  return status;
}

}  // namespace

absl::StatusOr<Principal> GrpcAuthorizer::Identify(const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header != metadata.end()) {
    absl::string_view value(header->second.data(), header->second.size());
    constexpr absl::string_view kBearer = "bearer ";
    if (value.size() <= kBearer.size() ||
        !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
      return absl::UnauthenticatedError("authorization metadata must be \"Bearer <token>\"");
    }
    auto principal = store_.ByToken(absl::StripAsciiWhitespace(value.substr(kBearer.size())));
    if (!principal) return absl::UnauthenticatedError("the bearer token is not recognised");
    return *principal;
  }
  auto auth = context.auth_context();
  if (auth && auth->IsPeerAuthenticated()) {
    for (const auto& subject : auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME)) {
      auto principal = store_.BySubject(std::string(subject.data(), subject.size()));
      if (principal) return *principal;
    }
    return absl::UnauthenticatedError("the client certificate is not mapped to a caller");
  }
  return absl::UnauthenticatedError(
      "no credentials: send \"authorization: Bearer <token>\" or a client certificate");
}

absl::Status GrpcAuthorizer::Authorize(const grpc::ServerContext& context, absl::string_view method,
                                       const Resource& resource) const {
  auto principal = Identify(context);
  if (!principal.ok()) return Deny(method, principal.status(), "");
  absl::Status allowed = policy_.Check(*principal, method, resource);
  if (!allowed.ok()) return Deny(method, allowed, principal->name);
  return absl::OkStatus();
}

absl::Status GrpcAuthorizer::Admit(const grpc::ServerContext& context,
                                   absl::string_view method) const {
  auto principal = Identify(context);
  if (!principal.ok()) return Deny(method, principal.status(), "");
  absl::Status admitted = policy_.Admits(*principal, method);
  if (!admitted.ok()) return Deny(method, admitted, principal->name);
  return absl::OkStatus();
}

}  // namespace parkline::auth
