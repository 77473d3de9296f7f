// The authorizer the services run: finds the caller from a bearer token in the `authorization`
// metadata ("Bearer <token>") or, failing that, from the subject of a verified TLS client
// certificate, then applies the service's AccessPolicy.
//
// No credentials, or credentials nobody issued -> UNAUTHENTICATED; a known caller without the
// right -> PERMISSION_DENIED. Each refusal is counted in parkline_auth_denied_total and logged
// with the method and the principal's name, never with the token.
//
// A known caller beyond its rate (rate_limiter.h) -> RESOURCE_EXHAUSTED with a google.rpc.RetryInfo
// detail saying how long to wait, counted in parkline_rate_limited_total. Every RPC of a service
// passes here, so this is the one place the limit is applied.
#ifndef PARKLINE_AUTH_GRPC_AUTHORIZER_H_
#define PARKLINE_AUTH_GRPC_AUTHORIZER_H_

#include <optional>

#include "auth/access_policy.h"
#include "auth/authorizer.h"
#include "auth/credentials.h"
#include "auth/rate_limiter.h"

namespace parkline::auth {

class GrpcAuthorizer : public Authorizer {
 public:
  // Neither is owned; both must outlive the authorizer.
  GrpcAuthorizer(const CredentialStore& store, const AccessPolicy& policy, RateLimit limit = {})
      : store_(store), policy_(policy), limiter_(limit) {}

  absl::Status Authorize(const grpc::ServerContext& context, absl::string_view method,
                         const Resource& resource) const override;

  absl::Status Admit(const grpc::ServerContext& context, absl::string_view method) const override;

  // The caller, or UNAUTHENTICATED. Exposed for handlers that filter by party.
  absl::StatusOr<Principal> Identify(const grpc::ServerContext& context) const override;

 private:
  // The limiter's verdict for a caller already authorized for `method`.
  absl::Status Throttle(const grpc::ServerContext& context, absl::string_view method,
                        const Principal& principal) const;

  const CredentialStore& store_;
  const AccessPolicy& policy_;
  mutable RateLimiter limiter_;
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_GRPC_AUTHORIZER_H_
