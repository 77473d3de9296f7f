#include "logistics/tracking_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::logistics {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

void CheckLength(const std::string& value, size_t max, const std::string& field,
                 errors::Violations& v) {
  if (value.size() > max) v.Add(field, "TOO_LONG", absl::StrCat("at most ", max, " bytes"));
}

}  // namespace

void CheckBatch(const v1::ReportTrackingEventsRequest& request, absl::Time now,
                const TrackingLimits& limits, errors::Violations& v) {
  if (request.carrier_code().empty()) v.Add("carrier_code", "REQUIRED", "is required");
  CheckLength(request.carrier_code(), 18, "carrier_code", v);
  if (request.events().empty()) v.Add("events", "REQUIRED", "at least one event");
  if (request.events_size() > limits.max_batch) {
    v.Add("events", "BATCH_TOO_LARGE",
          absl::StrCat(request.events_size(), " events; at most ", limits.max_batch, " a call"));
    return;  // each event's own errors would only bury this one
  }
  for (int i = 0; i < request.events_size(); ++i) {
    const v1::TrackingEvent& e = request.events(i);
    std::string field = absl::StrCat("events[", i, "]");
    if (e.waybill_no().empty()) v.Add(field + ".waybill_no", "REQUIRED", "is required");
    CheckLength(e.waybill_no(), 60, field + ".waybill_no", v);
    if (std::string(absl::StripAsciiWhitespace(e.event_code())).empty()) {
      v.Add(field + ".event_code", "REQUIRED", "is required");
    }
    CheckLength(e.event_code(), 64, field + ".event_code", v);
    CheckLength(e.location(), 200, field + ".location", v);
    CheckLength(e.description(), 1000, field + ".description", v);
    if (e.utc_offset_minutes() < -720 || e.utc_offset_minutes() > 840 ||
        e.utc_offset_minutes() % 15 != 0) {
      v.Add(field + ".utc_offset_minutes", "UTC_OFFSET",
            "must be -720..840 minutes in steps of 15");
    }
    if (!e.has_event_time() || e.event_time().seconds() <= 0 ||
        e.event_time().seconds() > TimeUtil::kTimestampMaxSeconds || e.event_time().nanos() < 0 ||
        e.event_time().nanos() > 999999999) {
      v.Add(field + ".event_time", "REQUIRED", "is required");
    } else if (ToTime(e.event_time()) > now + limits.future_tolerance) {
      v.Add(field + ".event_time", "IN_FUTURE",
            absl::StrCat(TimeUtil::ToString(e.event_time()), " is more than ",
                         absl::FormatDuration(limits.future_tolerance),
                         " ahead of the park's clock"));
    }
  }
}

void CheckAgainstShipment(const v1::TrackingEvent& event, const std::string& field,
                          absl::Time shipment_created, const TrackingLimits& limits,
                          errors::Violations& v) {
  if (ToTime(event.event_time()) < shipment_created - limits.max_backdate) {
    v.Add(field + ".event_time", "BEFORE_SHIPMENT",
          absl::StrCat(TimeUtil::ToString(event.event_time()), " is more than ",
                       absl::FormatDuration(limits.max_backdate), " before the shipment existed (",
                       absl::FormatTime(absl::RFC3339_sec, shipment_created, absl::UTCTimeZone()),
                       ")"));
  }
}

v1::TimelineEntry CarrierEntry(const v1::TrackingEvent& event, const Normalized& normalized) {
  v1::TimelineEntry entry;
  entry.set_source(v1::EVENT_SOURCE_CARRIER);
  entry.set_raw_code(std::string(absl::StripAsciiWhitespace(event.event_code())));
  entry.set_status(normalized.status);
  entry.set_reason(normalized.reason);
  entry.set_mapped(normalized.mapped);
  *entry.mutable_event_time() = event.event_time();
  entry.set_utc_offset_minutes(event.utc_offset_minutes());
  entry.set_location(event.location());
  entry.set_description(event.description());
  return entry;
}

bool RemapForDirection(const StatusMapping& mapping, absl::string_view carrier_code,
                       parkline::declarations::v1::Direction direction, v1::TimelineEntry& entry) {
  if (entry.source() != v1::EVENT_SOURCE_CARRIER || !entry.mapped()) return false;
  Normalized again = mapping.Normalize(carrier_code, entry.raw_code(), direction);
  if (!again.mapped || !again.by_direction || again.status == entry.status()) return false;
  entry.set_status(again.status);
  return true;
}

std::string DedupKey(const v1::TimelineEntry& entry) {
  return absl::StrFormat("%d|%s|%d|%s", static_cast<int>(entry.source()), entry.raw_code(),
                         TimeUtil::TimestampToMicroseconds(entry.event_time()), entry.location());
}

}  // namespace parkline::logistics
