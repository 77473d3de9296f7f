#include "clearance/case_personal_data.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_replace.h"
#include "clearance/buyer_privacy.h"
#include "secrets/message_split.h"

namespace parkline::clearance {

const std::vector<std::string>& PersonalFieldsOfCase() {
  static const auto* paths =
      new std::vector<std::string>{"inventory.buyer_id_number", "inventory.buyer_name",
                                   "inventory.buyer_telephone", "inventory.consignee_address"};
  return *paths;
}

absl::StatusOr<SplitCase> SplitCasePersonal(v1::ClearanceCase c) {
  auto personal = secrets::CutFields(c, PersonalFieldsOfCase());
  if (!personal.ok()) return personal.status();
  SplitCase out;
  out.rest = c.SerializeAsString();
  out.personal = std::move(*personal);
  return out;
}

absl::StatusOr<v1::ClearanceCase> JoinCasePersonal(absl::string_view rest,
                                                   absl::string_view personal) {
  v1::ClearanceCase c;
  if (!c.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) {
    return absl::DataLossError("a stored clearance case is unreadable");
  }
  if (auto s = secrets::JoinFields(c, personal); !s.ok()) return s;
  return c;
}

const std::vector<v1::CaseStatus>& StatusesEndingPersonalData() {
  static const auto* statuses = new std::vector<v1::CaseStatus>{
      v1::CASE_STATUS_RELEASED, v1::CASE_STATUS_CLOSED, v1::CASE_STATUS_REJECTED,
      v1::CASE_STATUS_RETURNED, v1::CASE_STATUS_ERROR,  v1::CASE_STATUS_WITHDRAWN};
  return *statuses;
}

std::string RedactIdentity(absl::string_view text, const v1::Inventory& inventory) {
  std::vector<std::pair<std::string, std::string>> masks;
  for (auto [value, mask] :
       {std::pair{inventory.consignee_address(), MaskAddress(inventory.consignee_address())},
        {inventory.buyer_id_number(), MaskIdNumber(inventory.buyer_id_number())},
        {inventory.buyer_telephone(), MaskTelephone(inventory.buyer_telephone())},
        {inventory.buyer_name(), MaskName(inventory.buyer_name())}}) {
    if (!value.empty()) masks.emplace_back(value, mask);
  }
  // Longest first, so that a value inside another (a name inside the address) does not leave
  // the rest of the longer one behind.
  std::stable_sort(masks.begin(), masks.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out(text);
  for (const auto& [value, mask] : masks) absl::StrReplaceAll({{value, mask}}, &out);
  return out;
}

}  // namespace parkline::clearance
