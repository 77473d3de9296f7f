// Reads the official waybill status message of the China Customs cross-border e-commerce
// specification (CEB513Message, 202205 edition, 3.7): each <LogisticsStatus> becomes one
// tracking event of its carrier (logisticsCode), its code the logisticsStatus ("S" signed for),
// its time the logisticsTime (YYYYMMDDhhmmss, Beijing time). The message comes bare or, as
// enterprises also send customs messages, base64 in the <Data> of a DxpMsg transport envelope (or
// a DxpMsgSv around one), unwrapped by libs/ceb (dxp_envelope.h) as the declarations and
// clearance readers do. The input is untrusted and parsed with libs/ceb's hardened reader (no
// network, no entities, no DOCTYPE), the message inside an envelope too.
//
// Thread-safe; keeps no state.
#ifndef PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_
#define PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

// INVALID_ARGUMENT, every problem a google.rpc.BadRequest violation:
// - field "xml", reason UNREADABLE: not well-formed, a DOCTYPE, or a broken envelope (a DxpMsg
//   without <Data>, an empty <Data>, one that is not base64 or whose content is not XML); the
//   description says which;
// - field "xml", reason MESSAGE_TYPE: the message (bare, or inside the envelope) is not a
//   CEB513Message, named with its root element;
// - no LogisticsStatus, a status without a logisticsCode, statuses of more than one carrier, or
//   a logisticsTime that is not YYYYMMDDhhmmss (named with its position).
// RESOURCE_EXHAUSTED: over 4 MiB (the envelope, or the message inside it).
absl::StatusOr<v1::ReportTrackingEventsRequest> ReadWaybillStatusMessage(absl::string_view xml);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_
