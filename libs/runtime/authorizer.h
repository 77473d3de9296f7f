// The authorization check every RPC passes before its handler runs. The foundation ships
// AllowAll; the security work puts the real policy (TLS identities, bearer tokens, roles per
// method) behind this interface without touching the handlers.
//
// Implementations must be thread-safe: gRPC calls Authorize from many threads at once.
#ifndef PARKLINE_RUNTIME_AUTHORIZER_H_
#define PARKLINE_RUNTIME_AUTHORIZER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ServerContext;
}

namespace parkline::runtime {

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OK to let the call through; UNAUTHENTICATED or PERMISSION_DENIED otherwise. `method` is the
  // full gRPC method name, "/parkline.enterprises.v1.EnterpriseService/AdmitEnterprise".
  virtual absl::Status Authorize(const grpc::ServerContext& context,
                                 absl::string_view method) const = 0;
};

class AllowAll : public Authorizer {
 public:
  absl::Status Authorize(const grpc::ServerContext&, absl::string_view) const override {
    return absl::OkStatus();
  }
};

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_AUTHORIZER_H_
