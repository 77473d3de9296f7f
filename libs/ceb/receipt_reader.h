// Reads customs' inventory receipts: CEB622 (import) and CEB604 (export), each carrying up to 100
// <InventoryReturn>, bare or base64 inside a DxpMsg (or a DxpMsgSv around it), with the same
// hardening and leniency as ReadCebMessage (ceb_reader.h).
//
// Thread-safety: thread-safe; keeps no state between calls.
#ifndef PARKLINE_CEB_RECEIPT_READER_H_
#define PARKLINE_CEB_RECEIPT_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::ceb {

struct InventoryReturns {
  std::string message_type;  // "CEB622" or "CEB604"
  std::vector<parkline::clearance::v1::CustomsReceipt> receipts;
};

// INVALID_ARGUMENT: not well-formed, a DOCTYPE, a bad envelope, a root other than CEB622Message
// or CEB604Message, no <InventoryReturn>, or one without guid, returnStatus or returnTime
// (named with its position). RESOURCE_EXHAUSTED: more than kMaxCebMessageBytes.
absl::StatusOr<InventoryReturns> ReadInventoryReturns(absl::string_view xml);

}  // namespace parkline::ceb

#endif  // PARKLINE_CEB_RECEIPT_READER_H_
