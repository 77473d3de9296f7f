#include "ceb/receipt_reader.h"

#include <libxml/tree.h>

#include "absl/strings/str_cat.h"
#include "ceb/ceb_reader.h"
#include "ceb/dxp_envelope.h"
#include "ceb/safe_xml.h"

namespace parkline::ceb {
namespace {

using internal::FindChild;
using internal::IsElement;
using internal::TrimmedText;
using internal::View;

constexpr absl::string_view kCeb = internal::kCebNamespace;

std::string Child(const xmlNode* parent, const char* name) {
  const xmlNode* node = FindChild(parent, kCeb, name);
  return node == nullptr ? "" : TrimmedText(node);
}

absl::StatusOr<InventoryReturns> ReadRoot(const xmlNode* root) {
  InventoryReturns out;
  if (IsElement(root, kCeb, "CEB622Message")) {
    out.message_type = "CEB622";
  } else if (IsElement(root, kCeb, "CEB604Message")) {
    out.message_type = "CEB604";
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("xml: the root element <", View(root->name),
                     "> is not CEB622Message or CEB604Message in namespace ", kCeb));
  }
  int index = 0;
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (!IsElement(n, kCeb, "InventoryReturn")) continue;
    parkline::clearance::v1::CustomsReceipt r;
    r.set_guid(Child(n, "guid"));
    r.set_return_status(Child(n, "returnStatus"));
    r.set_return_time(Child(n, "returnTime"));
    r.set_return_info(Child(n, "returnInfo"));
    r.set_pre_no(Child(n, "preNo"));
    r.set_invt_no(Child(n, "invtNo"));
    for (auto [value, name] : {std::pair{&r.guid(), "guid"},
                               {&r.return_status(), "returnStatus"},
                               {&r.return_time(), "returnTime"}}) {
      if (value->empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("xml: InventoryReturn[", index, "] (line ", n->line, ") has no ", name));
      }
    }
    out.receipts.push_back(std::move(r));
    ++index;
  }
  if (out.receipts.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("xml: ", out.message_type, " carries no InventoryReturn"));
  }
  return out;
}

}  // namespace

absl::StatusOr<InventoryReturns> ReadInventoryReturns(absl::string_view xml) {
  auto doc = internal::OpenCebDocument(xml, "xml", kMaxCebMessageBytes);
  if (!doc.ok()) return doc.status();
  return ReadRoot(doc->root());
}

}  // namespace parkline::ceb
