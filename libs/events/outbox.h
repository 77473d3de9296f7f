// The transactional outbox: a service appends its events in the same database transaction as the
// state change that caused them, so that either both happen or neither does. OutboxRelay
// publishes them afterwards.
#ifndef PARKLINE_EVENTS_OUTBOX_H_
#define PARKLINE_EVENTS_OUTBOX_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "events/envelope.h"
#include "store/database.h"

namespace parkline::events {

// Appends `event` to the outbox inside `tx` (a write held back where `tx` holds writes back:
// Transaction::ExecuteLater).
absl::Status AppendToOutbox(store::Transaction& tx, const Envelope& event);

struct PendingEvent {
  int64_t seq;
  Envelope envelope;
};

// Up to `limit` unpublished events in the order they were appended.
absl::StatusOr<std::vector<PendingEvent>> ReadPending(store::Transaction& tx, int limit);

// Marks events published (by seq); a contiguous run of seqs takes one statement.
absl::Status MarkPublished(store::Transaction& tx, const std::vector<int64_t>& seqs,
                           absl::Time when);

// Number of events not yet published.
absl::StatusOr<int64_t> CountPending(store::Transaction& tx);

// Deletes published events older than `before` (they stay a while for audit and replay).
absl::StatusOr<int64_t> PrunePublished(store::Transaction& tx, absl::Time before);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_OUTBOX_H_
