#include "logistics/shipment_binding.h"

#include "absl/strings/str_cat.h"

namespace parkline::logistics {
namespace {

absl::Status Denied(const char* field, const char* rule, const std::string& why) {
  return absl::PermissionDeniedError(absl::StrCat(field, ": ", rule, ": ", why));
}

}  // namespace

const std::string& LogisticsCodeOf(const auth::Viewer& viewer) { return viewer.carrier_code; }

absl::Status MayBindShipment(const auth::Viewer& viewer, const v1::ShipmentKey& key,
                             const std::string& order_key,
                             const std::vector<StoredWaybill>& waybills) {
  if (viewer.admin) return absl::OkStatus();
  const std::string& own = LogisticsCodeOf(viewer);
  if (own.empty() || own != key.carrier_code()) {
    return Denied("key.carrier_code", "OWN_SHIPMENT",
                  "a shipment is registered by the carrier whose logistics code keys it");
  }
  if (order_key.empty()) return absl::OkStatus();
  bool has_waybill = false;
  for (const StoredWaybill& w : waybills) {
    // Only the carrier's own waybill for this very order counts, whatever the caller passed.
    if (w.logistics_code != own || w.order_key != order_key) continue;
    has_waybill = true;
    if (w.logistics_no == key.waybill_no()) return absl::OkStatus();
  }
  if (!has_waybill) {
    return Denied("order_key", "OWN_WAYBILL",
                  absl::StrCat("no waybill of logistics code ", own, " for order ", order_key,
                               " has been received from declarations; a shipment is tied to an "
                               "order by its carrier's own waybill"));
  }
  return Denied("order_key", "WAYBILL_NO",
                absl::StrCat("the waybills of logistics code ", own, " for order ", order_key,
                             " do not name waybill number ", key.waybill_no()));
}

}  // namespace parkline::logistics
