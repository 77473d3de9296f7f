// The one place where absl::Status becomes grpc::Status. Inside the services errors are
// absl::Status values (their codes are gRPC's); at the edge the message is kept and payloads
// such as google.rpc.BadRequest become google.rpc.Status details (grpc-status-details-bin),
// which every gRPC client library can decode. Payloads of other type URLs (the store's markers)
// are left out.
#ifndef PARKLINE_RUNTIME_GRPC_STATUS_H_
#define PARKLINE_RUNTIME_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace parkline::runtime {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients and tests: payload details come back as absl::Status payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_GRPC_STATUS_H_
