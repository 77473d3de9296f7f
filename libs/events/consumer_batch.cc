// EventConsumer in batch mode (OnBatch): the consuming thread reads records in place into a
// Batch and hands it over; the apply thread settles it in one transaction, against the
// partitions' positions and recently applied ids (applied_ranges.h).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <pthread.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/consumer.h"
#include "events/consumer_internal.h"
#include "runtime/fault.h"
#include "runtime/log.h"

namespace parkline::events {

using consumer_internal::ViewHeaders;

void EventConsumer::RunBatches() {
  // Records are taken from the consumer's queue a chunk at a time, through librdkafka's C
  // interface: the C++ consume() costs, per record, a call that reads the clock, locks the queue
  // and wraps the record in an object of its own (about a tenth of this thread's time in
  // statistics_bench).
  constexpr size_t kChunk = 512;
  struct QueueFree {
    void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
  };
  // Destroyed with this thread, before Stop() closes the consumer.
  std::unique_ptr<rd_kafka_queue_t, QueueFree> queue(
      rd_kafka_queue_get_consumer(consumer_->c_ptr()));
  std::vector<rd_kafka_message_t*> chunk(kChunk);
  auto batch = std::make_unique<Batch>();
  absl::Time forget_at = absl::Now();
  while (!stopping_) {
    const bool collecting = !batch->messages.empty();
    if (!collecting) ForgetOldIdsWhenDue(&forget_at);
    if (spent_waiting_.load(std::memory_order_relaxed)) Reclaim();
    ReportLag(collecting);
    // Idle, wait up to 200 ms for the first record. Collecting, take what is already waiting
    // without blocking, up to max_batch_; while the apply thread is still busy with the batch
    // before, wait a little for more.
    const size_t room =
        collecting ? std::min(kChunk, static_cast<size_t>(max_batch_) - batch->messages.size()) : 1;
    const ssize_t got =
        rd_kafka_consume_batch_queue(queue.get(), collecting ? 0 : 200, chunk.data(), room);
    for (ssize_t i = 0; i < got; ++i) {
      rd_kafka_message_t* message = chunk[i];
      switch (message->err) {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
          AddRecord(*batch, message);
          if (static_cast<int>(batch->messages.size()) >= max_batch_) HandOver(batch, true);
          continue;
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
          break;
        default:
          OnConsumeError(*message);
      }
      rd_kafka_message_destroy(message);
    }
    if (collecting && got < static_cast<ssize_t>(room) && !batch->messages.empty() &&
        !HandOver(batch, false)) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
}

void EventConsumer::AddRecord(Batch& batch, rd_kafka_message_t* record) {
  consumer_internal::OwnedMessage message(record);
  const rd_kafka_message_t* raw = record;
  size_t span = 0;
  while (span < batch.extent.size() && (batch.handles[span] != raw->rkt ||
                                        batch.extent[span].partition.partition != raw->partition)) {
    ++span;
  }
  absl::string_view topic = rd_kafka_topic_name(raw->rkt);
  if (span == batch.extent.size()) {
    batch.extent.push_back({{std::string(topic), raw->partition}, raw->offset, raw->offset + 1});
    batch.handles.push_back(raw->rkt);
  }
  Span& range = batch.extent[span];
  range.first = std::min(range.first, raw->offset);
  range.next = std::max(range.next, raw->offset + 1);
  absl::string_view key;
  if (raw->key != nullptr)
    key = absl::string_view(static_cast<const char*>(raw->key), raw->key_len);
  ViewHeaders(*raw, headers_);
  auto event = ViewRecord(
      headers_, topic.substr(std::min(options_.topic_prefix.size(), topic.size())), key,
      absl::string_view(static_cast<const char*>(raw->payload), raw->payload ? raw->len : 0));
  if (event.ok() && batch_types_.contains(event->type)) {
    event->id = batch.texts.Copy(event->id);
    event->source = batch.texts.Copy(event->source);
    event->type = batch.texts.Copy(event->type);
    event->subject = batch.texts.Copy(event->subject);
    event->publisher = batch.texts.Copy(event->publisher);
    // Numbered events are told apart by their numbers: their ids are hashed only if needed.
    batch.id_hashes.push_back(event->publish_seq > 0 ? 0 : HashedId::Of(event->id));
    batch.events.push_back(*event);
    batch.at.push_back({span, raw->offset});
    batch.sources.push_back(message.get());
  } else if (event.ok()) {
    batch.unknown_types++;
  } else {
    batch.unreadable.emplace_back(message.get(), std::string(event.status().message()));
  }
  // Parsed headers are a dozen small blocks per record: freed here, while this thread's cache
  // still has them, rather than with the batch. (A dead-lettered record's are parsed again.)
  rd_kafka_headers_t* parsed = nullptr;
  if (rd_kafka_message_detach_headers(record, &parsed) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(parsed);
  }
  batch.messages.push_back(std::move(message));
}

bool EventConsumer::HandOver(std::unique_ptr<Batch>& batch, bool wait) {
  std::unique_lock<std::mutex> lock(handoff_mu_);
  if (!wait && handed_ != nullptr) return false;
  handoff_cv_.wait(lock, [this] { return handed_ == nullptr || stopping_; });
  if (stopping_) return true;  // not settled: comes again after the restart
  {
    std::lock_guard<std::mutex> applied(applied_mu_);
    for (const Span& span : batch->extent) {
      handed_next_[{span.partition.topic, span.partition.partition}] = span.next;
    }
  }
  handed_ = std::move(batch);
  handoff_cv_.notify_all();
  lock.unlock();
  if (spare_ == nullptr) Reclaim();
  batch = spare_ != nullptr ? std::move(spare_) : std::make_unique<Batch>();
  return true;
}

void EventConsumer::Reclaim() {
  std::unique_ptr<Batch> spent;
  {
    std::lock_guard<std::mutex> lock(handoff_mu_);
    spent = std::move(spent_);
    spent_waiting_ = false;
  }
  if (spent == nullptr) return;
  // Emptied here, as soon as it is settled: its records were allocated by this thread, and
  // glibc frees a block fastest in the thread that allocated it (freed in the apply thread, a
  // batch's records took a third of that thread's time in statistics_bench). Emptied at once,
  // not when the next batch is full, so that at most three batches of records are held.
  spent->Clear();
  if (spare_ == nullptr) spare_ = std::move(spent);
}

void EventConsumer::ApplyLoop() {
  pthread_setname_np(pthread_self(), "pl-apply");
  while (true) {
    std::unique_ptr<Batch> batch;
    {
      std::unique_lock<std::mutex> lock(handoff_mu_);
      handoff_cv_.wait(lock, [this] { return handed_ != nullptr || stopping_; });
      if (stopping_) return;
      batch = std::move(handed_);
    }
    // The slot is free again: the consuming thread reads the next batch while this one is
    // settled. One apply thread settles them in the order they were read.
    handoff_cv_.notify_all();
    Settle(*batch);
    std::lock_guard<std::mutex> lock(handoff_mu_);
    spent_ = std::move(batch);  // for the consuming thread to empty (Reclaim)
    spent_waiting_ = true;
  }
}

void EventConsumer::Settle(Batch& batch) {
  // Records that are not CloudEvents are dead-lettered first; their offsets move with the
  // batch's positions, after the events before them are committed.
  for (auto& [message, reason] : batch.unreadable) {
    absl::Duration wait = absl::Milliseconds(100);
    while (!stopping_) {
      absl::Status sent = DeadLetter(*message, reason);
      if (sent.ok()) break;
      absl::SleepFor(wait);
      wait = std::min(wait * 2, absl::Seconds(10));
    }
    Count("deadlettered");
  }
  Count("unknown_type", batch.unknown_types);
  std::vector<EventView>& events = batch.events;
  std::vector<Located>& at = batch.at;
  const std::vector<const rd_kafka_message_t*>& sources = batch.sources;
  const Extent& extent = batch.extent;
  int attempt = 0;
  int failures = 0;  // in a row, of the batch's own (Poisonous)
  while (!stopping_) {
    ++attempt;
    absl::StatusOr<int> duplicates = ApplyBatch(events, batch.id_hashes, at, extent);
    if (duplicates.ok()) {
      Count("duplicate", *duplicates);
      Count("applied", static_cast<int>(events.size()) - *duplicates);
      break;
    }
    const bool poisoned = consumer_internal::Poisonous(duplicates.status()) &&
                          options_.max_attempts > 0 && ++failures >= options_.max_attempts;
    if (absl::IsInvalidArgument(duplicates.status()) || poisoned) {
      // Some event cannot be applied: one at a time, so that only that one is dead-lettered.
      for (size_t i = 0; i < events.size() && !stopping_; ++i) {
        const Extent one_extent = {{extent[at[i].span].partition, at[i].offset, at[i].offset + 1}};
        const std::vector<Located> one_at = {{0, at[i].offset}};
        const std::vector<size_t> one_hash = {batch.id_hashes[i]};
        absl::StatusOr<int> one = ApplyBatch({events[i]}, one_hash, one_at, one_extent);
        int own = 0;  // the event's own failures in a row
        for (int tries = 1; !stopping_ && !one.ok() && !absl::IsInvalidArgument(one.status());
             ++tries) {
          if (consumer_internal::Poisonous(one.status()) && options_.max_attempts > 0 &&
              ++own >= options_.max_attempts) {
            break;
          }
          absl::SleepFor(Backoff(tries));
          one = ApplyBatch({events[i]}, one_hash, one_at, one_extent);
        }
        if (one.ok()) {
          Count(*one > 0 ? "duplicate" : "applied");
          continue;
        }
        if (stopping_) return;
        const bool undecodable = absl::IsInvalidArgument(one.status());
        absl::Status sent = undecodable
                                ? DeadLetter(*sources[i], one.status().message())
                                : DeadLetter(*sources[i],
                                             absl::StrCat("handler failed ", own,
                                                          " times: ", one.status().message()),
                                             "handler_failed");
        if (!sent.ok()) return;  // not settled: the positions stay, the records come again
        Count("deadlettered");
      }
      // The positions move past what is left: dead-lettered events, other types.
      events.clear();
      batch.id_hashes.clear();
      at.clear();
      continue;
    }
    log::Warn("event batch not applied, will retry",
              {{"consumer", options_.group_id},
               {"events", static_cast<int64_t>(events.size())},
               {"attempt", int64_t{attempt}},
               {"error", std::string(duplicates.status().message())}});
    absl::SleepFor(Backoff(attempt));
  }
  if (stopping_) return;  // what was not committed comes again after the restart
  StoreOffsets(extent);
}

absl::StatusOr<std::set<std::string>> EventConsumer::RecordedIds(
    store::Transaction& tx, const std::vector<const EventView*>& events) {
  std::set<std::string> seen;
  // In chunks, to keep statements small and cacheable.
  constexpr size_t kChunk = 100;
  for (size_t begin = 0; begin < events.size(); begin += kChunk) {
    size_t end = std::min(events.size(), begin + kChunk);
    // The pairs, each looked up by the whole key. CROSS JOIN keeps the VALUES list the outer
    // loop in SQLite, whose planner otherwise may scan the consumer's every row instead (it
    // did, at 100 pairs); PostgreSQL plans it as any inner join.
    std::string sql = "SELECT c.event_id FROM (VALUES ";
    store::Params params = {options_.group_id};
    for (size_t i = begin; i < end; ++i) {
      absl::StrAppend(&sql, i == begin ? "" : ", ", "(CAST($", params.size() + 1, " AS BIGINT), $",
                      params.size() + 2, ")");
      if (legacy_ids_) absl::StrAppend(&sql, ", (0, $", params.size() + 2, ")");
      params.push_back(absl::ToUnixMicros(events[i]->time));
      params.push_back(std::string(events[i]->id));
    }
    sql +=
        ") AS v CROSS JOIN consumed_events AS c WHERE c.consumer = $1 AND c.event_time = "
        "v.column1 AND c.event_id = v.column2";
    auto rows = tx.Query(sql, params);
    if (!rows.ok()) return rows.status();
    for (const store::Row& row : *rows) seen.insert(row.Text(0));
  }
  return seen;
}

absl::StatusOr<int> EventConsumer::ApplyBatch(const std::vector<EventView>& batch,
                                              const std::vector<size_t>& id_hashes,
                                              const std::vector<Located>& at,
                                              const Extent& extent) {
  int duplicates = 0;
  // Per span: the ids the committed attempt applied there without a publish number (Transact may
  // run it again), how many events it applied, and the watermarks it leaves.
  std::vector<std::vector<absl::string_view>> applied(extent.size());
  std::vector<std::vector<size_t>> applied_hashes(extent.size());
  std::vector<int64_t> applied_count(extent.size());
  std::vector<int64_t> numbered_count(extent.size());
  std::vector<Watermarks> marks(extent.size());
  // Per span: the seq of the row the committed attempt appended, or -1.
  std::vector<int64_t> appended(extent.size(), -1);
  std::vector<Window*> windows;
  for (const Span& span : extent) windows.push_back(&windows_[span.partition]);
  // Effects and positions are derived from the topics and commit together: a transaction a
  // machine crash loses takes its positions with it, and its records are read and applied
  // again. So the commit need not wait for the disk.
  absl::Status status = db_.TransactWithoutFlush([&](store::Transaction& tx) -> absl::Status {
    duplicates = 0;
    for (auto& ids : applied) ids.clear();
    for (auto& hashes : applied_hashes) hashes.clear();
    std::fill(applied_count.begin(), applied_count.end(), 0);
    std::fill(numbered_count.begin(), numbered_count.end(), 0);
    std::fill(appended.begin(), appended.end(), -1);
    // Where this consumer stands in each partition, read in this transaction: a replica that
    // settled the same records meanwhile has moved it (see applied_ranges.h).
    std::vector<Position> positions;
    for (size_t s = 0; s < extent.size(); ++s) {
      auto position = ReadPosition(tx, options_.group_id, extent[s].partition);
      if (!position.ok()) return position.status();
      positions.push_back(*position);
      Window& window = *windows[s];
      if (window.seq != position->seq) {
        // Not where this process left it: a restart, or another replica had the partition. The
        // watermarks move only with the position, so an unmoved position vouches for them.
        auto ids = ReadRecentIds(tx, options_.group_id, extent[s].partition,
                                 options_.recent_ids_per_partition);
        if (!ids.ok()) return ids.status();
        auto stored = ReadWatermarks(tx, options_.group_id, extent[s].partition);
        if (!stored.ok()) return stored.status();
        window.ids = std::make_unique<RecentIds>(options_.recent_ids_per_partition);
        for (const std::string& id : *ids) window.ids->Add(id);
        window.marks = std::move(*stored);
        window.numbered_since = 0;
        window.seq = position->seq;
      }
      marks[s] = window.marks;
    }
    // Events of a partition without a position yet may have been applied by this consumer
    // before it kept ranges: those are looked up by id.
    std::set<std::string> recorded;
    if (recorded_ids_) {
      std::vector<const EventView*> unpositioned;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (positions[at[i].span].seq == 0) unpositioned.push_back(&batch[i]);
      }
      auto ids = RecordedIds(tx, unpositioned);
      if (!ids.ok()) return ids.status();
      recorded = std::move(*ids);
    }
    std::vector<bool> keep(batch.size(), true);
    HashedIdSet in_batch;
    for (size_t i = 0; i < batch.size(); ++i) {
      const size_t s = at[i].span;
      const EventView& e = batch[i];
      bool copy = at[i].offset < positions[s].next_offset ||
                  (!recorded.empty() && recorded.count(std::string(e.id)) > 0);
      if (!copy && e.publish_seq > 0) {
        // Numbered: a copy when its publisher's watermark has reached it (this batch's copies
        // too, as the watermark moves), or, while unnumbered ids are remembered, when its id is
        // one of them (sent before the upgrade without a number, now with one).
        copy = e.publish_seq <= marks[s].Get(e.publisher);
        if (!copy && (windows[s]->ids->size() > 0 || !in_batch.empty())) {
          const HashedId id(e.id);
          copy = windows[s]->ids->Contains(id) || in_batch.contains(id);
        }
        if (!copy) {
          marks[s].Set(e.publisher, e.publish_seq);
          numbered_count[s]++;
        }
      } else if (!copy) {
        const HashedId id(e.id, id_hashes[i]);
        copy = windows[s]->ids->Contains(id) || !in_batch.insert(id).second;
        if (!copy) {
          applied[s].push_back(e.id);
          applied_hashes[s].push_back(id_hashes[i]);
        }
      }
      if (copy) {
        duplicates++;  // settled before, a publisher's copy, or twice in this batch
        keep[i] = false;
      } else {
        applied_count[s]++;
      }
    }
    // The common case, no duplicate, hands the batch over as it is, without copying it.
    std::vector<EventView> fresh;
    if (duplicates > 0) {
      for (size_t i = 0; i < batch.size(); ++i) {
        if (keep[i]) fresh.push_back(batch[i]);
      }
    }
    const std::vector<EventView>& apply = duplicates > 0 ? fresh : batch;
    if (!apply.empty()) {
      if (auto s = batch_handler_(tx, apply); !s.ok()) return s;
    }
    const int64_t now = absl::ToUnixMicros(absl::Now());
    for (size_t s = 0; s < extent.size(); ++s) {
      const int64_t first = std::max(extent[s].first, positions[s].next_offset);
      if (extent[s].next <= first) continue;  // every record of it settled before
      if (auto r = RecordRange(tx, options_.group_id, extent[s].partition, positions[s], first,
                               extent[s].next, applied_count[s], applied[s], now);
          !r.ok()) {
        return r;
      }
      if (auto w = WriteWatermarks(tx, options_.group_id, extent[s].partition, windows[s]->marks,
                                   marks[s], now);
          !w.ok()) {
        return w;
      }
      appended[s] = positions[s].seq + 1;
    }
    // The batch consumer is the statistics aggregator's: the chaos suite ends it on either side
    // of the commit that applies a batch's effects and positions together.
    runtime::FaultPoint("aggregator.before_commit");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  runtime::FaultPoint("aggregator.after_commit");
  for (size_t s = 0; s < extent.size(); ++s) {
    if (appended[s] < 0) continue;
    Window& window = *windows[s];
    for (size_t i = 0; i < applied[s].size(); ++i) {
      window.ids->Add(HashedId(applied[s][i], applied_hashes[s][i]));
    }
    window.marks = std::move(marks[s]);
    window.numbered_since = applied[s].empty() ? window.numbered_since + numbered_count[s] : 0;
    if (window.ids->size() > 0 && window.numbered_since >= options_.recent_ids_per_partition) {
      window.ids = std::make_unique<RecentIds>(options_.recent_ids_per_partition);
    }
    window.seq = appended[s];
  }
  return duplicates;
}

}  // namespace parkline::events
