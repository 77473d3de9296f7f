#include "logistics/customs_milestones.h"

#include "absl/strings/str_cat.h"

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

// A milestone of a case without a declaration has no shipment to join.
std::optional<CustomsMilestone> OfOrder(CustomsMilestone m) {
  if (m.order_key.empty()) return std::nullopt;
  return m;
}

}  // namespace

std::optional<CustomsMilestone> MilestoneOf(const cv1::ClearanceSubmitted& e) {
  // Not a receipt code: the park sent the inventory; customs' own "2" follows as a receipt.
  return OfOrder(Make(e.facts(), v1::STATUS_REASON_CUSTOMS_DECLARED, "SUBMITTED",
                      e.facts().submit_time(), "inventory sent to customs"));
}

std::optional<CustomsMilestone> MilestoneOf(const cv1::ClearanceStatusChanged& e) {
  auto reason = ReasonOf(e.status());
  if (!reason) return std::nullopt;
  return OfOrder(
      Make(e.facts(), *reason, absl::StrCat(e.return_status()), e.return_time(), e.return_info()));
}

std::optional<CustomsMilestone> MilestoneOf(const cv1::ClearanceReleased& e) {
  // Same code and time as the status change to 800, so the two make one entry.
  return OfOrder(Make(e.facts(), v1::STATUS_REASON_CUSTOMS_RELEASED, "800", e.release_time(),
                      "released by customs"));
}

std::optional<CustomsMilestone> MilestoneOf(const cv1::ClearanceRejected& e) {
  return OfOrder(Make(e.facts(), v1::STATUS_REASON_CUSTOMS_REJECTED,
                      absl::StrCat(e.return_status()), e.return_time(), e.return_info()));
}

}  // namespace parkline::logistics
