#include "auth/grpc_authorizer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
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

prometheus::Family<prometheus::Counter>& RateLimited() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_rate_limited_total")
                            .Help("RPCs refused because their caller exceeded its rate, by method.")
                            .Register(runtime::Metrics());
  return family;
}

absl::Status TooFast(absl::string_view method, const std::string& principal, absl::Duration wait) {
  RateLimited().Add({{"grpc_method", std::string(method)}}).Increment();
  log::Warn("rpc refused", {{"method", std::string(method)},
                            {"code", "ResourceExhausted"},
                            {"principal", principal},
                            {"retry_after_ms", absl::ToInt64Milliseconds(wait)}});
  absl::Status status = absl::ResourceExhaustedError(
      absl::StrCat("caller '", principal, "' exceeds its rate limit; retry in ",
                   absl::ToInt64Milliseconds(wait), " ms"));
  google::rpc::RetryInfo retry;
  int64_t nanos = absl::ToInt64Nanoseconds(wait);
  retry.mutable_retry_delay()->set_seconds(nanos / 1'000'000'000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  status.SetPayload("type.googleapis.com/google.rpc.RetryInfo",
                    absl::Cord(retry.SerializeAsString()));
  return status;
}

// SubmitMessage-like handlers call Admit and then Authorize for one RPC: the one call must take
// one token. Both run on the thread serving the call (sync server), so the thread remembers the
// call Admit let through.
thread_local const grpc::ServerContext* admitted_call = nullptr;

}  // namespace

absl::Status GrpcAuthorizer::Throttle(const grpc::ServerContext& context, absl::string_view method,
                                      const Principal& principal) const {
  if (admitted_call == &context) {
    admitted_call = nullptr;
    return absl::OkStatus();
  }
  absl::Duration wait = limiter_.Take(principal.name);
  if (wait > absl::ZeroDuration()) return TooFast(method, principal.name, wait);
  return absl::OkStatus();
}

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
  return Throttle(context, method, *principal);
}

absl::Status GrpcAuthorizer::Admit(const grpc::ServerContext& context,
                                   absl::string_view method) const {
  auto principal = Identify(context);
  if (!principal.ok()) return Deny(method, principal.status(), "");
  absl::Status admitted = policy_.Admits(*principal, method);
  if (!admitted.ok()) return Deny(method, admitted, principal->name);
  admitted_call = nullptr;
  if (absl::Status s = Throttle(context, method, *principal); !s.ok()) return s;
  admitted_call = &context;
  return absl::OkStatus();
}

}  // namespace parkline::auth
