// The catalog of the park's indicators (GB/T 39678-2020 5.5.4 and the clauses each domain
// serves): their names, units, decimal scale, Prometheus name and help text. One list, read by
// the aggregator, the queries, the export and the metrics endpoint, so that they cannot disagree.
#ifndef PARKLINE_STATISTICS_INDICATORS_H_
#define PARKLINE_STATISTICS_INDICATORS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace parkline::statistics {

// Label name -> value; low-cardinality values only (role, mode, direction, kind ...).
using Labels = std::map<std::string, std::string>;

// "direction=import,mode=9610": the stored, canonical form (labels sorted by name).
std::string LabelsText(const Labels& labels);
Labels ParseLabels(absl::string_view text);

enum class IndicatorKind {
  kCounter,  // counted per day from events; summed over any period
  kGauge,    // a current value computed from the projections (residents, occupancy ...)
  kRate,     // a ratio of counted indicators over a period (see Rates())
};

struct Indicator {
  std::string name;  // "declarations_matched"
  IndicatorKind kind;
  std::string unit;  // "count", "CNY", "m2", "ratio", "seconds", "score"
  int scale;         // stored values are value * 10^scale (CNY: 5, m2: 2, counts: 0)
  std::string clause;
  std::string help;
};

const std::vector<Indicator>& Catalog();
// nullptr when no indicator has that name.
const Indicator* FindIndicator(absl::string_view name);

// Histograms are stored as counters: "<name>_bucket" with label le (upper bound of the bucket,
// not cumulative; "+Inf" for the last), "<name>_sum" and "<name>_count".
struct Histogram {
  std::string name;  // "clearance_release_seconds"
  std::string clause;
  std::string help;
  std::vector<long long> bounds;  // seconds, ascending
};
const std::vector<Histogram>& Histograms();
// The bucket label value ("3600" or "+Inf") for an observation.
std::string BucketOf(const Histogram& histogram, long long seconds);

// A rate over a period: the sum of `numerator` over the sum of `denominator` (indicators counted
// per day), e.g. release rate = released / (released + rejected). Scale 4 ("0.8125").
struct Rate {
  std::string name;
  std::vector<std::string> numerator;
  std::vector<std::string> denominator;
  // When set, the rate is given per value of this label ("category") instead of park-wide: the
  // requests of one category are not comparable with another's.
  std::string by = "";
};
const std::vector<Rate>& Rates();
const Rate* FindRate(absl::string_view name);

// Clause 5.3.1 counts these roles as cross-border e-commerce enterprises; the other roles are
// the park's related operating service organisations (3.1).
bool IsCrossBorderEcommerceRole(absl::string_view role);
inline constexpr int kMinimumCrossBorderEnterprises = 15;  // 5.3.1

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_INDICATORS_H_
