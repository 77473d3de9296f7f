#include "logistics/coverage.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace parkline::logistics {
namespace {

bool Has(const std::vector<v1::ShipmentStatus>& statuses,
         std::initializer_list<v1::ShipmentStatus> any) {
  return std::any_of(statuses.begin(), statuses.end(), [&](v1::ShipmentStatus s) {
    return std::find(any.begin(), any.end(), s) != any.end();
  });
}

}  // namespace

std::vector<std::string> MissingMilestones(const std::vector<v1::ShipmentStatus>& statuses) {
  std::vector<std::string> missing;
  if (!Has(statuses, {v1::SHIPMENT_STATUS_PICKED_UP})) missing.push_back("PICKED_UP");
  if (!Has(statuses,
           {v1::SHIPMENT_STATUS_IN_TRANSIT, v1::SHIPMENT_STATUS_ARRIVED_AT_SITE,
            v1::SHIPMENT_STATUS_DEPARTED_ORIGIN, v1::SHIPMENT_STATUS_ARRIVED_DESTINATION,
            v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY, v1::SHIPMENT_STATUS_AVAILABLE_FOR_PICKUP})) {
    missing.push_back("IN_TRANSIT");
  }
  if (!Has(statuses, {v1::SHIPMENT_STATUS_DELIVERED})) missing.push_back("DELIVERED");
  return missing;
}

v1::CoverageReport BuildCoverageReport(const std::vector<ReleasedShipment>& released,
                                       int max_gaps) {
  v1::CoverageReport report;
  report.set_released(static_cast<int>(released.size()));
  for (const auto& shipment : released) {
    std::vector<std::string> missing = MissingMilestones(shipment.statuses);
    if (missing.empty()) {
      report.set_complete(report.complete() + 1);
      continue;
    }
    for (const auto& m : missing) {
      if (m == "PICKED_UP") report.set_missing_pick_up(report.missing_pick_up() + 1);
      if (m == "IN_TRANSIT") report.set_missing_transit(report.missing_transit() + 1);
      if (m == "DELIVERED") report.set_missing_delivery(report.missing_delivery() + 1);
    }
    if (report.gaps_size() < max_gaps) {
      v1::CoverageGap* gap = report.add_gaps();
      *gap->mutable_key() = shipment.key;
      gap->set_order_key(shipment.order_key);
      for (auto& m : missing) gap->add_missing(m);
    }
  }
  if (report.released() > 0) {
    // Exact to 4 places, rounded half up, in integers: a ratio is never a float here.
    int64_t scaled =
        (static_cast<int64_t>(report.complete()) * 100000 / report.released() + 5) / 10;
    report.set_complete_ratio(absl::StrFormat("%d.%04d", scaled / 10000, scaled % 10000));
  }
  return report;
}

}  // namespace parkline::logistics
