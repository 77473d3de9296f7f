// What one domain event changes in the statistics: counter deltas on the day the event happened
// (in the park's time zone) and the current state of the projections (enterprises, units, IP,
// talent, shipments). Pure: no database, no Kafka; the aggregator stores what this returns.
#ifndef PARKLINE_STATISTICS_EVENT_EFFECTS_H_
#define PARKLINE_STATISTICS_EVENT_EFFECTS_H_

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "statistics/day_cache.h"
#include "statistics/exchange_rates.h"
#include "statistics/indicators.h"

namespace parkline::statistics {

// One counter row of a batch: of stat_counter when `enterprise` is empty, else of
// stat_enterprise_counter. Views into the CounterDeltas it was read from.
struct CounterDelta {
  absl::string_view enterprise;  // the enterprise's customs code for per-enterprise figures
  absl::string_view indicator;
  absl::string_view labels;  // LabelsText form: "direction=import,mode=9610"
  absl::string_view day;     // "YYYY-MM-DD" in the park's time zone
  int64_t delta = 0;         // in the indicator's scale
};

// The counter deltas of a batch, merged as they are added: the same counter again adds to its
// delta, so thousands of events become a few hundred rows and nothing is kept per event.
class CounterDeltas {
 public:
  // Adds `delta` to the park-wide counter (indicator, labels, day) and, unless `enterprise` is
  // empty, to that enterprise's. `labels` in LabelsText form.
  void Add(absl::string_view indicator, absl::string_view labels, absl::string_view day,
           int64_t delta, absl::string_view enterprise = "");

  // Every row, ordered by (indicator, labels, day) and in each the park-wide row first, then the
  // enterprises' by customs code: writers that upsert in this order take their row locks in the
  // same order. Valid until the next Add.
  std::vector<CounterDelta> Rows() const;

  // The days the deltas are on.
  std::set<std::string> Days() const;
  // The days the deltas of the indicators `of` accepts are on.
  std::set<std::string> Days(absl::FunctionRef<bool(absl::string_view indicator)> of) const;

  size_t size() const { return rows_; }
  bool empty() const { return rows_ == 0; }

 private:
  // One (indicator, labels, day): its park-wide delta and its enterprises'.
  struct Series {
    std::string indicator;
    std::string labels;
    std::string day;
    int64_t park = 0;
    absl::flat_hash_map<std::string, int64_t> enterprises;
  };

  // A series' (indicator, labels, day) as one string, each part its length (4 bytes) and its
  // bytes: hashed and compared in one go, and unambiguous whatever the bytes.
  static void Encode(std::initializer_list<absl::string_view> parts, std::string* key);

  absl::flat_hash_map<std::string, Series> series_;
  std::string key_;  // the key of the last Add, kept for its capacity
  size_t rows_ = 0;
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

// Counter changes that count once per fact, however many events report it: the trade of a case
// customs released and a case's inspection (once per case id), an order's first match and its
// first rejection (once per order key), the support service's and the quality service's facts. The
// repository records (fact, key) and adds `deltas` only when it is new; the first event of a fact
// in the event order wins (one fact's events share a partition).
struct OnceFact {
  struct Delta {
    std::string indicator;
    std::string labels;  // LabelsText form
    std::string day;
    int64_t delta = 0;
    std::string enterprise;  // also added to this enterprise's counter, unless empty
  };
  std::string fact;  // "trade", "declaration_matched", "declaration_rejected"
  std::string key;   // the case id or the order key
  std::vector<Delta> deltas;
};

struct Effects {
  CounterDeltas counters;
  std::vector<OnceFact> once;
  std::vector<EnterpriseRecord> enterprises;
  std::vector<UnitRecord> units;
  std::vector<IpAssetRecord> ip_assets;
  std::vector<TalentRecord> talent;
  std::vector<ShipmentRecord> shipments;
  // The park day of the event behind each projection record above (same index): the day of its
  // history row, so that the state at the end of any past day can be read back.
  struct Days {
    std::vector<std::string> enterprises, units, ip_assets, talent, shipments;
  } record_days;
  // The day of the batch's event times, remembered from one event to the next.
  DayCache days;
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
// The same, converting foreign-currency trade to CNY with `rates` (the overload above converts
// nothing: every non-CNY value is counted unconverted).
absl::Status AddEffects(const EventInput& event, const absl::TimeZone& zone,
                        const ExchangeRates& rates, Effects* out);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_EVENT_EFFECTS_H_
