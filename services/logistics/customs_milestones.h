// Customs milestones for the timeline, from the clearance service's events
// (parkline.clearance.v1): declared (ClearanceSubmitted, raw code SUBMITTED; receipt 2), held
// (inspection 500, detention 501..599), released (800) and rejected (100, 700, negative codes).
// Each becomes an IMPORT_CUSTOMS or EXPORT_CUSTOMS entry (by the case's direction) marked
// EVENT_SOURCE_CUSTOMS, for the shipment that carries the case's declaration (its order_key).
// Receipts that are not milestones (120 accepted, 300 manual review, 399 concluded, 899 closed)
// add nothing. Pure; thread-safe.
#ifndef PARKLINE_LOGISTICS_CUSTOMS_MILESTONES_H_
#define PARKLINE_LOGISTICS_CUSTOMS_MILESTONES_H_

#include <optional>
#include <string>

#include "parkline/clearance/v1/events.pb.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

struct CustomsMilestone {
  std::string order_key;
  v1::TimelineEntry entry;
};

// The milestone each clearance event makes; nullopt when it is none (a status that is no
// milestone, or a case without a declaration).
std::optional<CustomsMilestone> MilestoneOf(const clearance::v1::ClearanceSubmitted& event);
std::optional<CustomsMilestone> MilestoneOf(const clearance::v1::ClearanceStatusChanged& event);
std::optional<CustomsMilestone> MilestoneOf(const clearance::v1::ClearanceReleased& event);
std::optional<CustomsMilestone> MilestoneOf(const clearance::v1::ClearanceRejected& event);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_CUSTOMS_MILESTONES_H_
