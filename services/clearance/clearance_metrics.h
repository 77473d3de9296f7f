// The clearance service's own Prometheus counters (beside the host's gRPC, outbox and consumer
// metrics). Counted after commit, so a transaction run again on a conflict counts once. Rates and
// durations per mode are the statistics service's, computed from the events. Thread-safe.
#ifndef PARKLINE_CLEARANCE_CLEARANCE_METRICS_H_
#define PARKLINE_CLEARANCE_CLEARANCE_METRICS_H_

#include <string>

namespace parkline::clearance {

// parkline_clearance_receipts_total{outcome="applied|duplicate|refused"}; refused counts a
// receipt message refused whole (malformed XML, one bad receipt) once.
void CountReceipt(const std::string& outcome);
// parkline_clearance_inventories_sent_total{message_type="CEB621|CEB603"}
void CountSubmitted(const std::string& message_type);
// parkline_clearance_gateway_errors_total: sends the gateway failed (the message stays fetchable)
void CountGatewayError();

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CLEARANCE_METRICS_H_
