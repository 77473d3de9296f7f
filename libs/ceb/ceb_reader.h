// Reads the XML business messages of the China Customs cross-border e-commerce specification
// (CEB, 202205 edition) that enterprises send to the park, into the protobuf documents of
// parkline/declarations/v1/documents.proto: orders (CEB311 import, CEB303 export), payments
// (CEB411), receipts of payment (CEB403) and waybills (CEB511 import, CEB505 export).
//
// Reading is lenient, as real traffic needs: elements are matched by namespace
// (http://www.chinaport.gov.cn/ceb) and local name whatever their prefix, in any order, and
// elements the park does not read are skipped. Values are the text the sender wrote, with the
// surrounding whitespace trimmed. Checking the documents against the business rules, or the
// message against the XSD (see xsd_validator.h), is the caller's business.
//
// The input is untrusted: it is parsed without network access, without loading or expanding any
// entity, and a document with a DOCTYPE is refused outright (no CEB message has one).
//
// Thread-safety: ReadCebMessage is thread-safe; it keeps no state between calls.
#ifndef PARKLINE_CEB_CEB_READER_H_
#define PARKLINE_CEB_CEB_READER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "parkline/declarations/v1/documents.pb.h"

namespace parkline::ceb {

// The largest input ReadCebMessage accepts, envelope included: it bounds the memory one call can
// take (libxml2's tree is several times the size of its input).
inline constexpr size_t kMaxCebMessageBytes = 16 * 1024 * 1024;

// How many documents (orders, payments, receipts, waybills) ReadCebMessage reads from one message
// unless told otherwise. Each document becomes a protobuf and, downstream, a stored row in one
// transaction: the cap keeps one request from holding a writer for long.
inline constexpr int kDefaultMaxCebDocuments = 1000;

struct CebReadOptions {
  // Documents a message may carry; reading stops at the first one beyond it (1 or more).
  int max_documents = kDefaultMaxCebDocuments;
};

// Reads one CEB business message: a bare <CEBnnnMessage> document, or the same carried base64 in
// the <Data> of a DxpMsg transport envelope (namespace http://www.chinaport.gov.cn/dxp; a
// DxpMsgSv around the DxpMsg is unwrapped too). The envelope itself is not kept.
//
// Returns message_type ("CEB311"), guid and version from the root, base_transfer from the first
// <BaseTransfer>, and every document of a CEB311, CEB303, CEB411, CEB403, CEB511 or CEB505 in
// the order they appear. Any other CEB message (receipts such as CEB312, inventories such as
// CEB621 ...) comes back with no documents: the caller decides what to do with it.
//
// Errors:
// - INVALID_ARGUMENT: not well-formed XML (libxml2's message, with line and column); a DOCTYPE;
//   a root that is neither a CEB message nor a DxpMsg; a DxpMsg whose Data is missing, not
//   base64, or not a CEB message; an appType other than 1, 2 or 3, or a non-integer in an
//   integer field (appStatus, gnum, packNo), named with its line.
// - INVALID_ARGUMENT: more than options.max_documents documents, named with the first one beyond
//   the cap and its line; nothing after it is read. The message as sent can never be accepted:
//   the sender must split it, so this is a bad argument rather than a resource to wait for.
// - RESOURCE_EXHAUSTED: more than kMaxCebMessageBytes of input.
absl::StatusOr<parkline::declarations::v1::CebMessage> ReadCebMessage(
    absl::string_view xml, const CebReadOptions& options = {});

// The other way, for import orders: a CEB311Message carrying `orders` as a platform's system
// would send it, written from the same element tables ReadCebMessage reads (empty fields left
// out, text escaped), so that what it writes reads back as the same orders. For tests and demos.
std::string WriteCeb311(absl::Span<const parkline::declarations::v1::Order> orders,
                        absl::string_view guid);

}  // namespace parkline::ceb

#endif  // PARKLINE_CEB_CEB_READER_H_
