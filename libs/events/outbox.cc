#include "events/outbox.h"

#include <algorithm>
#include <atomic>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/metrics.h"

namespace parkline::events {
namespace {

std::atomic<int64_t> bound{0};
std::atomic<int64_t> pending{0};

prometheus::Counter& Refused() {
  static auto& counter =
      prometheus::BuildCounter()
          .Name("parkline_outbox_refused_total")
          .Help(
              "Writes refused UNAVAILABLE because the outbox held its bound of unpublished events.")
          .Register(runtime::Metrics())
          .Add({});
  return counter;
}

prometheus::Gauge& BoundGauge() {
  static auto& gauge = prometheus::BuildGauge()
                           .Name("parkline_outbox_max_pending")
                           .Help("The bound on unpublished outbox events (0: none).")
                           .Register(runtime::Metrics())
                           .Add({});
  return gauge;
}

}  // namespace

void SetOutboxBound(int64_t max_pending) {
  bound.store(max_pending, std::memory_order_relaxed);
  BoundGauge().Set(static_cast<double>(max_pending));
}

void NoteOutboxPending(int64_t n) { pending.store(n, std::memory_order_relaxed); }

absl::Status AppendToOutbox(store::Transaction& tx, const Envelope& e) {
  const int64_t max = bound.load(std::memory_order_relaxed);
  const int64_t held = pending.load(std::memory_order_relaxed);
  if (max > 0 && held >= max) {
    Refused().Increment();
    absl::Status refused = absl::UnavailableError(
        absl::StrCat("the outbox holds ", held, " unpublished events (bound ", max,
                     "): the broker is unreachable; retry later"));
    // Tells the client when to come back, and the store not to run the transaction again at
    // once (store::IsTransient): the outbox does not empty in milliseconds.
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(10);
    refused.SetPayload(store::kRetryInfoType, absl::Cord(retry.SerializeAsString()));
    return refused;
  }
  return tx.ExecuteLater(
      "INSERT INTO outbox (event_id, topic, subject, type, source, event_time, payload, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {e.id, e.topic, e.subject, e.type, e.source, absl::ToUnixMicros(e.time),
       store::Blob{e.payload}, absl::ToUnixMicros(absl::Now())});
}

namespace {

constexpr char kPendingColumns[] =
    "SELECT seq, event_id, topic, subject, type, source, event_time, payload, publisher, "
    "publish_seq FROM outbox ";

void ReadRows(const std::vector<store::Row>& rows, std::vector<PendingEvent>* out) {
  for (const store::Row& r : rows) {
    PendingEvent p;
    p.seq = r.Int(0);
    p.envelope.id = r.Text(1);
    p.envelope.topic = r.Text(2);
    p.envelope.subject = r.Text(3);
    p.envelope.type = r.Text(4);
    p.envelope.source = r.Text(5);
    p.envelope.time = absl::FromUnixMicros(r.Int(6));
    p.envelope.payload = r.Text(7);
    if (!r.IsNull(9)) {
      p.publisher = r.Text(8);
      p.publish_seq = r.Int(9);
    }
    out->push_back(std::move(p));
  }
}

}  // namespace

absl::StatusOr<std::vector<PendingEvent>> ReadPending(store::Transaction& tx, int limit) {
  auto rows =
      tx.Query(std::string(kPendingColumns) + "WHERE published_at IS NULL ORDER BY seq LIMIT $1",
               {int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<PendingEvent> out;
  out.reserve(rows->size());
  ReadRows(*rows, &out);
  return out;
}

absl::StatusOr<std::vector<PendingEvent>> ClaimPending(store::Transaction& tx, int limit,
                                                       const std::string& publisher) {
  std::vector<PendingEvent> out;
  auto claimed = tx.Query(
      std::string(kPendingColumns) +
          "WHERE published_at IS NULL AND publish_seq IS NOT NULL ORDER BY publish_seq LIMIT $1",
      {int64_t{limit}});
  if (!claimed.ok()) return claimed.status();
  ReadRows(*claimed, &out);
  // Rows numbered before go first: a row numbered later must never reach a partition before
  // one numbered earlier that has not (consumers would take the earlier one for a copy).
  if (static_cast<int>(out.size()) >= limit) return out;
  auto fresh = tx.Query(std::string(kPendingColumns) +
                            "WHERE published_at IS NULL AND publish_seq IS NULL ORDER BY seq "
                            "LIMIT $1",
                        {int64_t{limit - static_cast<int64_t>(out.size())}});
  if (!fresh.ok()) return fresh.status();
  if (fresh->empty()) return out;
  auto counter = tx.Query("SELECT next_publish_seq FROM database_instance");
  if (!counter.ok()) return counter.status();
  if (counter->empty()) return absl::FailedPreconditionError("the events schema is not applied");
  int64_t next = counter->front().Int(0);
  const size_t first_fresh = out.size();
  ReadRows(*fresh, &out);
  // Numbered in append order, one statement per run of consecutive seqs (the usual case: one).
  size_t start = first_fresh;
  for (size_t i = first_fresh; i < out.size(); ++i) {
    out[i].publisher = publisher;
    out[i].publish_seq = next + static_cast<int64_t>(i - first_fresh);
    if (i + 1 < out.size() && out[i + 1].seq == out[i].seq + 1) continue;
    auto numbered = tx.Execute(
        "UPDATE outbox SET publisher = $1, publish_seq = seq + $2 WHERE seq >= $3 AND seq <= $4 "
        "AND publish_seq IS NULL",
        {publisher, out[start].publish_seq - out[start].seq, out[start].seq, out[i].seq});
    if (!numbered.ok()) return numbered.status();
    start = i + 1;
  }
  next += static_cast<int64_t>(out.size() - first_fresh);
  auto moved = tx.Execute("UPDATE database_instance SET next_publish_seq = $1", {next});
  if (!moved.ok()) return moved.status();
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

absl::StatusOr<PendingSummary> SummarizePending(store::Transaction& tx) {
  // Rows are appended in seq order, so the first pending one is the oldest: the pending index
  // finds it without a scan.
  auto rows = tx.QueryAll(
      {{"SELECT COUNT(*) FROM outbox WHERE published_at IS NULL", {}},
       {"SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT 1", {}}});
  if (!rows.ok()) return rows.status();
  PendingSummary summary;
  summary.count = (*rows)[0].front().Int(0);
  if (!(*rows)[1].empty()) summary.oldest = absl::FromUnixMicros((*rows)[1].front().Int(0));
  return summary;
}

absl::StatusOr<int64_t> PrunePublished(store::Transaction& tx, absl::Time before) {
  return tx.Execute("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1",
                    {absl::ToUnixMicros(before)});
}

}  // namespace parkline::events
