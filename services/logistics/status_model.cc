#include "logistics/status_model.h"

#include <algorithm>
#include <utility>

#include "google/protobuf/util/time_util.h"

namespace parkline::logistics {
namespace {

// The journey's phases; equal numbers are one phase. Exception states have none.
int Rank(v1::ShipmentStatus status) {
  switch (status) {
    case v1::SHIPMENT_STATUS_INFO_RECEIVED:
      return 1;
    case v1::SHIPMENT_STATUS_PICKED_UP:
      return 2;
    case v1::SHIPMENT_STATUS_IN_TRANSIT:
    case v1::SHIPMENT_STATUS_ARRIVED_AT_SITE:
      return 3;
    case v1::SHIPMENT_STATUS_EXPORT_CUSTOMS:
      return 4;
    case v1::SHIPMENT_STATUS_DEPARTED_ORIGIN:
      return 5;
    case v1::SHIPMENT_STATUS_ARRIVED_DESTINATION:
      return 6;
    case v1::SHIPMENT_STATUS_IMPORT_CUSTOMS:
      return 7;
    case v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY:
    case v1::SHIPMENT_STATUS_AVAILABLE_FOR_PICKUP:
      return 8;
    case v1::SHIPMENT_STATUS_DELIVERED:
      return 9;
    case v1::SHIPMENT_STATUS_RETURNING:
      return 10;
    case v1::SHIPMENT_STATUS_RETURNED:
      return 11;
    default:
      return 0;
  }
}

int ReasonRank(v1::StatusReason reason) {
  switch (reason) {
    case v1::STATUS_REASON_CUSTOMS_DECLARED:
      return 1;
    case v1::STATUS_REASON_CUSTOMS_HELD:
      return 2;
    case v1::STATUS_REASON_CUSTOMS_RELEASED:
      return 3;
    case v1::STATUS_REASON_CUSTOMS_REJECTED:
      return 4;
    default:
      return 0;
  }
}

std::pair<int, int> Key(v1::ShipmentStatus status, v1::StatusReason reason) {
  return {Rank(status), ReasonRank(reason)};
}

}  // namespace

bool IsExceptionState(v1::ShipmentStatus status) {
  return status == v1::SHIPMENT_STATUS_DELIVERY_FAILED || status == v1::SHIPMENT_STATUS_EXCEPTION ||
         status == v1::SHIPMENT_STATUS_STALE;
}

bool IsTerminal(v1::ShipmentStatus status) {
  return status == v1::SHIPMENT_STATUS_DELIVERED || status == v1::SHIPMENT_STATUS_RETURNED;
}

bool Advances(const CurrentStatus& current, const v1::TimelineEntry& next) {
  if (!next.mapped() || next.status() == v1::SHIPMENT_STATUS_UNSPECIFIED ||
      next.status() == v1::SHIPMENT_STATUS_STALE) {
    return false;
  }
  if (current.status == v1::SHIPMENT_STATUS_UNSPECIFIED) return true;
  if (IsExceptionState(next.status())) return !IsTerminal(current.status);
  if (IsExceptionState(current.status)) return true;
  return Key(next.status(), next.reason()) >= Key(current.status, current.reason);
}

void SortTimeline(std::vector<v1::TimelineEntry>& entries) {
  using google::protobuf::util::TimeUtil;
  std::stable_sort(entries.begin(), entries.end(),
                   [](const v1::TimelineEntry& a, const v1::TimelineEntry& b) {
                     int64_t ta = TimeUtil::TimestampToMicroseconds(a.event_time());
                     int64_t tb = TimeUtil::TimestampToMicroseconds(b.event_time());
                     if (ta != tb) return ta < tb;
                     return a.seq() < b.seq();
                   });
}

CurrentStatus FoldTimeline(const std::vector<v1::TimelineEntry>& sorted, bool stale) {
  CurrentStatus current;
  for (const auto& entry : sorted) {
    if (Advances(current, entry)) current = {entry.status(), entry.reason(), &entry};
  }
  if (stale) {
    current.status = v1::SHIPMENT_STATUS_STALE;
    current.reason = v1::STATUS_REASON_UNSPECIFIED;
  }
  return current;
}

bool BecomesStale(v1::ShipmentStatus status, bool stale, absl::Time last_news, absl::Time now,
                  absl::Duration stale_after) {
  return !stale && !IsTerminal(status) && now - last_news >= stale_after;
}

}  // namespace parkline::logistics
