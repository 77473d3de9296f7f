// The declarations service's own Prometheus metrics (beside the host's gRPC, outbox, consumer and
// group-commit metrics): what became of the documents received, counted after their transaction
// committed, so that one run again on a conflict counts once. The business figures (declarations
// matched, trade by mode) are the statistics service's, computed from the events. Thread-safe.
#ifndef PARKLINE_DECLARATIONS_DECLARATION_METRICS_H_
#define PARKLINE_DECLARATIONS_DECLARATION_METRICS_H_

#include <vector>

#include "parkline/declarations/v1/declarations.pb.h"

namespace parkline::declarations {

// parkline_declarations_documents_total{kind="order|payment|receipt|waybill",
// outcome="accepted|duplicate|changed|withdrawn"}: a rise of duplicates is a client resending,
// of changes or withdrawals an ERP correcting its orders.
void CountDocuments(const std::vector<v1::DocumentReceipt>& receipts);

// parkline_declarations_documents_expired_total: documents whose partners never came.
void CountExpired(int n);

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DECLARATION_METRICS_H_
