#include "errors/violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace parkline::errors {

void Violations::Add(absl::string_view field, absl::string_view reason,
                     absl::string_view description) {
  list_.push_back({std::string(field), std::string(reason), std::string(description)});
}

void Violations::AddIf(absl::string_view field, absl::string_view reason, const std::string& rule) {
  if (!rule.empty()) Add(field, reason, rule);
}

absl::Status Violations::ToStatus() const {
  if (list_.empty()) return absl::OkStatus();
  std::string message;
  google::rpc::BadRequest detail;
  for (const Violation& v : list_) {
    absl::StrAppend(&message, message.empty() ? "" : "; ", v.field, ": ", v.description);
    auto* fv = detail.add_field_violations();
    fv->set_field(v.field);
    fv->set_reason(v.reason);
    fv->set_description(v.description);
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(detail.SerializeAsString()));
  return status;
}

std::vector<Violation> ViolationsOf(const absl::Status& status) {
  std::vector<Violation> out;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload) return out;
  google::rpc::BadRequest detail;
  if (!detail.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : detail.field_violations()) {
    out.push_back({fv.field(), fv.reason(), fv.description()});
  }
  return out;
}

}  // namespace parkline::errors
