// The rules a carrier's batch of tracking events must keep before anything of it is stored, and
// how one event becomes a timeline entry. Pure functions; thread-safe.
#ifndef PARKLINE_LOGISTICS_TRACKING_RULES_H_
#define PARKLINE_LOGISTICS_TRACKING_RULES_H_

#include <string>

#include "absl/time/time.h"
#include "errors/violations.h"
#include "logistics/status_mapping.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

struct TrackingLimits {
  // Events in one ReportTrackingEvents call.
  int max_batch = 500;
  // How far ahead of the park's clock an event time may be (carriers' clocks drift).
  absl::Duration future_tolerance = absl::Minutes(15);
  // How long before the shipment was created (its waybill received) an event may have happened:
  // a parcel is often picked up before its waybill reaches customs, but not months before.
  absl::Duration max_backdate = absl::Hours(14 * 24);
};

// Checks what the batch says on its own (size, required fields, formats, times against `now`).
void CheckBatch(const v1::ReportTrackingEventsRequest& request, absl::Time now,
                const TrackingLimits& limits, errors::Violations& violations);

// Checks one event against the shipment it is about (created at `shipment_created`).
void CheckAgainstShipment(const v1::TrackingEvent& event, const std::string& field,
                          absl::Time shipment_created, const TrackingLimits& limits,
                          errors::Violations& violations);

// The timeline entry a carrier event makes (seq and received_time are the store's).
v1::TimelineEntry CarrierEntry(const v1::TrackingEvent& event, const Normalized& normalized);

// Maps a stored carrier entry again once its shipment's direction is known: a code whose status
// goes by direction (CUSTOMS) was mapped as IMPORT_CUSTOMS while the direction was unknown, and
// an export's is EXPORT_CUSTOMS. Its raw code is kept, so the same tables decide. True when the
// entry's status changed; entries of other sources and other codes are left as they are.
bool RemapForDirection(const StatusMapping& mapping, absl::string_view carrier_code,
                       parkline::declarations::v1::Direction direction, v1::TimelineEntry& entry);

// What makes two reports the same event: who reported it, its raw code, its time and place.
// A resend with another description is still the same event.
std::string DedupKey(const v1::TimelineEntry& entry);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_TRACKING_RULES_H_
