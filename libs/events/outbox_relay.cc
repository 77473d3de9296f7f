#include "events/outbox_relay.h"

#include <pthread.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_producer.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "events/topic_tail.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/fault.h"
#include "runtime/job_errors.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::events {
namespace {

struct RelayMetrics {
  prometheus::Counter& published;
  prometheus::Counter& errors;
  prometheus::Gauge& pending;
  prometheus::Gauge& oldest_age;
  prometheus::Family<prometheus::Counter>& failures;
};

RelayMetrics& Metrics() {
  static RelayMetrics* m = [] {
    auto& registry = runtime::Metrics();
    return new RelayMetrics{prometheus::BuildCounter()
                                .Name("parkline_outbox_published_total")
                                .Help("Outbox events acknowledged by Kafka and marked published.")
                                .Register(registry)
                                .Add({}),
                            prometheus::BuildCounter()
                                .Name("parkline_outbox_publish_errors_total")
                                .Help("Outbox events Kafka did not acknowledge (they are retried).")
                                .Register(registry)
                                .Add({}),
                            prometheus::BuildGauge()
                                .Name("parkline_outbox_pending")
                                .Help("Outbox events not yet published.")
                                .Register(registry)
                                .Add({}),
                            prometheus::BuildGauge()
                                .Name("parkline_outbox_oldest_pending_age_seconds")
                                .Help("How long the oldest unpublished outbox event has waited "
                                      "(0: none waits).")
                                .Register(registry)
                                .Add({}),
                            prometheus::BuildCounter()
                                .Name("parkline_outbox_publish_failures_total")
                                .Help("Relay passes that failed, by stage (each retry counts).")
                                .Register(registry)};
  }();
  return *m;
}

}  // namespace

OutboxRelay::OutboxRelay(store::Database& db, RelayOptions options)
    : db_(db), options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() { Stop(absl::ZeroDuration()); }

absl::Status OutboxRelay::Start() {
  SetOutboxBound(options_.max_pending);
  // At zero from the start, so that rate() sees the first failure.
  for (const char* stage : {"reconcile", "publish"}) Metrics().failures.Add({{"stage", stage}});
  // Created now when the database names itself, so that a bad configuration stops the service;
  // its transactions are initialized by the first pass (the broker may be down at start).
  if (auto instance = DatabaseInstanceId(db_); instance.ok()) {
    instance_ = *instance;
    NewPublisher();
    if (auto s = CreateProducer(); !s.ok()) return s;
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void OutboxRelay::NewPublisher() {
  // The instance id names the database; the random part of a fresh id names this tenure, so
  // that a database restored from a backup (its counter rewound) never reuses a name and
  // number that consumers already hold.
  const std::string tenure = NewUuid();
  publisher_ = absl::StrCat(instance_, "/", tenure.substr(tenure.size() - 16));
  // librdkafka initializes a producer's transactions once ("Operation not valid in state Ready"
  // the second time): a lease taken again after it was lost, as when the database restarted,
  // needs a new producer, whose init fences whatever the last tenure left open.
  if (initialized_) producer_.reset();
  initialized_ = false;
}

absl::Status OutboxRelay::CreateProducer() {
  std::map<std::string, std::string> overrides = options_.producer_overrides;
  overrides.emplace("transactional.id", "parkline-outbox-" + instance_);
  auto producer = KafkaProducer::Create(options_.brokers, options_.security, overrides);
  if (!producer.ok()) return producer.status();
  producer_ = std::move(*producer);
  initialized_ = false;
  return absl::OkStatus();
}

absl::Status OutboxRelay::ReadyProducer() {
  if (instance_.empty()) {
    auto instance = DatabaseInstanceId(db_);
    if (!instance.ok()) return instance.status();
    instance_ = *instance;
    NewPublisher();
  }
  if (producer_ == nullptr) {
    if (auto s = CreateProducer(); !s.ok()) return s;
  }
  if (initialized_) return absl::OkStatus();
  absl::Status init = producer_->InitTransactions(options_.delivery_timeout);
  if (absl::IsFailedPrecondition(init)) producer_.reset();  // unusable: a new one next pass
  if (!init.ok()) return init;
  initialized_ = true;
  return absl::OkStatus();
}

void OutboxRelay::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

void OutboxRelay::Stop(absl::Duration timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    stop_deadline_ = absl::Now() + timeout;
  }
  cv_.notify_one();
  thread_.join();
  // A stopped relay publishes nothing: another replica (or relay) may take over at once.
  lease_.reset();
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  // Most passes (every poll, every Notify) find nothing: a read says so without a write
  // transaction.
  bool any = false;
  absl::Status looked = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto pending = ReadPending(tx, 1);
    if (pending.ok()) any = !pending->empty();
    return pending.status();
  });
  if (!looked.ok()) return looked;
  if (!any) return 0;
  if (auto s = ReadyProducer(); !s.ok()) return s;
  std::vector<PendingEvent> batch;
  absl::Status read = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    auto pending = ClaimPending(tx, options_.batch_size, publisher_);
    if (!pending.ok()) return pending.status();
    batch = std::move(*pending);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (batch.empty()) return 0;

  // One transaction per pass: its records are visible together or not at all, so a failed pass
  // leaves no record with a higher number ahead of one that did not land.
  absl::Status sent = producer_->BeginTransaction();
  std::vector<int64_t> seqs;
  for (size_t i = 0; sent.ok() && i < batch.size(); ++i) {
    const PendingEvent& event = batch[i];
    Record record = ToRecord(event.envelope);
    record.topic.insert(0, options_.topic_prefix);
    record.headers.emplace_back(kPublisherHeader, event.publisher);
    record.headers.emplace_back(kSequenceHeader, std::to_string(event.publish_seq));
    sent = producer_->Produce(record, event.seq);
    seqs.push_back(event.seq);
  }
  if (sent.ok()) sent = producer_->CommitTransaction(options_.delivery_timeout);
  for (const Delivery& d : producer_->Flush(absl::ZeroDuration())) {
    if (!d.status.ok()) Metrics().errors.Increment();
  }
  if (!sent.ok()) {
    // Nothing of the pass is visible, or (a commit whose outcome is unknown) all of it: the rows
    // stay pending with their numbers, and a copy of a committed one is dropped by consumers.
    absl::Status aborted = absl::IsFailedPrecondition(sent)
                               ? sent
                               : producer_->AbortTransaction(options_.delivery_timeout);
    if (!aborted.ok()) producer_.reset();  // a new producer's init settles the transaction
    return sent;
  }
  // Kafka has the events, the outbox does not know yet: the window Reconcile() exists for.
  runtime::FaultPoint("relay.after_ack");
  absl::Status marked =
      db_.Transact([&](store::Transaction& tx) { return MarkPublished(tx, seqs, absl::Now()); });
  // Unmarked rows are simply sent again: a duplicate, never a loss.
  if (!marked.ok()) return marked;
  Metrics().published.Increment(static_cast<double>(seqs.size()));
  return static_cast<int>(seqs.size());
}

absl::StatusOr<int> OutboxRelay::Reconcile() {
  std::vector<PendingEvent> pending;
  absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = ReadPending(tx, options_.batch_size * 2);
    if (!rows.ok()) return rows.status();
    pending = std::move(*rows);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  std::map<std::string, std::set<std::string>> on_kafka;  // topic -> ids seen at its tail
  for (const PendingEvent& e : pending)
    on_kafka.try_emplace(options_.topic_prefix + e.envelope.topic);
  for (auto& [topic, ids] : on_kafka) {
    auto seen = RecentEventIds(options_.brokers, options_.security, topic, options_.batch_size * 2,
                               options_.delivery_timeout);
    if (!seen.ok()) return seen.status();
    ids = std::move(*seen);
  }
  std::vector<int64_t> already;
  for (const PendingEvent& e : pending) {
    if (on_kafka[options_.topic_prefix + e.envelope.topic].count(e.envelope.id) > 0) {
      already.push_back(e.seq);
    }
  }
  if (already.empty()) return 0;
  absl::Status marked =
      db_.Transact([&](store::Transaction& tx) { return MarkPublished(tx, already, absl::Now()); });
  if (!marked.ok()) return marked;
  log::Warn(
      "outbox rows were already on Kafka (a publisher stopped before marking them): "
      "marked, not sent again",
      {{"rows", static_cast<int64_t>(already.size())}});
  return static_cast<int>(already.size());
}

void OutboxRelay::UpdatePendingGauge() {
  PendingSummary summary;
  absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto s = SummarizePending(tx);
    if (s.ok()) summary = *s;
    return s.status();
  });
  // The gauges keep their last figures: a stale count beats a zero that says all is well.
  if (!read.ok()) {
    runtime::CheckJob("outbox_gauge", read);
    return;
  }
  Metrics().pending.Set(static_cast<double>(summary.count));
  const absl::Time now = absl::Now();
  Metrics().oldest_age.Set(summary.oldest < now ? absl::ToDoubleSeconds(now - summary.oldest) : 0);
  NoteOutboxPending(summary.count);
}

bool OutboxRelay::Lead() {
  // Checking the lease costs a database round trip: under load once a second is enough (a lost
  // lease means, at worst, a second of batches that another replica may also send: duplicates,
  // which consumers drop, never a loss).
  if (lease_ && absl::Now() < lease_checked_ + absl::Seconds(1)) return true;
  lease_checked_ = absl::Now();
  if (lease_ && lease_->held()) return true;
  auto lease = db_.TryLease("parkline.outbox-relay");
  lease_ = lease.ok() ? std::move(*lease) : nullptr;
  if (lease_) {
    log::Info("outbox relay is the publisher for this database");
    reconcile_ = true;  // the one before may have sent rows it did not mark
    NewPublisher();     // and its transactions are fenced before this one's
  }
  return lease_ != nullptr;
}

void OutboxRelay::Run() {
  pthread_setname_np(pthread_self(), kRelayThread);  // for top -H and profiles
  absl::Duration backoff = absl::Milliseconds(100);
  absl::Time next_prune = absl::Now();
  absl::Time next_gauge = absl::Now();
  // Each pass costs a Kafka transaction (the broker writes a marker to every partition it touched)
  // and two outbox writes whatever it carries: under load, passes a few milliseconds apart would
  // carry a few rows each, so one that follows a pass that found rows waits out the linger.
  absl::Time linger_until = absl::InfinitePast();
  while (true) {
    bool stopping;
    absl::Time deadline;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (absl::Now() < linger_until) {
        cv_.wait_for(lock, absl::ToChronoMilliseconds(linger_until - absl::Now()),
                     [this] { return stopping_; });
      }
      stopping = stopping_;
      deadline = stop_deadline_;
      notified_ = false;
    }
    // The gauges are scrape-time figures: a count a second is plenty, not one per batch. Read
    // before publishing too, so that they (and the bound) move while passes fail slowly.
    if (absl::Now() >= next_gauge) {
      UpdatePendingGauge();
      next_gauge = absl::Now() + options_.gauge_interval;
    }
    // Another replica publishing is no error: this one waits and takes over if it dies.
    absl::StatusOr<int> published = 0;
    const absl::Time pass_start = absl::Now();
    if (Lead()) {
      absl::StatusOr<int> reconciled = reconcile_ ? Reconcile() : absl::StatusOr<int>(0);
      if (reconciled.ok()) reconcile_ = false;
      // Each failed pass counts, wherever it failed: with the broker down the reconcile fails on
      // metadata before anything is produced, and only this counter still moves.
      if (!reconciled.ok()) Metrics().failures.Add({{"stage", "reconcile"}}).Increment();
      published = reconciled.ok() ? PublishBatch() : reconciled.status();
      if (reconciled.ok() && !published.ok()) {
        Metrics().failures.Add({{"stage", "publish"}}).Increment();
      }
      // After a failed delivery some rows may have landed anyway.
      if (!published.ok()) reconcile_ = true;
    }
    bool more = published.ok() && *published == options_.batch_size;
    linger_until = published.ok() && *published > 0 && !more ? pass_start + options_.linger
                                                             : absl::InfinitePast();
    if (!published.ok()) {
      log::Warn("outbox publish failed, will retry",
                {{"error", std::string(published.status().message())},
                 {"retry_ms", absl::ToInt64Milliseconds(backoff)}});
    }
    if (stopping) {
      // Drain: keep going while there is work, no error, and time left.
      if (published.ok() && *published > 0 && absl::Now() < deadline) continue;
      return;
    }
    if (absl::Now() >= next_prune) {
      runtime::CheckJob("outbox_prune", db_.Transact([this](store::Transaction& tx) {
        return PrunePublished(tx, absl::Now() - options_.retention).status();
      }));
      next_prune = absl::Now() + absl::Minutes(10);
    }
    if (more) continue;
    absl::Duration wait = published.ok() ? options_.poll_interval : backoff;
    backoff = published.ok() ? absl::Milliseconds(100) : std::min(backoff * 2, absl::Seconds(10));
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(wait), [this] { return notified_ || stopping_; });
  }
}

}  // namespace parkline::events
