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
// Transaction::ExecuteLater). UNAVAILABLE, appending nothing, while the outbox holds as many
// unpublished events as its bound (SetOutboxBound): the caller's transaction then rolls back
// and its client retries later, instead of the disk filling during a long broker outage.
absl::Status AppendToOutbox(store::Transaction& tx, const Envelope& event);

// The bound on this process's unpublished events (--outbox_max_pending); 0: none. One per
// process, like its database and its relay.
void SetOutboxBound(int64_t max_pending);

// The relay's latest count of unpublished events, against which AppendToOutbox checks the bound:
// a count kept aside, not a COUNT(*) per write, so the bound may be overshot by what is written
// between two counts (about a second's writes).
void NoteOutboxPending(int64_t pending);

struct PendingEvent {
  int64_t seq;
  Envelope envelope;
  // Its number in its publisher's sequence (kSequenceHeader), from ClaimPending; 0: none yet.
  std::string publisher;
  int64_t publish_seq = 0;
};

// Up to `limit` unpublished events in the order they were appended.
absl::StatusOr<std::vector<PendingEvent>> ReadPending(store::Transaction& tx, int limit);

// Up to `limit` unpublished events in the order they must be published, each with its publish
// number: first those numbered before (by number, whoever numbered them: a relay that stopped
// before they were acknowledged), then, if there is room, the next ones in append order, which
// are numbered now under `publisher` from the database's counter. A row keeps its number, so a
// copy sent again carries the number of the first; numbers grow in the order rows are first
// claimed, which is the order they are first sent. Run in a write transaction.
absl::StatusOr<std::vector<PendingEvent>> ClaimPending(store::Transaction& tx, int limit,
                                                       const std::string& publisher);

// Marks events published (by seq); a contiguous run of seqs takes one statement.
absl::Status MarkPublished(store::Transaction& tx, const std::vector<int64_t>& seqs,
                           absl::Time when);

// Number of events not yet published.
absl::StatusOr<int64_t> CountPending(store::Transaction& tx);

struct PendingSummary {
  int64_t count = 0;
  // When the oldest unpublished event was appended; absl::InfiniteFuture() when there is none.
  absl::Time oldest = absl::InfiniteFuture();
};

// The unpublished events: how many, and since when the oldest waits.
absl::StatusOr<PendingSummary> SummarizePending(store::Transaction& tx);

// Deletes published events older than `before` (they stay a while for audit and replay).
absl::StatusOr<int64_t> PrunePublished(store::Transaction& tx, absl::Time before);

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_OUTBOX_H_
