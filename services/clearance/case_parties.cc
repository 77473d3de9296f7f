#include "clearance/case_parties.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "clearance/buyer_privacy.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace parkline::clearance {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// A scalar field of a line as text, and whether it holds anything ("" and 0 hold nothing).
std::string FieldText(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t n = r->GetInt32(m, f);
      return n == 0 ? "" : absl::StrCat(n);
    }
    default:
      return "";  // InventoryLine has strings and one int32 only
  }
}

}  // namespace

bool DeclaresForItself(const auth::Viewer& viewer, const v1::Inventory& inventory) {
  const std::string& agent = inventory.agent_code();
  return agent.empty() || agent == inventory.ebc_code() ||
         (viewer.SpeaksFor(agent) && viewer.SpeaksFor(inventory.ebc_code()));
}

absl::Status MayDeclareAs(const auth::Viewer& viewer, const v1::Inventory& inventory,
                          bool agent_mandate_in_force) {
  if (DeclaresForItself(viewer, inventory) || agent_mandate_in_force) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "inventory.agent_code: no mandate from ", inventory.ebc_code(), " to ",
      inventory.agent_code(),
      " is in force: a broker declares for an e-commerce enterprise only under its mandate"));
}

bool IsDeclarant(const auth::Viewer& viewer, const v1::Inventory& inventory,
                 bool agent_mandate_in_force) {
  if (viewer.admin || viewer.SpeaksFor(inventory.ebc_code())) return true;
  return !DeclaresForItself(viewer, inventory) && agent_mandate_in_force &&
         viewer.SpeaksFor(inventory.agent_code());
}

absl::Status MayOpenCase(const auth::Viewer& viewer, const v1::Inventory& inventory,
                         bool agent_mandate_in_force) {
  if (!IsDeclarant(viewer, inventory, agent_mandate_in_force)) {
    if (viewer.SpeaksFor(inventory.agent_code())) {
      return MayDeclareAs(viewer, inventory, /*agent_mandate_in_force=*/false);
    }
    return absl::PermissionDeniedError(
        "inventory.ebc_code: only the e-commerce enterprise, a broker it mandated (as "
        "agent_code) or the park admin opens a case in its name");
  }
  return MayDeclareAs(viewer, inventory, agent_mandate_in_force);
}

absl::Status MayRetryOpenCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                              bool stored_agent_mandate_in_force) {
  if (IsDeclarant(viewer, stored.inventory(), stored_agent_mandate_in_force)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "inventory.cop_no: this ebc_code and cop_no belong to a case another declarant opened");
}

absl::Status MaySubmitCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                           bool stored_agent_mandate_in_force) {
  if (IsDeclarant(viewer, stored.inventory(), stored_agent_mandate_in_force)) {
    return absl::OkStatus();
  }
  if (MaySeeCase(viewer, stored, stored_agent_mandate_in_force)) {
    return absl::PermissionDeniedError(
        "case_id: only the case's e-commerce enterprise, its broker under a mandate in force, "
        "or the park admin submits it");
  }
  return absl::NotFoundError(absl::StrCat("case_id: no case ", stored.case_id()));
}

void CheckCompletion(const v1::Inventory& stored, const v1::Inventory& arriving,
                     const std::string& field, errors::Violations& v) {
  auto keep = [&](const std::string& was, const std::string& now, const char* name) {
    if (now != was) {
      v.Add(absl::StrCat(field, ".", name), "UNCHANGEABLE",
            absl::StrCat("must stay \"", was, "\""));
    }
  };
  keep(stored.order_no(), arriving.order_no(), "order_no");
  keep(stored.ebp_code(), arriving.ebp_code(), "ebp_code");
  keep(stored.ebc_code(), arriving.ebc_code(), "ebc_code");
  keep(stored.cop_no(), arriving.cop_no(), "cop_no");
  auto fill_only = [&](const std::string& was, const std::string& now, const char* name) {
    if (!was.empty() && now != was) {
      v.Add(absl::StrCat(field, ".", name), "UNCHANGEABLE",
            absl::StrCat("was \"", was, "\"; once stored it cannot be changed"));
    }
  };
  fill_only(stored.logistics_code(), arriving.logistics_code(), "logistics_code");
  fill_only(stored.logistics_no(), arriving.logistics_no(), "logistics_no");
  // What the case's value is in (every event's CaseFacts), as its lines' prices are.
  fill_only(stored.currency(), arriving.currency(), "currency");
  // A masked value is MASKED (CheckInventory); the stored identity is never quoted.
  for (auto [was, now, name] :
       {std::tuple{&stored.buyer_id_type(), &arriving.buyer_id_type(), "buyer_id_type"},
        {&stored.buyer_id_number(), &arriving.buyer_id_number(), "buyer_id_number"},
        {&stored.buyer_name(), &arriving.buyer_name(), "buyer_name"},
        {&stored.buyer_telephone(), &arriving.buyer_telephone(), "buyer_telephone"},
        {&stored.consignee_address(), &arriving.consignee_address(), "consignee_address"}}) {
    if (was->empty() || *now == *was || now->find(kMaskCharacter) != std::string::npos) continue;
    v.Add(absl::StrCat(field, ".", name), "UNCHANGEABLE",
          "the buyer's identity, once stored, cannot be changed");
  }
  if (stored.lines_size() > 0 && arriving.lines_size() != stored.lines_size()) {
    v.Add(absl::StrCat(field, ".lines"), "UNCHANGEABLE",
          absl::StrCat("must keep its ", stored.lines_size(), " goods lines"));
    return;
  }
  const auto* descriptor = v1::InventoryLine::descriptor();
  for (int i = 0; i < stored.lines_size(); ++i) {
    for (int k = 0; k < descriptor->field_count(); ++k) {
      const FieldDescriptor* f = descriptor->field(k);
      std::string was = FieldText(stored.lines(i), f);
      if (!was.empty() && FieldText(arriving.lines(i), f) != was) {
        v.Add(absl::StrCat(field, ".lines[", i, "].", f->name()), "UNCHANGEABLE",
              absl::StrCat("was \"", was, "\"; the goods, once stored, cannot be changed"));
      }
    }
  }
}

bool MaySeeCase(const auth::Viewer& viewer, const v1::ClearanceCase& stored,
                bool stored_agent_mandate_in_force) {
  if (viewer.park_staff || viewer.admin || viewer.customs) return true;
  const v1::Inventory& i = stored.inventory();
  if (viewer.SpeaksFor(i.ebp_code()) || viewer.SpeaksFor(i.ebc_code()) ||
      viewer.SpeaksFor(i.logistics_code())) {
    return true;
  }
  if (!viewer.SpeaksFor(i.agent_code())) return false;
  return stored.has_submit_time() || stored_agent_mandate_in_force;
}

}  // namespace parkline::clearance
