#include "events/outbox.h"

#include "absl/time/clock.h"

namespace parkline::events {

absl::Status AppendToOutbox(store::Transaction& tx, const Envelope& e) {
  return tx
      .Execute(
          "INSERT INTO outbox (event_id, topic, subject, type, source, event_time, payload, "
          "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {e.id, e.topic, e.subject, e.type, e.source, absl::ToUnixMicros(e.time),
           store::Blob{e.payload}, absl::ToUnixMicros(absl::Now())})
      .status();
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
  for (int64_t seq : seqs) {
    auto updated = tx.Execute("UPDATE outbox SET published_at = $1 WHERE seq = $2",
                              {absl::ToUnixMicros(when), seq});
    if (!updated.ok()) return updated.status();
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
