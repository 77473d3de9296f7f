// The tracking-coverage report of 8.2.5.3: of the shipments customs released in a period, how
// many have a complete trail from pick-up to delivery, and what each of the others lacks. A trail
// is complete with a pick-up (PICKED_UP), movement (IN_TRANSIT, ARRIVED_AT_SITE,
// DEPARTED_ORIGIN, ARRIVED_DESTINATION, OUT_FOR_DELIVERY or AVAILABLE_FOR_PICKUP) and a
// delivery (DELIVERED). Pure; thread-safe.
#ifndef PARKLINE_LOGISTICS_COVERAGE_H_
#define PARKLINE_LOGISTICS_COVERAGE_H_

#include <string>
#include <vector>

#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

// One released shipment and the statuses its timeline holds (any order, repeats allowed).
struct ReleasedShipment {
  v1::ShipmentKey key;
  std::string order_key;
  std::vector<v1::ShipmentStatus> statuses;
};

// The milestones the trail lacks, by name ("PICKED_UP", "IN_TRANSIT", "DELIVERED").
std::vector<std::string> MissingMilestones(const std::vector<v1::ShipmentStatus>& statuses);

// Lists at most `max_gaps` incomplete shipments, in the order given; the counts cover all.
v1::CoverageReport BuildCoverageReport(const std::vector<ReleasedShipment>& released, int max_gaps);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_COVERAGE_H_
