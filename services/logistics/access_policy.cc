#include "logistics/access_policy.h"

namespace parkline::logistics {

// A carrier registers and reports on its own shipments only (the carrier code the request
// names) and reads them; which order a registration may tie its shipment to is decided in the
// desk, from the stored waybills (MayBindShipment, shipment_binding.h). An enterprise reads the
// shipments of declarations it is the platform of: it names the order key (or, to list, its code),
// and a shipment carrying another order is NOT_FOUND for it. Park staff and the customs gateway
// read everything; the coverage report (8.2.5.3) is the park's. Analysts see logistics only as the
// statistics service's aggregates.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.logistics.v1.LogisticsService",
      {
          // method                any role may call            own shipments only
          {"RegisterShipment",     {{kAdmin},                   {kCarrier}}},
          {"ReportTrackingEvents", {{kAdmin},                   {kCarrier}}},
          {"SubmitWaybillStatus",  {{kAdmin},                   {kCarrier}}},
          {"GetShipment",          {{kAdmin, kStaff, kGateway}, {kCarrier, kEnterprise}}},
          {"GetTimeline",          {{kAdmin, kStaff, kGateway}, {kCarrier, kEnterprise}}},
          {"WatchShipment",        {{kAdmin, kStaff, kGateway}, {kCarrier, kEnterprise}}},
          {"ListShipments",        {{kAdmin, kStaff, kGateway}, {kCarrier, kEnterprise}}},
          {"GetCoverageReport",    {{kAdmin, kStaff},           {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::logistics
