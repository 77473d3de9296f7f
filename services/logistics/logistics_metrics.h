// The logistics service's own Prometheus metrics (beside the host's gRPC, outbox, consumer and
// group-commit metrics). Counted after the change they count is decided; thread-safe.
#ifndef PARKLINE_LOGISTICS_LOGISTICS_METRICS_H_
#define PARKLINE_LOGISTICS_LOGISTICS_METRICS_H_

namespace parkline::logistics {

// parkline_logistics_tracking_events_total{source="carrier|customs",
// outcome="stored|duplicate|unmapped"}: timeline entries offered; `n` <= 0 counts nothing.
void CountTrackingEvents(const char* source, const char* outcome, int n);

// parkline_logistics_watchers: WatchShipment streams open now.
void WatchOpened();
void WatchClosed();

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_LOGISTICS_METRICS_H_
