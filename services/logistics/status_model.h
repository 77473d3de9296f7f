// The normalized status model's rules (6.5.4): how a shipment's current status follows from its
// timeline. Pure functions over plain values; thread-safe.
//
// - The timeline is in event-time order (then storage order), whatever order entries arrived in,
//   and the current status is the timeline folded through the rule below, so a late event takes
//   its place and the result does not depend on arrival order.
// - The rule: the status only moves forward along the journey (pick-up, transit, customs,
//   delivery, return), except into and out of the exception states (DELIVERY_FAILED, EXCEPTION,
//   STALE): any status may fall into one, except after DELIVERED or RETURNED, and any status may
//   follow one. Entries of equal rank replace each other (IN_TRANSIT <-> ARRIVED_AT_SITE), and
//   within a customs status the reason moves declared -> held -> released -> rejected.
// - STALE is not an entry of the fold: it is a mark the park puts on a shipment without news,
//   removed by the next news (staleness counts from when news arrived, not from event times).
#ifndef PARKLINE_LOGISTICS_STATUS_MODEL_H_
#define PARKLINE_LOGISTICS_STATUS_MODEL_H_

#include <vector>

#include "absl/time/time.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

bool IsExceptionState(v1::ShipmentStatus status);
// DELIVERED and RETURNED: nothing follows (a watch ends, staleness no longer applies).
bool IsTerminal(v1::ShipmentStatus status);

struct CurrentStatus {
  v1::ShipmentStatus status = v1::SHIPMENT_STATUS_UNSPECIFIED;
  v1::StatusReason reason = v1::STATUS_REASON_UNSPECIFIED;
  // The entry that set it; null for UNSPECIFIED.
  const v1::TimelineEntry* entry = nullptr;
};

// Whether `next` replaces `current` under the forward-only rule.
bool Advances(const CurrentStatus& current, const v1::TimelineEntry& next);

// Sorts entries by event time, then storage order (seq).
void SortTimeline(std::vector<v1::TimelineEntry>& entries);

// The status a sorted timeline leads to; unmapped entries and the park's STALE entries do not
// take part. `stale` is the shipment's mark: when set, the result is STALE (entry that of the
// folded status).
CurrentStatus FoldTimeline(const std::vector<v1::TimelineEntry>& sorted, bool stale);

// Whether a shipment without news since `last_news` is to be marked STALE at `now`: not when
// already marked or when its journey ended.
bool BecomesStale(v1::ShipmentStatus status, bool stale, absl::Time last_news, absl::Time now,
                  absl::Duration stale_after);

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_STATUS_MODEL_H_
