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
// parkline_clearance_messages_signed_total{algorithm="sm2-sm3|rsa-sha1|none"}: inventories signed
// (counted after commit); "none" counts the drafts an UnsignedSigner wrote.
void CountSigned(const std::string& algorithm);
// parkline_clearance_signer_failures_total: signatures that could not be made or did not verify
// (the submission failed and nothing was stored).
void CountSignerFailure();
// parkline_clearance_receipt_signatures_total{outcome="verified|refused|unsigned|unchecked"}:
// receipt messages by what their signature check said; unchecked: no customs certificate is
// configured.
void CountReceiptSignature(const std::string& outcome);

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CLEARANCE_METRICS_H_
