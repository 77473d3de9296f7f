#include "ceb/dxp_envelope.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace parkline::ceb::internal {
namespace {

// The CEB message inside a DxpMsg: <Data> decoded from base64 and parsed.
absl::StatusOr<XmlDocPtr> OpenData(const xmlNode* dxp_msg, size_t max_bytes) {
  const xmlNode* data = FindChild(dxp_msg, kDxpNamespace, "Data");
  if (data == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("DxpMsg has no <Data> element in namespace ", kDxpNamespace));
  }
  for (const xmlNode* child = data->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      return absl::InvalidArgumentError(
          absl::StrCat(kDxpData, " holds the element ", DescribeElement(child),
                       "; Data is xs:base64Binary, so the CEB message must be base64 text"));
    }
  }
  std::string encoded = TrimmedText(data);
  // Base64 in XML is usually wrapped into lines.
  encoded.erase(std::remove_if(encoded.begin(), encoded.end(),
                               [](unsigned char c) { return absl::ascii_isspace(c); }),
                encoded.end());
  if (encoded.empty()) return absl::InvalidArgumentError(absl::StrCat(kDxpData, " is empty"));
  std::string decoded;
  if (!absl::Base64Unescape(encoded, &decoded)) {
    return absl::InvalidArgumentError(absl::StrCat(kDxpData, " is not valid base64"));
  }
  return ParseUntrustedXml(decoded, kDxpData, max_bytes);
}

}  // namespace

absl::StatusOr<CebDocument> OpenCebDocument(absl::string_view xml, absl::string_view what,
                                            size_t max_bytes) {
  absl::StatusOr<XmlDocPtr> outer = ParseUntrustedXml(xml, what, max_bytes);
  if (!outer.ok()) return outer.status();
  const xmlNode* root = xmlDocGetRootElement(outer->get());
  if (IsElement(root, kDxpNamespace, "DxpMsgSv")) {
    root = FindChild(root, kDxpNamespace, "DxpMsg");
    if (root == nullptr) return absl::InvalidArgumentError("DxpMsgSv holds no DxpMsg");
  }
  CebDocument out;
  if (!IsElement(root, kDxpNamespace, "DxpMsg")) {
    out.doc = std::move(*outer);
    return out;
  }
  absl::StatusOr<XmlDocPtr> inner = OpenData(root, max_bytes);
  if (!inner.ok()) return inner.status();
  out.doc = std::move(*inner);
  out.from_envelope = true;
  return out;
}

}  // namespace parkline::ceb::internal
