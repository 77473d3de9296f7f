// How an inventory message reaches customs. The e-Port transport itself (DXP node, the
// enterprise's card) is out of scope: in production a customs-gateway caller fetches submitted
// messages (GetInventoryMessage) and posts customs' receipts back (RecordReceipt,
// SubmitReceiptMessage), so ExternalGateway only records that the message is ready. The
// simulator (customs_simulator.h) answers by itself.
//
// Thread-safety: implementations are thread-safe.
#ifndef PARKLINE_CLEARANCE_CUSTOMS_GATEWAY_H_
#define PARKLINE_CLEARANCE_CUSTOMS_GATEWAY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace parkline::clearance {

struct OutgoingMessage {
  std::string case_id;  // the inventory's guid
  std::string message_type;
  std::string xml;
  absl::Time submit_time;
};

class CustomsGateway {
 public:
  virtual ~CustomsGateway() = default;
  // Called after the submission committed, so the message is stored whatever happens here; an
  // error is logged and the customs-gateway caller can still fetch the message.
  virtual absl::Status Send(const OutgoingMessage& message) = 0;
};

class ExternalGateway final : public CustomsGateway {
 public:
  absl::Status Send(const OutgoingMessage&) override { return absl::OkStatus(); }
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CUSTOMS_GATEWAY_H_
