#include "logistics/customs_milestones.h"

#include "absl/strings/str_cat.h"
#include "parkline/clearance/v1/events.pb.h"

namespace parkline::logistics {
namespace {

namespace cv1 = parkline::clearance::v1;

CustomsMilestone Make(const cv1::CaseFacts& facts, v1::StatusReason reason, std::string code,
                      const google::protobuf::Timestamp& time, std::string info) {
  CustomsMilestone m;
  m.order_key = facts.order_key();
  v1::TimelineEntry& e = m.entry;
  e.set_source(v1::EVENT_SOURCE_CUSTOMS);
  e.set_raw_code(std::move(code));
  e.set_status(facts.direction() == parkline::declarations::v1::DIRECTION_EXPORT
                   ? v1::SHIPMENT_STATUS_EXPORT_CUSTOMS
                   : v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  e.set_reason(reason);
  e.set_mapped(true);
  *e.mutable_event_time() = time;
  e.set_utc_offset_minutes(480);  // customs' clock is Beijing time
  e.set_description(std::move(info));
  return m;
}

std::optional<v1::StatusReason> ReasonOf(cv1::CaseStatus status) {
  switch (status) {
    case cv1::CASE_STATUS_DECLARING:
      return v1::STATUS_REASON_CUSTOMS_DECLARED;
    case cv1::CASE_STATUS_INSPECTION:
    case cv1::CASE_STATUS_DETAINED:
      return v1::STATUS_REASON_CUSTOMS_HELD;
    case cv1::CASE_STATUS_RELEASED:
      return v1::STATUS_REASON_CUSTOMS_RELEASED;
    case cv1::CASE_STATUS_REJECTED:
    case cv1::CASE_STATUS_RETURNED:
    case cv1::CASE_STATUS_ERROR:
      return v1::STATUS_REASON_CUSTOMS_REJECTED;
    default:
      return std::nullopt;
  }
}

template <typename T>
absl::StatusOr<T> Parse(const events::Envelope& event) {
  T message;
  if (!message.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError(absl::StrCat(event.type, ": payload does not parse"));
  }
  return message;
}

}  // namespace

absl::StatusOr<std::optional<CustomsMilestone>> MilestoneOf(const events::Envelope& event) {
  std::optional<CustomsMilestone> m;
  if (event.type == "parkline.clearance.v1.ClearanceSubmitted") {
    auto e = Parse<cv1::ClearanceSubmitted>(event);
    if (!e.ok()) return e.status();
    // Not a receipt code: the park sent the inventory; customs' own "2" follows as a receipt.
    m = Make(e->facts(), v1::STATUS_REASON_CUSTOMS_DECLARED, "SUBMITTED", e->facts().submit_time(),
             "inventory sent to customs");
  } else if (event.type == "parkline.clearance.v1.ClearanceStatusChanged") {
    auto e = Parse<cv1::ClearanceStatusChanged>(event);
    if (!e.ok()) return e.status();
    auto reason = ReasonOf(e->status());
    if (!reason) return m;
    m = Make(e->facts(), *reason, absl::StrCat(e->return_status()), e->return_time(),
             e->return_info());
  } else if (event.type == "parkline.clearance.v1.ClearanceReleased") {
    auto e = Parse<cv1::ClearanceReleased>(event);
    if (!e.ok()) return e.status();
    // Same code and time as the status change to 800, so the two make one entry.
    m = Make(e->facts(), v1::STATUS_REASON_CUSTOMS_RELEASED, "800", e->release_time(),
             "released by customs");
  } else if (event.type == "parkline.clearance.v1.ClearanceRejected") {
    auto e = Parse<cv1::ClearanceRejected>(event);
    if (!e.ok()) return e.status();
    m = Make(e->facts(), v1::STATUS_REASON_CUSTOMS_REJECTED, absl::StrCat(e->return_status()),
             e->return_time(), e->return_info());
  }
  if (m && m->order_key.empty()) return std::nullopt;
  return m;
}

}  // namespace parkline::logistics
