// Reads the official waybill status message of the China Customs cross-border e-commerce
// specification (CEB513Message, 202205 edition, 3.7): each <LogisticsStatus> becomes one
// tracking event of its carrier (logisticsCode), its code the logisticsStatus ("S" signed for),
// its time the logisticsTime (YYYYMMDDhhmmss, Beijing time). The input is untrusted and parsed
// with libs/ceb's hardened reader (no network, no entities, no DOCTYPE).
//
// Thread-safe; keeps no state.
#ifndef PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_
#define PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

// INVALID_ARGUMENT: not well-formed, not a CEB513Message, no LogisticsStatus, statuses of more
// than one carrier, or a logisticsTime that is not YYYYMMDDhhmmss (named with its position).
absl::StatusOr<v1::ReportTrackingEventsRequest> ReadWaybillStatusMessage(absl::string_view xml);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_WAYBILL_STATUS_MESSAGE_H_
