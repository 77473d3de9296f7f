#include "logistics/logistics_metrics.h"

#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/metrics.h"

namespace parkline::logistics {
namespace {

prometheus::Gauge& Watchers() {
  static auto& gauge = prometheus::BuildGauge()
                           .Name("parkline_logistics_watchers")
                           .Help("WatchShipment streams open now.")
                           .Register(runtime::Metrics())
                           .Add({});
  return gauge;
}

}  // namespace

void CountTrackingEvents(const char* source, const char* outcome, int n) {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_logistics_tracking_events_total")
                            .Help(
                                "Timeline entries offered, by source (carrier, customs) and "
                                "outcome (stored, duplicate, unmapped: stored with a code no "
                                "table maps).")
                            .Register(runtime::Metrics());
  if (n > 0) family.Add({{"source", source}, {"outcome", outcome}}).Increment(n);
}

void WatchOpened() { Watchers().Increment(); }
void WatchClosed() { Watchers().Decrement(); }

}  // namespace parkline::logistics
