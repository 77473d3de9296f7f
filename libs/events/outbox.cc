#include "events/outbox.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace parkline::events {

absl::Status AppendToOutbox(store::Transaction& tx, const Envelope& e) {
  return tx.ExecuteLater(
      "INSERT INTO outbox (event_id, topic, subject, type, source, event_time, payload, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {e.id, e.topic, e.subject, e.type, e.source, absl::ToUnixMicros(e.time),
       store::Blob{e.payload}, absl::ToUnixMicros(absl::Now())});
}

absl::StatusOr<std::vector<PendingEvent>> ReadPending(store::Transaction& tx, int limit) {
  auto rows = tx.Query(
      "SELECT seq, event_id, topic, subject, type, source, event_time, payload FROM outbox "
      "WHERE published_at IS NULL ORDER BY seq LIMIT $1",
      {int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<PendingEvent> out;
  out.reserve(rows->size());
  for (const store::Row& r : *rows) {
    PendingEvent p;
    p.seq = r.Int(0);
    p.envelope.id = r.Text(1);
    p.envelope.topic = r.Text(2);
    p.envelope.subject = r.Text(3);
    p.envelope.type = r.Text(4);
    p.envelope.source = r.Text(5);
    p.envelope.time = absl::FromUnixMicros(r.Int(6));
    p.envelope.payload = r.Text(7);
    out.push_back(std::move(p));
  }
  return out;
}

absl::Status MarkPublished(store::Transaction& tx, const std::vector<int64_t>& seqs,
                           absl::Time when) {
  if (seqs.empty()) return absl::OkStatus();
  std::vector<int64_t> sorted = seqs;
  std::sort(sorted.begin(), sorted.end());
  // The usual case, a whole batch delivered, is one contiguous run of seqs: one statement.
  // Otherwise one statement per run.
  size_t start = 0;
  for (size_t i = 1; i <= sorted.size(); ++i) {
    if (i < sorted.size() && sorted[i] == sorted[i - 1] + 1) continue;
    auto updated = tx.Execute(
        "UPDATE outbox SET published_at = $1 WHERE seq >= $2 AND seq <= $3 "
        "AND published_at IS NULL",
        {absl::ToUnixMicros(when), sorted[start], sorted[i - 1]});
    if (!updated.ok()) return updated.status();
    start = i;
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CountPending(store::Transaction& tx) {
  auto rows = tx.Query("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL");
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

absl::StatusOr<int64_t> PrunePublished(store::Transaction& tx, absl::Time before) {
  return tx.Execute("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1",
                    {absl::ToUnixMicros(before)});
}

}  // namespace parkline::events
