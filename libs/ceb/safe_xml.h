// Internal to parkline_ceb (it exposes libxml2 types, which the library links privately): parses
// untrusted XML into a libxml2 tree with the hardening every reader of the library needs, and the
// small helpers to walk that tree by namespace and local name.
//
// Hardening: no network (XML_PARSE_NONET); no entity substitution (no XML_PARSE_NOENT), no DTD
// loading or validation; a DOCTYPE stops the parse as soon as it is seen, before any declaration
// in it is read, so neither "billion laughs" nor external entities get a chance; libxml2's
// default limits on depth and text size stay on (no XML_PARSE_HUGE); input over a size cap is
// refused before parsing. Errors are collected per parse, never printed.
//
// Thread-safety: every function is thread-safe; a parse uses only its own parser context.
#ifndef PARKLINE_CEB_SAFE_XML_H_
#define PARKLINE_CEB_SAFE_XML_H_

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::ceb::internal {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses `xml`. `what` names the document in error messages ("CEB message"). INVALID_ARGUMENT when
// it is not well-formed (namespace errors included) or has a DOCTYPE; RESOURCE_EXHAUSTED over
// `max_bytes`.
absl::StatusOr<XmlDocPtr> ParseUntrustedXml(absl::string_view xml, absl::string_view what,
                                            size_t max_bytes);

// libxml2 strings are unsigned char; these view them as text. Null reads as "".
absl::string_view View(const xmlChar* text);

// True when `node` is an element with this namespace URI and local name (prefix ignored).
bool IsElement(const xmlNode* node, absl::string_view ns, absl::string_view local_name);

// The first child element of `parent` with this namespace URI and local name, or null.
const xmlNode* FindChild(const xmlNode* parent, absl::string_view ns, absl::string_view local_name);

// All the text inside `node` (CDATA included), with surrounding ASCII whitespace trimmed.
std::string TrimmedText(const xmlNode* node);

// An attribute without namespace ("guid", "version"), or "" when absent.
std::string Attribute(const xmlNode* node, const char* name);

// An element as error messages name it: "<CEB311Message> in namespace http://...", or
// "<x> (no namespace)".
std::string DescribeElement(const xmlNode* element);

}  // namespace parkline::ceb::internal

#endif  // PARKLINE_CEB_SAFE_XML_H_
