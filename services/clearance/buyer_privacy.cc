#include "clearance/buyer_privacy.h"

#include <libxml/tree.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ceb/dxp_envelope.h"
#include "ceb/safe_xml.h"

namespace parkline::clearance {
namespace {

using ceb::internal::kCebNamespace;

// The byte offsets where each UTF-8 character of `text` starts (a byte that is not a
// continuation byte 10xxxxxx). Malformed UTF-8 is counted byte by byte, never read past the end.
std::vector<size_t> CharacterStarts(absl::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  return starts;
}

// The first `keep_first` and the last `keep_last` characters of `text`, every other one '*'.
// When that would keep the whole text, every character is masked instead.
std::string KeepEnds(absl::string_view text, size_t keep_first, size_t keep_last) {
  std::vector<size_t> starts = CharacterStarts(text);
  size_t n = starts.size();
  if (keep_first + keep_last >= n) return std::string(n, kMaskCharacter);
  std::string out(text.substr(0, keep_first == 0 ? 0 : starts[keep_first]));
  out.append(n - keep_first - keep_last, kMaskCharacter);
  if (keep_last > 0) absl::StrAppend(&out, text.substr(starts[n - keep_last]));
  return out;
}

bool HasMask(const std::string& value) { return value.find(kMaskCharacter) != std::string::npos; }

// The identity elements of an import inventory head (CEB621), each with its mask.
const std::vector<std::pair<absl::string_view, std::string (*)(absl::string_view)>>&
IdentityElements() {
  static const auto* elements =
      new std::vector<std::pair<absl::string_view, std::string (*)(absl::string_view)>>{
          {"buyerName", &MaskName},
          {"buyerIdNumber", &MaskIdNumber},
          {"buyerTelephone", &MaskTelephone},
          {"consigneeAddress", &MaskAddress},
      };
  return *elements;
}

// Masks the text of every identity element under `node`.
void MaskElements(xmlNode* node) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (const auto& [name, mask] : IdentityElements()) {
      if (!ceb::internal::IsElement(n, kCebNamespace, name)) continue;
      std::string masked = mask(ceb::internal::TrimmedText(n));
      xmlNodeSetContent(n, nullptr);
      // AddContent takes the text as it is (SetContent would read '&' as an entity reference).
      xmlNodeAddContentLen(n, reinterpret_cast<const xmlChar*>(masked.data()),
                           static_cast<int>(masked.size()));
    }
    MaskElements(n->children);
  }
}

}  // namespace

Viewer CustomsViewer() {
  Viewer v;
  v.customs = true;
  return v;
}

bool MaySeeBuyerIdentity(const Viewer& viewer, const v1::Inventory& inventory) {
  if (viewer.customs) return true;
  for (const std::string& code : viewer.codes) {
    if (code.empty()) continue;
    if (code == inventory.ebc_code() || code == inventory.agent_code()) return true;
  }
  return false;
}

std::string MaskName(absl::string_view name) { return KeepEnds(name, 1, 0); }

std::string MaskIdNumber(absl::string_view id_number) { return KeepEnds(id_number, 0, 4); }

std::string MaskTelephone(absl::string_view telephone) { return KeepEnds(telephone, 0, 4); }

std::string MaskAddress(absl::string_view address) {
  return address.empty() ? "" : std::string(4, kMaskCharacter);
}

void MaskBuyerIdentity(v1::Inventory& inventory) {
  inventory.set_buyer_name(MaskName(inventory.buyer_name()));
  inventory.set_buyer_id_number(MaskIdNumber(inventory.buyer_id_number()));
  inventory.set_buyer_telephone(MaskTelephone(inventory.buyer_telephone()));
  inventory.set_consignee_address(MaskAddress(inventory.consignee_address()));
}

bool HoldsMaskedIdentity(const v1::Inventory& inventory) {
  return HasMask(inventory.buyer_name()) || HasMask(inventory.buyer_id_number()) ||
         HasMask(inventory.buyer_telephone()) || HasMask(inventory.consignee_address());
}

v1::ClearanceCase CaseFor(const Viewer& viewer, v1::ClearanceCase c) {
  c.set_buyer_identity_masked(false);
  if (MaySeeBuyerIdentity(viewer, c.inventory())) return c;
  MaskBuyerIdentity(*c.mutable_inventory());
  c.set_buyer_identity_masked(true);
  return c;
}

absl::StatusOr<v1::InventoryMessage> MessageFor(const Viewer& viewer,
                                                const v1::Inventory& inventory,
                                                v1::InventoryMessage message) {
  message.set_buyer_identity_masked(false);
  if (MaySeeBuyerIdentity(viewer, inventory)) return message;
  // The park's own message, but read as carefully as any other.
  auto doc = ceb::internal::ParseUntrustedXml(message.xml(), "the stored inventory message",
                                              message.xml().size() + 1);
  if (!doc.ok()) {
    return absl::InternalError(
        absl::StrCat("case ", message.case_id(), ": ", doc.status().message()));
  }
  MaskElements(xmlDocGetRootElement(doc->get()));
  xmlChar* text = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &text, &size, "UTF-8");
  if (text == nullptr) {
    return absl::InternalError(
        absl::StrCat("case ", message.case_id(), ": the masked message could not be written"));
  }
  message.set_xml(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
  xmlFree(text);
  message.set_buyer_identity_masked(true);
  return message;
}

}  // namespace parkline::clearance
