#include "runtime/grpc_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "google/rpc/status.pb.h"

namespace parkline::runtime {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  google::rpc::Status detail;
  status.ForEachPayload([&detail](absl::string_view type_url, const absl::Cord& payload) {
    // Only Google's standard details (google.rpc.BadRequest, RetryInfo ...), which clients can
    // decode; the services' own markers (a transient error's cause, "type.parkline.dev/...")
    // are not messages and stay inside.
    if (!absl::StartsWith(type_url, "type.googleapis.com/")) return;
    auto* any = detail.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  if (detail.details_size() == 0) return grpc::Status(code, message);
  detail.set_code(static_cast<int>(code));
  detail.set_message(message);
  return grpc::Status(code, message, detail.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status detail;
  if (!status.error_details().empty() && detail.ParseFromString(status.error_details())) {
    for (const auto& any : detail.details()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace parkline::runtime
