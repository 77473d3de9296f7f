// What one domain event changes in the statistics: counter deltas on the day the event happened
// (in the park's time zone) and the current state of the projections (enterprises, units, IP,
// talent, shipments). Pure: no database, no Kafka; the aggregator stores what this returns.
#ifndef PARKLINE_STATISTICS_EVENT_EFFECTS_H_
#define PARKLINE_STATISTICS_EVENT_EFFECTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "statistics/indicators.h"

namespace parkline::statistics {

struct CounterDelta {
  std::string indicator;
  Labels labels;
  std::string day;    // "YYYY-MM-DD" in the park's time zone
  int64_t delta = 0;  // in the indicator's scale
  // The enterprise's customs code for per-enterprise figures; empty for park-wide counters.
  std::string enterprise;
};

struct EnterpriseRecord {
  std::string uscc;
  std::string customs_code;
  std::string name;
  std::vector<std::string> roles;  // labels: "ecommerce_platform" ...
  std::vector<std::string> unit_ids;
  bool resident = false;
};

struct UnitRecord {
  std::string unit_id;
  int64_t area_centi_m2 = 0;
};

struct IpAssetRecord {
  std::string kind;
  std::string registration_no;
  std::string uscc;
};

struct TalentRecord {
  std::string uscc;
  int year = 0;
  int64_t employees = 0;
  int64_t cross_border_staff = 0;
  int64_t trained_staff = 0;
};

struct ShipmentRecord {
  std::string shipment;  // "<carrier>/<waybill>"
  std::string status;    // label form: "in_transit"
};

struct Effects {
  std::vector<CounterDelta> counters;
  std::vector<EnterpriseRecord> enterprises;
  std::vector<UnitRecord> units;
  std::vector<IpAssetRecord> ip_assets;
  std::vector<TalentRecord> talent;
  std::vector<ShipmentRecord> shipments;
};

struct EventInput {
  absl::string_view type;  // ce_type
  absl::Time time;         // ce_time
  absl::string_view payload;
};

// Every ce_type the aggregator counts; others are skipped and counted as unknown.
const std::vector<std::string>& HandledTypes();

// Appends the effects of `event` to `out`. INVALID_ARGUMENT when the payload cannot be read
// (the consumer dead-letters such an event); an unhandled type adds nothing.
absl::Status AddEffects(const EventInput& event, const absl::TimeZone& zone, Effects* out);

// "YYYY-MM-DD" of `t` in `zone`.
std::string DayOf(absl::Time t, const absl::TimeZone& zone);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_EVENT_EFFECTS_H_
