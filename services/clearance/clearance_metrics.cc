#include "clearance/clearance_metrics.h"

#include "prometheus/counter.h"
#include "runtime/metrics.h"

namespace parkline::clearance {
namespace {

prometheus::Family<prometheus::Counter>& Family(const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(runtime::Metrics());
}

}  // namespace

void CountReceipt(const std::string& outcome) {
  static auto& family = Family("parkline_clearance_receipts_total",
                               "Customs receipts recorded, by outcome (applied, duplicate, "
                               "refused: impossible transition, unknown code or case).");
  family.Add({{"outcome", outcome}}).Increment();
}

void CountSubmitted(const std::string& message_type) {
  static auto& family = Family("parkline_clearance_inventories_sent_total",
                               "Inventories sent to customs, by message type.");
  family.Add({{"message_type", message_type}}).Increment();
}

void CountGatewayError() {
  static auto& family = Family("parkline_clearance_gateway_errors_total",
                               "Inventories the customs gateway failed to send.");
  family.Add({}).Increment();
}

void CountSigned(const std::string& algorithm) {
  static auto& family = Family("parkline_clearance_messages_signed_total",
                               "Inventory messages signed, by algorithm (sm2-sm3, rsa-sha1; none: "
                               "drafts written without a signer).");
  family.Add({{"algorithm", algorithm}}).Increment();
}

void CountSignerFailure() {
  static auto& family = Family("parkline_clearance_signer_failures_total",
                               "Inventory messages that could not be signed, or whose signature "
                               "did not verify right after signing.");
  family.Add({}).Increment();
}

void CountReceiptSignature(const std::string& outcome) {
  static auto& family = Family("parkline_clearance_receipt_signatures_total",
                               "Receipt messages by their signature check (verified, refused, "
                               "unsigned, unchecked: no customs certificate configured).");
  family.Add({{"outcome", outcome}}).Increment();
}

}  // namespace parkline::clearance
