// Consumes domain events from Kafka and applies each one's effect exactly once.
//
// Contract: Kafka delivers at least once (a record may come again after a crash or a
// rebalance); the effect happens exactly once. For every record the consumer, in ONE database
// transaction, checks `consumed_events` for the event id, runs the handler and records the id;
// only after that commit does it store the offset. A redelivered event finds its id and changes
// nothing.
//
// What happens to a record:
//   - handler OK                       -> applied, counted `applied`
//   - id already recorded              -> skipped, counted `duplicate`
//   - no handler for its ce_type       -> skipped, counted `unknown_type` (a newer producer)
//   - not a CloudEvent, or the handler returns INVALID_ARGUMENT (payload that cannot be applied)
//                                      -> copied to parkline.deadletter.v1 with the reason in the
//                                         `parkline_deadletter_reason` header, counted
//                                         `deadlettered`; the partition moves on
//   - a transient error (UNAVAILABLE: database busy or unreachable, the outbox full;
//     ABORTED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED)
//                                      -> retried with backoff for as long as it lasts; the
//                                         partition waits, because skipping would lose an effect
//                                         that will apply once the database is back
//   - any other handler error, on the same event, max_attempts times in a row (a poison event:
//     a bug, a constraint the event breaks)
//                                      -> retried with backoff (retry_backoff doubling up to
//                                         max_retry_backoff), then dead-lettered with the reason
//                                         "handler failed N times: <error>", counted
//                                         `deadlettered`; the partition moves on
// parkline_consumer_deadlettered_total{consumer,reason} says why events were dead-lettered
// (undecodable, handler_failed). parkline_consumer_lag{group,topic,partition} is each assigned
// partition's high watermark minus the offset after the last record whose effect committed
// (read, not yet applied records count: a batch consumer reads ahead of its apply thread),
// refreshed every lag_interval from the watermarks librdkafka keeps from its fetches (no
// broker round trip).
// A group that starts without a committed offset reads from the beginning. An offset that is out
// of range (retention removed events the group had not read) is never skipped quietly: it is
// logged as an error and counted in parkline_consumer_offset_out_of_range_total, then the
// consumer resumes from the earliest event still retained (batch mode: from the partition's end
// when its position lies beyond it, see RestartOffset).
//
// Batch mode (OnBatch, for high-volume consumers such as statistics): up to max_batch records
// that are already waiting are applied together, in one transaction. Instead of a row per
// event id, that transaction reads and advances the consumer's position in each partition it
// read and, per publisher, the highest publish number applied there (applied_ranges.h): a
// record below the position is skipped, and so is a numbered record not above its publisher's
// watermark (a publisher's copy); a record without a number (an older publisher) is skipped
// when its id is among the partition's recently applied ones. Assigned partitions resume at the
// position stored in the database, whatever Kafka's committed offsets say (they are still
// committed, for lag monitoring). The handler sees only the events not applied before, in the order
// they were read. When the batch handler says INVALID_ARGUMENT, the batch is applied again one
// event at a time so that only the bad event is dead-lettered.
//
// Applied event ids (and a batch consumer's ranges, except each partition's newest) are kept for
// ConsumerOptions::id_retention (30 days), longer than any redelivery;
// parkline_consumer_ids_forgotten_total counts the ids deleted.
//
// One background thread (two in batch mode); On() or OnBatch() before Start().
#ifndef PARKLINE_EVENTS_CONSUMER_H_
#define PARKLINE_EVENTS_CONSUMER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "events/applied_ranges.h"
#include "events/envelope.h"
#include "events/kafka_security.h"
#include "store/database.h"

namespace prometheus {
class Gauge;
}  // namespace prometheus

struct rd_kafka_message_s;

namespace RdKafka {
class EventCb;
class KafkaConsumer;
class Message;
class TopicPartition;
}  // namespace RdKafka

namespace parkline::events {

class KafkaProducer;

struct ConsumerOptions {
  std::string brokers = "127.0.0.1:9092";
  // TLS and SASL to the brokers (CommonConfig::kafka_security); also the dead-letter producer's.
  KafkaSecurity security;
  // Kafka consumer group; also the name under which processed event ids are recorded.
  std::string group_id;
  std::vector<std::string> topics;
  // Prepended to every topic above and to the dead-letter topic (CommonConfig::topic_prefix).
  // Handlers see envelopes with the topic name without it.
  std::string topic_prefix;
  std::string deadletter_topic = std::string(kDeadLetterTopic);
  // librdkafka properties applied last.
  std::map<std::string, std::string> overrides;
  // How long the ids of applied events are kept, counted from when they were applied (and
  // from their event time: a late event's id is kept as long). A record comes again only
  // between its effect and the commit of its offset (seconds), after a crash or a rebalance
  // (from the last committed offset), as a publisher's duplicate (the relay reads the topic's
  // tail back, so at once or never), or when an operator resets the group's offsets: keep ids
  // longer than the topics retain events (7 days here), so that even a replay of everything
  // retained changes nothing. Zero keeps them forever. Older ids are deleted by the consumer
  // at start and every hour.
  absl::Duration id_retention = absl::Hours(24 * 30);
  // Batch mode: how many of the last applied ids per partition are remembered to recognise a
  // publisher's duplicate. The relay reads back at most 2 x its batch (1,000 records) before it
  // publishes again; this is ten times that.
  size_t recent_ids_per_partition = 10000;
  // A handler failing on one event with a non-transient error is tried this many times, then the
  // event is dead-lettered (0: forever). Between attempts the consumer waits retry_backoff,
  // doubled each time up to max_retry_backoff (defaults: about 30 s over 10 attempts).
  int max_attempts = 10;
  absl::Duration retry_backoff = absl::Milliseconds(100);
  absl::Duration max_retry_backoff = absl::Seconds(10);
  // How often parkline_consumer_lag is refreshed.
  absl::Duration lag_interval = absl::Seconds(5);
};

// Applies one event inside the consumer's transaction.
using EventHandler = std::function<absl::Status(store::Transaction&, const Envelope&)>;
// Applies several events inside one transaction.
using BatchHandler =
    std::function<absl::Status(store::Transaction&, const std::vector<EventView>& events)>;

// INVALID_ARGUMENT for an event whose payload is not a message of its ce_type: such an event is
// dead-lettered.
absl::Status Undecodable(const Envelope& event);

class EventConsumer {
 public:
  EventConsumer(store::Database& db, ConsumerOptions options);
  ~EventConsumer();

  // Handles the events of message type M (a generated protobuf class) with
  // `handler(tx, const M& message, const Envelope& event)`, or `handler(tx, const M& message)`
  // when the envelope's attributes do not matter to it. The ce_type is M's full name and the
  // consumer subscribes to M's topic, its proto package ("parkline.enterprises.v1"): a domain
  // publishes the event types of its package to the topic of that name (DESIGN §4), so that
  // neither name is ever typed by hand. A payload that does not parse as M is dead-lettered.
  template <typename M, typename Handler>
  void On(Handler handler) {
    const std::string& type = M::descriptor()->full_name();
    Subscribe(M::descriptor()->file()->package());
    On(type,
       [handler = std::move(handler)](store::Transaction& tx,
                                      const Envelope& event) -> absl::Status {
         M message;
         if (!message.ParseFromString(event.payload)) return Undecodable(event);
         if constexpr (std::is_invocable_v<Handler&, store::Transaction&, const M&>) {
           return handler(tx, static_cast<const M&>(message));
         } else {
           return handler(tx, static_cast<const M&>(message), event);
         }
       });
  }

  // Events of type M that this consumer reads past on purpose: counted `applied` with no effect,
  // not `unknown_type`, which is kept for types newer than the consumer.
  template <typename M>
  void Ignore() {
    Subscribe(M::descriptor()->file()->package());
    On(M::descriptor()->full_name(),
       [](store::Transaction&, const Envelope&) { return absl::OkStatus(); });
  }

  // Handles events whose ce_type is `type` (a full protobuf message name); the topic must be
  // subscribed (ConsumerOptions::topics or Subscribe). On<M> is the typed form.
  void On(std::string type, EventHandler handler);

  // Reads `topic` too (once, however often it is named). Before Start().
  void Subscribe(std::string topic);

  // Handles every event whose ce_type is in `types` through `handler`, up to `max_batch` at a
  // time, and subscribes to the topic of each type (its package, as On<M>). Not combined with
  // On().
  void OnBatch(std::vector<std::string> types, BatchHandler handler, int max_batch = 2000);

  // The host sets the process's topic prefix before Start().
  void SetTopicPrefix(std::string prefix) { options_.topic_prefix = std::move(prefix); }

  absl::Status Start();
  // Stops the thread, commits the stored offsets and leaves the group.
  void Stop();

  // When a lag report (every lag_interval) last found every assigned partition applied to its
  // end; InfinitePast before the first such report. Thread-safe. For work that must wait until
  // the consumer has caught up with its topics (the statistics' day closer after a rebuild).
  absl::Time CaughtUpAt() const {
    int64_t nanos = caught_up_at_.load();
    return nanos == std::numeric_limits<int64_t>::min() ? absl::InfinitePast()
                                                        : absl::FromUnixNanos(nanos);
  }

 private:
  class Rebalance;
  void Run();
  void Handle(RdKafka::Message& message);
  // What consume returned that is not a record: a partition out of range is read again
  // (RestartOffset); anything else is logged.
  void OnConsumeError(const rd_kafka_message_s& message);
  // Batch mode runs in two threads: the consuming thread reads records in place into a Batch
  // (AddRecord) and hands it over; the apply thread settles it (Settle) while the next one is
  // read.
  struct Batch;
  // The consuming thread in batch mode.
  void RunBatches();
  // Takes `message` (a record) into `batch`, which owns it from then on.
  void AddRecord(Batch& batch, rd_kafka_message_s* message);
  // False while the apply thread still holds the batch before (when `wait` is false).
  bool HandOver(std::unique_ptr<Batch>& batch, bool wait);
  // Takes the batch the apply thread settled, empties it and keeps it as the next to fill.
  void Reclaim();
  void ApplyLoop();
  void Settle(Batch& batch);
  // The records of one batch in one partition: offsets [first, next).
  struct Span {
    PartitionId partition;
    int64_t first;
    int64_t next;
  };
  using Extent = std::vector<Span>;
  // Where an event of a batch was read: its partition's Span in the Extent, and its offset.
  struct Located {
    size_t span;
    int64_t offset;
  };
  // Applies one envelope once; returns the outcome label, or an error to retry.
  absl::StatusOr<std::string> Apply(const Envelope& envelope);
  // In one transaction: applies the events of `batch` (read at `at`) that are neither below the
  // position of their partition nor among its recent ids, and moves the positions over
  // `extent`. `id_hashes` are the events' HashedId::Of. Returns how many events were duplicates, or
  // the error (INVALID_ARGUMENT: some event cannot be applied).
  absl::StatusOr<int> ApplyBatch(const std::vector<EventView>& batch,
                                 const std::vector<size_t>& id_hashes,
                                 const std::vector<Located>& at, const Extent& extent);
  // The ids of `events` recorded in consumed_events (a batch consumer's ids from before it kept
  // ranges, looked up until its partition has a position).
  absl::StatusOr<std::set<std::string>> RecordedIds(store::Transaction& tx,
                                                    const std::vector<const EventView*>& events);
  // Where assigned partitions start: at their committed offsets (batch mode: their positions in
  // the database), else at the beginning.
  void SetStartOffsets(std::vector<RdKafka::TopicPartition*>& partitions);
  // Sets each assigned partition's offset to its position in the database, where it has one.
  void ResumeAtPositions(std::vector<RdKafka::TopicPartition*>& partitions);
  // A partition's offset was out of range: where to read it again. In batch mode, a position
  // beyond the partition's end (the log was truncated) moves back to the end, so that the
  // records written there next are applied.
  int64_t RestartOffset(const std::string& topic, int32_t partition);
  // Fetches `partition` again from `offset`.
  void Restart(const std::string& topic, int32_t partition, int64_t offset);
  void Count(absl::string_view outcome, int n = 1);
  std::string Prefixed(absl::string_view topic) const;
  // Sends `message` to the dead-letter topic with `reason`, and counts it under `kind`
  // (undecodable, handler_failed).
  absl::Status DeadLetter(const rd_kafka_message_s& message, absl::string_view reason,
                          absl::string_view kind = "undecodable");
  // The wait before attempt `attempt` + 1 (1-based) of a failed event or batch.
  absl::Duration Backoff(int attempt) const;
  // Refreshes parkline_consumer_lag when lag_interval has passed (the consuming thread's).
  // `holding`: the caller holds records it read and has not handed over or applied yet.
  void ReportLag(bool holding);
  // The offset after the last record of a partition whose effect committed (or where it
  // started); a negative `next` forgets it (the partition starts at its beginning).
  void NoteApplied(const std::string& topic, int32_t partition, int64_t next);
  void StoreOffset(RdKafka::Message& message);
  void StoreOffsets(const Extent& extent);
  // Deletes this consumer's ids older than options_.id_retention, a slice at a time for about a
  // second; true when some may remain.
  bool ForgetOldIds();
  // ForgetOldIds once `*due` has come, and when it is due next: in 5 s while ids may remain,
  // else in an hour. The consuming thread's, between records.
  void ForgetOldIdsWhenDue(absl::Time* due);

  store::Database& db_;
  ConsumerOptions options_;
  std::map<std::string, EventHandler> handlers_;
  absl::flat_hash_set<std::string> batch_types_;
  BatchHandler batch_handler_;
  int max_batch_ = 1;
  // Where the next ForgetOldIds goes on (event time), after one stopped half way.
  int64_t forget_from_ = std::numeric_limits<int64_t>::min();
  bool legacy_ids_ = false;  // rows recorded before event times were (time 0); set by Start()
  // Batch mode: this consumer has ids in consumed_events (from before it kept ranges).
  bool recorded_ids_ = false;
  // Batch mode: per partition, the publishers' watermarks, the recently applied ids of events
  // without a publish number, and the position they reach.
  struct Window {
    int64_t seq = -1;  // the position's row they reach; -1: not loaded
    std::unique_ptr<RecentIds> ids;
    Watermarks marks;
    // Numbered events applied since the last one without a number: once they fill `ids`, no
    // copy of an unnumbered one can come any more and `ids` is emptied (numbered events are
    // looked up there only while it holds some).
    size_t numbered_since = 0;
  };
  std::map<PartitionId, Window> windows_;
  HeaderViews headers_;  // reused for every record read
  std::mutex handoff_mu_;
  std::condition_variable handoff_cv_;
  std::unique_ptr<Batch> handed_;  // guarded by handoff_mu_
  std::unique_ptr<Batch> spent_;   // settled, for the consuming thread to empty; handoff_mu_
  std::atomic<bool> spent_waiting_{false};  // spent_ is set: a cheap test for the reading loop
  std::unique_ptr<Batch> spare_;            // emptied, the next to fill; the consuming thread's
  std::thread apply_thread_;
  std::unique_ptr<Rebalance> rebalance_;
  std::unique_ptr<RdKafka::EventCb> logging_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<KafkaProducer> deadletters_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  absl::Time lag_reported_ = absl::InfinitePast();  // the consuming thread's
  std::atomic<int64_t> caught_up_at_{std::numeric_limits<int64_t>::min()};  // unix nanos
  std::mutex applied_mu_;
  std::map<std::pair<std::string, int32_t>, int64_t> applied_;  // guarded by applied_mu_
  // Batch mode: per partition, the offset after the last record handed to the apply thread.
  std::map<std::pair<std::string, int32_t>, int64_t> handed_next_;  // guarded by applied_mu_
  // The lag gauges of the partitions assigned at the last report ("topic/partition").
  std::map<std::string, prometheus::Gauge*> lag_gauges_;  // the consuming thread's
};

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_CONSUMER_H_
