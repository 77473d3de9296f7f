// Internal to the CEB readers (it exposes libxml2 types, like safe_xml.h, so only code that links
// libxml2 itself may use it: libs/ceb's readers and the services' own readers of one message
// type, such as logistics' CEB513): parses an untrusted CEB message that comes either bare or
// inside the DxpMsg transport envelope, and hands back the tree of the CEB message itself.
//
// dxp-terminal.xsd types the envelope's <Data> as xs:base64Binary: the CEB message travels as
// base64 text (usually wrapped into lines), so an element inside <Data> is refused rather than
// guessed at. A transfer node's DxpMsgSv (dxp-transfer.xsd) around the DxpMsg is unwrapped too.
// The decoded message is parsed with the same hardening and size cap as the envelope. What the
// envelope's TransInfo says (sender, MsgType ...) is not read: the message is what counts.
//
// Thread-safety: thread-safe; keeps no state between calls.
#ifndef PARKLINE_CEB_DXP_ENVELOPE_H_
#define PARKLINE_CEB_DXP_ENVELOPE_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ceb/safe_xml.h"

namespace parkline::ceb::internal {

inline constexpr absl::string_view kCebNamespace = "http://www.chinaport.gov.cn/ceb";
inline constexpr absl::string_view kDxpNamespace = "http://www.chinaport.gov.cn/dxp";

// How error messages name the decoded content of an envelope.
inline constexpr absl::string_view kDxpData = "DxpMsg <Data>";

// The document of one CEB message, and where it came from.
struct CebDocument {
  XmlDocPtr doc;
  // True when the message was the base64 <Data> of a DxpMsg: errors about its root should then
  // name kDxpData rather than the input.
  bool from_envelope = false;

  // The message's root element (never null: ParseUntrustedXml refuses a document without one).
  const xmlNode* root() const { return xmlDocGetRootElement(doc.get()); }
};

// Parses `xml` (named `what` in error messages about the outer document) and, when its root is a
// DxpMsg or a DxpMsgSv in the DXP namespace, decodes and parses the CEB message inside. Any other
// root is returned as it is: checking that it is the CEB message the caller expects is the
// caller's business.
//
// Errors:
// - INVALID_ARGUMENT: not well-formed, a DOCTYPE (in the envelope or in the message inside); a
//   DxpMsgSv without a DxpMsg; a DxpMsg without <Data>, with an element inside <Data>, with an
//   empty <Data> or one that is not valid base64. Each message says which.
// - RESOURCE_EXHAUSTED: the input, or the decoded message, is over `max_bytes`.
absl::StatusOr<CebDocument> OpenCebDocument(absl::string_view xml, absl::string_view what,
                                            size_t max_bytes);

}  // namespace parkline::ceb::internal

#endif  // PARKLINE_CEB_DXP_ENVELOPE_H_
