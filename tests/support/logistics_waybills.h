// Waybills for the logistics tests, as declarations publishes them once accepted
// (DocumentReceived of kind WAYBILL, order_key "<ebp_code>/<order_no>", enterprise_code the
// waybill's logistics code). A carrier's shipment is tied to an order only through its own such
// waybill (logistics/shipment_binding.h), so a test that needs a shipment of an order receives the
// waybill first, as the service's consumer would, instead of registering the tie. Header only:
// included by the logistics tests, which link parkline_logistics.
#ifndef PARKLINE_TESTS_SUPPORT_LOGISTICS_WAYBILLS_H_
#define PARKLINE_TESTS_SUPPORT_LOGISTICS_WAYBILLS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "logistics/shipment_desk.h"
#include "parkline/declarations/v1/events.pb.h"
#include "store/database.h"

namespace parkline::testing {

inline declarations::v1::DocumentReceived WaybillReceived(
    const std::string& logistics_code, const std::string& logistics_no,
    const std::string& order_key,
    declarations::v1::Direction direction = declarations::v1::DIRECTION_IMPORT,
    const std::string& business_mode = "9610") {
  declarations::v1::DocumentReceived m;
  m.set_kind(declarations::v1::DOCUMENT_KIND_WAYBILL);
  m.set_order_key(order_key);
  m.set_direction(direction);
  m.set_business_mode(business_mode);
  m.set_enterprise_code(logistics_code);
  m.set_guid("WAYBILL-" + logistics_no);
  m.set_logistics_no(logistics_no);
  return m;
}

// Applies `waybill` as the consumer of parkline.declarations.v1 does, in its own transaction;
// `at` is the event's time (the shipment's creation when the waybill makes it).
inline absl::Status ReceiveWaybill(store::Database& db, logistics::ShipmentDesk& desk,
                                   const declarations::v1::DocumentReceived& waybill,
                                   absl::Time at) {
  return db.Transact(
      [&](store::Transaction& tx) { return desk.ApplyDocumentReceived(tx, waybill, at); });
}

// The Viewer of a carrier caller bound to `carrier_code` (its logistics customs code).
inline auth::Viewer CarrierViewer(const std::string& carrier_code) {
  auth::Viewer v;
  v.name = "carrier-" + carrier_code;
  v.carrier_code = carrier_code;
  return v;
}

// The Viewer of the park admin.
inline auth::Viewer AdminViewer() {
  auth::Viewer v;
  v.name = "park-admin";
  v.park_staff = true;
  v.admin = true;
  return v;
}

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_LOGISTICS_WAYBILLS_H_
