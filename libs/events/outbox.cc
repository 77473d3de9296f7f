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
