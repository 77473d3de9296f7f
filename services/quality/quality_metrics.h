// The quality service's Prometheus metrics (runtime/metrics.h's registry).
#ifndef PARKLINE_QUALITY_QUALITY_METRICS_H_
#define PARKLINE_QUALITY_QUALITY_METRICS_H_

#include <string>

namespace parkline::quality {

// A document version was published, by kind (KindName) and visibility.
void CountPublication(const std::string& kind, const std::string& visibility);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_QUALITY_METRICS_H_
