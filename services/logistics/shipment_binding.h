// Who may tie a shipment to an order (#18, item 3). A shipment tied to an order receives that
// order's customs milestones (with customs' returnInfo) and shows in the order's platform's lists,
// so the tie is taken from what declarations accepted, never from what a carrier claims: a
// carrier's shipment joins an order only through a waybill of the carrier's own logistics code for
// that order, received from declarations (DocumentReceived of kind WAYBILL, or the waybill of a
// DeclarationMatched) and stored here as a StoredWaybill.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_LOGISTICS_SHIPMENT_BINDING_H_
#define PARKLINE_LOGISTICS_SHIPMENT_BINDING_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "auth/viewer.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

// A waybill declarations accepted: its logistics enterprise's customs code, its waybill number
// (logisticsNo) and the order it is for ("<ebp_code>/<order_no>"; "/<order_no>" when it came before
// its order, under the events of before #18).
struct StoredWaybill {
  std::string logistics_code;
  std::string logistics_no;
  std::string order_key;
};

// The one place where a carrier caller meets customs' documents. A carrier's `carrier_code` (the
// callers file) is its logistics enterprise's customs code, the `logisticsCode` its waybills
// (CEB505) and waybill statuses (CEB513) name: the same code, no mapping table, so that shipments
// made from waybills (keyed by logisticsCode) are the shipments the carrier reports on. A carrier
// bound to another kind of code ("SF") reaches no waybill's shipment. Empty for a non-carrier.
const std::string& LogisticsCodeOf(const auth::Viewer& viewer);

// Whether `viewer` may register the shipment `key` tied to `order_key` (empty: tied to no order).
// `waybills` are the stored waybills of the key's carrier code for `order_key`.
// - the park admin may (it repairs what a carrier cannot);
// - anyone else must be the carrier whose logistics code is the key's carrier code;
// - with an order, that carrier must have a stored waybill for the order whose number is the
//   key's waybill number: a shipment is (logistics code, logisticsNo), so the carrier's own
//   waybill for the order names exactly one shipment, and any other number would be a parcel
//   customs has no document of for that order.
// OK, or PERMISSION_DENIED "<field>: <RULE>: <why>" naming the field and the rule. The refusal
// is the same whether the order exists, has another carrier's waybill or none, so it tells an
// attacker nothing about the victim's order; a carrier that registers before its waybill's event
// has arrived gets it too, and needs no retry: the waybill's event ties its shipment when it
// comes (register it without order_key meanwhile).
absl::Status MayBindShipment(const auth::Viewer& viewer, const v1::ShipmentKey& key,
                             const std::string& order_key,
                             const std::vector<StoredWaybill>& waybills);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_SHIPMENT_BINDING_H_
