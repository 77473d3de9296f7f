#include "logistics/waybill_status_message.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ceb/dxp_envelope.h"
#include "ceb/safe_xml.h"
#include "errors/violations.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::logistics {
namespace {

using namespace parkline::ceb::internal;
constexpr size_t kMaxBytes = 4 * 1024 * 1024;  // 100 statuses are a few tens of kilobytes

std::string Child(const xmlNode* parent, absl::string_view name) {
  const xmlNode* node = FindChild(parent, kCebNamespace, name);
  return node == nullptr ? "" : TrimmedText(node);
}

// YYYYMMDDhhmmss on customs' clock (UTC+8). Read by position: absl's %Y would take every digit.
std::optional<absl::Time> BeijingTime(const std::string& text) {
  if (text.size() != 14 || !std::all_of(text.begin(), text.end(), absl::ascii_isdigit)) {
    return std::nullopt;
  }
  auto part = [&](size_t at, size_t n) { return std::stoi(text.substr(at, n)); };
  absl::CivilSecond civil(part(0, 4), part(4, 2), part(6, 2), part(8, 2), part(10, 2), part(12, 2));
  if (civil.year() != part(0, 4) || civil.month() != part(4, 2) || civil.day() != part(6, 2) ||
      civil.hour() != part(8, 2) || civil.minute() != part(10, 2) ||
      civil.second() != part(12, 2)) {
    return std::nullopt;  // normalized: it was no real date or time
  }
  return absl::FromCivil(civil, absl::FixedTimeZone(8 * 3600));
}

}  // namespace

absl::StatusOr<v1::ReportTrackingEventsRequest> ReadWaybillStatusMessage(absl::string_view xml) {
  auto doc = OpenCebDocument(xml, "the message", kMaxBytes);
  if (!doc.ok()) {
    if (doc.status().code() != absl::StatusCode::kInvalidArgument) return doc.status();
    errors::Violations v;
    v.Add("xml", "UNREADABLE", doc.status().message());
    return v.ToStatus();
  }
  const xmlNode* root = doc->root();
  if (!IsElement(root, kCebNamespace, "CEB513Message")) {
    errors::Violations v;
    v.Add("xml", "MESSAGE_TYPE",
          absl::StrCat(doc->from_envelope ? absl::StrCat(kDxpData, " holds ")
                                          : std::string("the root element is "),
                       DescribeElement(root), "; a waybill status message is a CEB513Message in ",
                       "namespace ", kCebNamespace, ", bare or base64 in a DxpMsg envelope"));
    return v.ToStatus();
  }
  v1::ReportTrackingEventsRequest request;
  errors::Violations v;
  int index = 0;
  for (const xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (!IsElement(node, kCebNamespace, "LogisticsStatus")) continue;
    std::string field = absl::StrCat("xml.LogisticsStatus[", index++, "]");
    std::string carrier = Child(node, "logisticsCode");
    if (carrier.empty()) {
      // Filed under no carrier, not under the next status's: whose parcel it is decides who may
      // report it.
      v.Add(field + ".logisticsCode", "REQUIRED", "is required");
    } else if (request.carrier_code().empty()) {
      request.set_carrier_code(carrier);
    } else if (carrier != request.carrier_code()) {
      v.Add(field + ".logisticsCode", "ONE_CARRIER",
            absl::StrCat("is ", carrier, "; the message's first status is of ",
                         request.carrier_code()));
    }
    v1::TrackingEvent* e = request.add_events();
    e->set_waybill_no(Child(node, "logisticsNo"));
    e->set_event_code(Child(node, "logisticsStatus"));
    e->set_description(Child(node, "note"));
    e->set_utc_offset_minutes(480);
    auto when = BeijingTime(Child(node, "logisticsTime"));
    if (!when) {
      v.Add(field + ".logisticsTime", "FORMAT", "must be a time as YYYYMMDDhhmmss");
    } else {
      *e->mutable_event_time() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*when));
    }
  }
  if (index == 0) v.Add("xml", "REQUIRED", "the message carries no LogisticsStatus");
  if (!v.empty()) return v.ToStatus();
  return request;
}

}  // namespace parkline::logistics
