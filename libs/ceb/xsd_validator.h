// Checks an XML document against an XML Schema (XSD) file, such as the official
// ceb-import.xsd / ceb-export.xsd. The park reads CEB messages leniently (ceb_reader.h) but must
// write them strictly: whatever it emits has to pass this check.
//
// The document is untrusted and parsed with the same hardening as ReadCebMessage (no network, no
// entities, no DOCTYPE, at most kMaxCebMessageBytes). The schema is trusted configuration: it is
// read from disk with the files it imports (e.g. xmldsig-core-schema.xsd beside it).
//
// Thread-safety: thread-safe; each call compiles the schema afresh and shares nothing.
#ifndef PARKLINE_CEB_XSD_VALIDATOR_H_
#define PARKLINE_CEB_XSD_VALIDATOR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace parkline::ceb {

// OK when `xml` is valid against the schema at `xsd_path`.
// - INVALID_ARGUMENT: the document is not valid; the message lists every schema error as
//   "line N: <libxml2's message>", separated by "; ". Also a document that is not well-formed.
// - RESOURCE_EXHAUSTED: the document is larger than kMaxCebMessageBytes.
// - NOT_FOUND: no file at `xsd_path`. FAILED_PRECONDITION: the schema does not compile.
absl::Status ValidateAgainstXsd(absl::string_view xml, const std::string& xsd_path);

}  // namespace parkline::ceb

#endif  // PARKLINE_CEB_XSD_VALIDATOR_H_
