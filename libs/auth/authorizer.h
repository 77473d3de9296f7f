// The authorization check every RPC passes before its handler runs (see handler.h), behind an
// interface so that tests and tools can put in their own.
//
// Implementations must be thread-safe: gRPC calls Authorize from many threads at once.
#ifndef PARKLINE_AUTH_AUTHORIZER_H_
#define PARKLINE_AUTH_AUTHORIZER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/principal.h"

namespace grpc {
class ServerContext;
}

namespace parkline::auth {

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OK to let the call through; UNAUTHENTICATED (no or unknown credentials) or
  // PERMISSION_DENIED (a known caller without the right) otherwise. `method` is the full gRPC
  // method name, "/parkline.enterprises.v1.EnterpriseService/AdmitEnterprise".
  virtual absl::Status Authorize(const grpc::ServerContext& context, absl::string_view method,
                                 const Resource& resource) const = 0;
  // Before a request's payload is read, where the payload names the parties (an XML message):
  // OK when the caller is known and some role of its may call `method`; UNAUTHENTICATED or
  // PERMISSION_DENIED otherwise, so that nothing of the payload is parsed for such a caller.
  // Authorize, with the parties, still follows. OK unless overridden.
  virtual absl::Status Admit(const grpc::ServerContext& context, absl::string_view method) const {
    (void)context;
    (void)method;
    return absl::OkStatus();
  }
  // The caller, for handlers whose answer depends on who asks (a complaint shows the
  // complainant's contact details to its handler only). UNIMPLEMENTED unless overridden.
  virtual absl::StatusOr<Principal> Identify(const grpc::ServerContext& context) const {
    (void)context;
    return absl::UnimplementedError("this authorizer does not identify callers");
  }
};

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_AUTHORIZER_H_
