// Writes the official inventory message of a case: CEB621 (import) or CEB603 (export), in the
// element order of the 202205 XSDs, one <Inventory> per message, then <BaseTransfer>; the
// signature is added by a MessageSigner afterwards. Empty optional elements are left out;
// required ones are always written. Text is escaped by libxml2's writer.
//
// Thread-safe; pure (no clock: the caller passes the times).
#ifndef PARKLINE_CLEARANCE_INVENTORY_MESSAGE_H_
#define PARKLINE_CLEARANCE_INVENTORY_MESSAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

struct InventoryMessageInput {
  std::string guid;  // the case id: 36 characters, uppercase
  std::string business_mode;
  parkline::declarations::v1::Direction direction;
  v1::Inventory inventory;
  absl::Time app_time;  // written in the park's time zone (Asia/Shanghai)
  int app_status = 2;   // 1 draft (暂存), 2 declare
  // BaseTransfer: the transmitting enterprise and its DXP node.
  std::string cop_code;
  std::string cop_name;
  std::string dxp_id = "DXPENT0000000001";
};

// "CEB621" or "CEB603".
const char* InventoryMessageType(parkline::declarations::v1::Direction direction);

// The message without signature. INVALID_ARGUMENT for a direction other than import or export.
absl::StatusOr<std::string> WriteInventoryMessage(const InventoryMessageInput& input);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_INVENTORY_MESSAGE_H_
