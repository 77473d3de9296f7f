// The indicators on the metrics port: computed from the store when Prometheus scrapes, so that
// /metrics always agrees with the gRPC figures (and survives restarts without double counting).
// Only low-cardinality labels: never an enterprise or a buyer.
#ifndef PARKLINE_STATISTICS_INDICATOR_METRICS_H_
#define PARKLINE_STATISTICS_INDICATOR_METRICS_H_

#include <vector>

#include "prometheus/collectable.h"
#include "statistics/statistics_desk.h"

namespace parkline::statistics {

class IndicatorMetrics : public prometheus::Collectable {
 public:
  explicit IndicatorMetrics(StatisticsDesk& desk) : desk_(desk) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  StatisticsDesk& desk_;
};

// The metric families for a set of figures (exposed for tests).
std::vector<prometheus::MetricFamily> ToMetricFamilies(const StatisticsDesk::Everything& all);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_INDICATOR_METRICS_H_
