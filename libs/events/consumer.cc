#include "events/consumer.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_logging.h"
#include "events/kafka_producer.h"
#include "prometheus/counter.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::events {
namespace {

prometheus::Family<prometheus::Counter>& EventsCounter() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_consumer_events_total")
                            .Help(
                                "Events read by a consumer, by outcome (applied, duplicate, "
                                "unknown_type, deadlettered).")
                            .Register(runtime::Metrics());
  return family;
}

prometheus::Family<prometheus::Counter>& OutOfRangeCounter() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_consumer_offset_out_of_range_total")
                            .Help(
                                "Times a consumer's offset was no longer retained: events it "
                                "had not read were deleted by retention.")
                            .Register(runtime::Metrics());
  return family;
}

prometheus::Family<prometheus::Counter>& ForgottenCounter() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_consumer_ids_forgotten_total")
                            .Help(
                                "Ids of applied events a consumer deleted after its id "
                                "retention; a record older than that would apply again.")
                            .Register(runtime::Metrics());
  return family;
}

// Ids deleted per transaction, so that a long backlog of old ids never holds the writer long.
constexpr int64_t kForgetSlice = 5000;

Headers HeadersOf(RdKafka::Message& message) {
  Headers out;
  if (RdKafka::Headers* headers = message.headers()) {
    for (const auto& h : headers->get_all()) {
      out.emplace_back(h.key(), std::string(static_cast<const char*>(h.value()), h.value_size()));
    }
  }
  return out;
}

// The headers in place, without copying them (batch mode reads millions).
void ViewHeaders(RdKafka::Message& message, HeaderViews& out) {
  out.clear();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message.c_ptr(), &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0;
       rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
       ++i) {
    out.emplace_back(name, value ? absl::string_view(static_cast<const char*>(value), size)
                                 : absl::string_view());
  }
}

}  // namespace

// Starts partitions that have no committed offset at the beginning; everything else at its
// committed offset, or in batch mode at its position in the database.
// (auto.offset.reset is "error", so that only a real out-of-range shows up.)
class EventConsumer::Rebalance : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(EventConsumer& owner) : owner_(owner) {}
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      owner_.SetStartOffsets(partitions);
      consumer->assign(partitions);
    } else {
      consumer->unassign();
    }
  }

 private:
  EventConsumer& owner_;
};

namespace {

// Copies of short texts, in blocks kept from batch to batch: the attributes a batch keeps of its
// records' headers, so that the headers can be freed at once, in the thread that parsed them.
class TextCopies {
 public:
  absl::string_view Copy(absl::string_view text) {
    if (text.size() > kBlock) {
      large_.emplace_back(text);
      return large_.back();
    }
    if (current_ == kNone || used_ + text.size() > kBlock) {
      current_ = current_ == kNone ? 0 : current_ + 1;
      if (current_ == blocks_.size()) blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_[current_].get() + used_;
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return absl::string_view(at, text.size());
  }
  void Clear() {
    current_ = kNone;
    used_ = 0;
    large_.clear();
  }

 private:
  static constexpr size_t kBlock = 256 * 1024;
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t current_ = kNone;  // the block being filled
  size_t used_ = 0;
  std::deque<std::string> large_;
};

}  // namespace

struct EventConsumer::Batch {
  std::vector<std::unique_ptr<RdKafka::Message>> messages;
  // The events of ours, read in place from `messages` (their header attributes from `texts`),
  // where each was read, and the hash of each one's id.
  std::vector<EventView> events;
  TextCopies texts;
  std::vector<size_t> id_hashes;
  std::vector<Located> at;
  std::vector<RdKafka::Message*> sources;
  // Records that are not CloudEvents, with the reason; and how many had a type not ours.
  std::vector<std::pair<RdKafka::Message*, std::string>> unreadable;
  int unknown_types = 0;
  // Every record's offsets, so that the positions move past all of them.
  Extent extent;
  std::vector<const rd_kafka_topic_t*> handles;  // per span: finds a record's span cheaply

  // Empties the batch for the next records, keeping the vectors' capacity.
  void Clear() {
    messages.clear();
    events.clear();
    texts.Clear();
    id_hashes.clear();
    at.clear();
    sources.clear();
    unreadable.clear();
    unknown_types = 0;
    extent.clear();
    handles.clear();
  }
};

EventConsumer::EventConsumer(store::Database& db, ConsumerOptions options)
    : db_(db), options_(std::move(options)) {}

EventConsumer::~EventConsumer() { Stop(); }

absl::Status Undecodable(const Envelope& event) {
  return absl::InvalidArgumentError(
      absl::StrCat("payload of ", event.type, " does not decode as that message"));
}

void EventConsumer::On(std::string type, EventHandler handler) {
  handlers_[std::move(type)] = std::move(handler);
}

void EventConsumer::Subscribe(std::string topic) {
  auto& topics = options_.topics;
  if (std::find(topics.begin(), topics.end(), topic) == topics.end()) {
    topics.push_back(std::move(topic));
  }
}

void EventConsumer::OnBatch(std::vector<std::string> types, BatchHandler handler, int max_batch) {
  for (const std::string& type : types) {
    // "parkline.clearance.v1.ClearanceRejected" is published to "parkline.clearance.v1".
    size_t dot = type.rfind('.');
    if (dot != std::string::npos) Subscribe(type.substr(0, dot));
  }
  batch_types_.insert(types.begin(), types.end());
  batch_handler_ = std::move(handler);
  max_batch_ = std::max(1, max_batch);
}

std::string EventConsumer::Prefixed(absl::string_view topic) const {
  return absl::StrCat(options_.topic_prefix, topic);
}

void EventConsumer::Count(absl::string_view outcome, int n) {
  if (n <= 0) return;
  EventsCounter()
      .Add({{"consumer", options_.group_id}, {"outcome", std::string(outcome)}})
      .Increment(n);
}

absl::Status EventConsumer::Start() {
  // Ids recorded before consumed_events had the event's time carry time 0; only a consumer that
  // has such rows needs to look there too.
  absl::Status read = db_.Read([this](store::Transaction& tx) -> absl::Status {
    auto rows =
        tx.Query("SELECT 1 FROM consumed_events WHERE consumer = $1 AND event_time = 0 LIMIT 1",
                 {options_.group_id});
    if (!rows.ok()) return rows.status();
    legacy_ids_ = !rows->empty();
    if (!batch_handler_) return absl::OkStatus();
    rows =
        tx.Query("SELECT 1 FROM consumed_events WHERE consumer = $1 LIMIT 1", {options_.group_id});
    if (!rows.ok()) return rows.status();
    recorded_ids_ = !rows->empty();
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  rebalance_ = std::make_unique<Rebalance>(*this);
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options_.brokers},
      {"group.id", options_.group_id},
      {"enable.auto.commit", "true"},
      // Offsets are stored by hand, only after the effect committed.
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "error"},
      {"client.id", "parkline"},
      // A member that died (kill -9, a lost node) holds its partitions until its session
      // expires: 10 s instead of Kafka's 45 s, so that a restarted replica resumes quickly.
      {"session.timeout.ms", "10000"},
      {"heartbeat.interval.ms", "3000"},
  };
  if (batch_handler_) {
    // Keep the local queue full (the default, 100,000 messages per partition, ran dry between
    // batches in statistics_bench); queued.max.messages.kbytes (64 MiB) still bounds it.
    settings["queued.min.messages"] = "1000000";
  }
  for (const auto& [k, v] : options_.overrides) settings[k] = v;
  std::string error;
  for (const auto& [k, v] : settings) {
    if (conf->set(k, v, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("kafka consumer ", k, "=", v, ": ", error));
    }
  }
  logging_ = std::make_unique<KafkaLogging>("consumer:" + options_.group_id);
  if (conf->set("rebalance_cb", rebalance_.get(), error) != RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", logging_.get(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_) return absl::UnavailableError(absl::StrCat("kafka consumer: ", error));
  auto producer = KafkaProducer::Create(options_.brokers);
  if (!producer.ok()) return producer.status();
  deadletters_ = std::move(*producer);
  std::vector<std::string> topics;
  for (const std::string& topic : options_.topics) topics.push_back(Prefixed(topic));
  RdKafka::ErrorCode err = consumer_->subscribe(topics);
  if (err != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("subscribe: ", RdKafka::err2str(err)));
  }
  // Series exist from the start at 0, so that Prometheus sees their first increase.
  for (const char* outcome : {"applied", "duplicate", "unknown_type", "deadlettered"}) {
    EventsCounter().Add({{"consumer", options_.group_id}, {"outcome", outcome}});
  }
  ForgottenCounter().Add({{"consumer", options_.group_id}});
  for (const std::string& topic : topics) {
    OutOfRangeCounter().Add({{"consumer", options_.group_id}, {"topic", topic}});
  }
  thread_ = std::thread([this] { Run(); });
  if (batch_handler_) apply_thread_ = std::thread([this] { ApplyLoop(); });
  return absl::OkStatus();
}

void EventConsumer::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  handoff_cv_.notify_all();
  thread_.join();
  if (apply_thread_.joinable()) apply_thread_.join();
  // Records still held keep references into the client, which would not close.
  handed_.reset();
  spent_.reset();
  spare_.reset();
  consumer_->close();  // commits the stored offsets
}

bool EventConsumer::ForgetOldIds() {
  if (options_.id_retention <= absl::ZeroDuration()) return false;
  const int64_t cutoff = absl::ToUnixMicros(absl::Now() - options_.id_retention);
  // A long backlog (the first start after an upgrade) is deleted a little at a time, so that the
  // consumer keeps consuming (and keeps its place in the group).
  const absl::Time until = absl::Now() + absl::Seconds(1);
  int64_t forgotten = 0;
  if (batch_handler_) {
    int64_t held = 0;
    absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto n = ForgetRanges(tx, options_.group_id, cutoff);
      if (!n.ok()) return n.status();
      held = *n;
      return absl::OkStatus();
    });
    if (status.ok()) {
      forgotten += held;
    } else {
      log::Warn("old consumed ranges not deleted, will try again",
                {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
    }
  }
  // Slices of the key (consumer, event_time, ...) in event-time order, each ending at the event
  // time of its kForgetSlice-th id: a range read and a range delete, no scan of the ids that
  // stay, and every slice moves on even when all its ids stay (late events applied recently).
  int64_t from = forget_from_;
  bool more = true;
  while (more && !stopping_ && absl::Now() < until) {
    // Set only by the attempt that commits (Transact may run the function again).
    int64_t deleted = 0, next = from;
    absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto bound = tx.Query(
          "SELECT event_time FROM consumed_events WHERE consumer = $1 AND event_time >= $2 AND "
          "event_time < $3 ORDER BY event_time LIMIT 1 OFFSET $4",
          {options_.group_id, from, cutoff, kForgetSlice});
      if (!bound.ok()) return bound.status();
      more = !bound->empty();
      const int64_t below = more ? bound->front().Int(0) + 1 : cutoff;
      auto n = tx.Execute(
          "DELETE FROM consumed_events WHERE consumer = $1 AND event_time >= $2 AND event_time < "
          "$3 AND processed_at < $4",
          {options_.group_id, from, below, cutoff});
      if (!n.ok()) return n.status();
      deleted = *n;
      next = below;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      log::Warn("old event ids not deleted, will try again",
                {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
      break;
    }
    forgotten += deleted;
    from = next;
  }
  if (forgotten > 0) {
    ForgottenCounter().Add({{"consumer", options_.group_id}}).Increment(forgotten);
    log::Info("old event ids deleted", {{"consumer", options_.group_id}, {"ids", forgotten}});
  }
  // The next call goes on where this one stopped: ids that stay (a rebuild's replay of old
  // events, all applied recently) are read past once, not again at every call.
  forget_from_ = more ? from : std::numeric_limits<int64_t>::min();
  return more;
}

void EventConsumer::Run() {
  pthread_setname_np(pthread_self(), "pl-consume");  // for top -H and profiles
  auto batch = std::make_unique<Batch>();
  absl::Time forget_at = absl::Now();
  while (!stopping_) {
    const bool collecting = !batch->messages.empty();
    if (!collecting && absl::Now() >= forget_at) {
      forget_at = absl::Now() + (ForgetOldIds() ? absl::Seconds(5) : absl::Hours(1));
    }
    // In batch mode, take what is already waiting without blocking, up to max_batch_; while
    // the apply thread is still busy, wait a little for more.
    if (spent_waiting_.load(std::memory_order_relaxed)) Reclaim();
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(!collecting ? 200 : 0));
    if (batch_handler_ && message->err() != RdKafka::ERR_NO_ERROR && collecting &&
        !HandOver(batch, false)) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        if (batch_handler_) {
          AddRecord(*batch, std::move(message));
          if (static_cast<int>(batch->messages.size()) >= max_batch_) HandOver(batch, true);
        } else {
          Handle(*message);
        }
        break;
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      case RdKafka::ERR__AUTO_OFFSET_RESET: {
        OutOfRangeCounter()
            .Add({{"consumer", options_.group_id}, {"topic", message->topic_name()}})
            .Increment();
        log::Error(
            "consumer offset out of range: events were removed before they were read, or the "
            "partition was truncated or recreated",
            {{"consumer", options_.group_id},
             {"topic", message->topic_name()},
             {"partition", static_cast<int64_t>(message->partition())},
             {"error", message->errstr()}});
        Restart(message->topic_name(), message->partition(),
                RestartOffset(message->topic_name(), message->partition()));
        break;
      }
      default:
        log::Warn("consumer error",
                  {{"consumer", options_.group_id}, {"error", message->errstr()}});
    }
  }
}

void EventConsumer::Handle(RdKafka::Message& message) {
  std::string key = message.key() ? *message.key() : "";
  std::string payload(static_cast<const char*>(message.payload()), message.len());
  auto envelope =
      FromRecord(HeadersOf(message), message.topic_name().substr(options_.topic_prefix.size()), key,
                 std::move(payload));
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    absl::StatusOr<std::string> outcome =
        envelope.ok() ? Apply(*envelope) : absl::StatusOr<std::string>(envelope.status());
    if (!outcome.ok() && absl::IsInvalidArgument(outcome.status())) {
      absl::Status sent = DeadLetter(message, outcome.status().message());
      outcome = sent.ok() ? absl::StatusOr<std::string>("deadlettered") : sent;
    }
    if (outcome.ok()) {
      EventsCounter().Add({{"consumer", options_.group_id}, {"outcome", *outcome}}).Increment();
      StoreOffset(message);
      return;
    }
    log::Warn("event not applied, will retry",
              {{"consumer", options_.group_id},
               {"event_id", envelope.ok() ? envelope->id : std::string()},
               {"error", std::string(outcome.status().message())}});
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
}

absl::StatusOr<std::string> EventConsumer::Apply(const Envelope& envelope) {
  auto handler = handlers_.find(envelope.type);
  if (handler == handlers_.end()) return std::string("unknown_type");
  std::string outcome = "applied";
  const int64_t time = absl::ToUnixMicros(envelope.time);
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    auto seen = tx.Query(
        "SELECT 1 FROM consumed_events WHERE consumer = $1 AND event_time IN ($2, $4) AND "
        "event_id = $3",
        {options_.group_id, time, envelope.id, legacy_ids_ ? int64_t{0} : time});
    if (!seen.ok()) return seen.status();
    if (!seen->empty()) {
      outcome = "duplicate";
      return absl::OkStatus();
    }
    outcome = "applied";
    if (auto s = handler->second(tx, envelope); !s.ok()) return s;
    return tx
        .Execute(
            "INSERT INTO consumed_events (consumer, event_time, event_id, topic, processed_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {options_.group_id, time, envelope.id, envelope.topic, absl::ToUnixMicros(absl::Now())})
        .status();
  });
  if (!status.ok()) return status;
  return outcome;
}

void EventConsumer::AddRecord(Batch& batch, std::unique_ptr<RdKafka::Message> message) {
  const rd_kafka_message_t* raw = message->c_ptr();
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
  ViewHeaders(*message, headers_);
  auto event = ViewRecord(
      headers_, topic.substr(std::min(options_.topic_prefix.size(), topic.size())), key,
      absl::string_view(static_cast<const char*>(raw->payload), raw->payload ? raw->len : 0));
  if (event.ok() && batch_types_.contains(event->type)) {
    event->id = batch.texts.Copy(event->id);
    event->source = batch.texts.Copy(event->source);
    event->type = batch.texts.Copy(event->type);
    event->subject = batch.texts.Copy(event->subject);
    batch.id_hashes.push_back(HashedId::Of(event->id));
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
  if (rd_kafka_message_detach_headers(message->c_ptr(), &parsed) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(parsed);
  }
  batch.messages.push_back(std::move(message));
}

bool EventConsumer::HandOver(std::unique_ptr<Batch>& batch, bool wait) {
  std::unique_lock<std::mutex> lock(handoff_mu_);
  if (!wait && handed_ != nullptr) return false;
  handoff_cv_.wait(lock, [this] { return handed_ == nullptr || stopping_; });
  if (stopping_) return true;  // not settled: comes again after the restart
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
  const std::vector<RdKafka::Message*>& sources = batch.sources;
  const Extent& extent = batch.extent;
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    absl::StatusOr<int> duplicates = ApplyBatch(events, batch.id_hashes, at, extent);
    if (duplicates.ok()) {
      Count("duplicate", *duplicates);
      Count("applied", static_cast<int>(events.size()) - *duplicates);
      break;
    }
    if (absl::IsInvalidArgument(duplicates.status())) {
      // Some event cannot be applied: one at a time, so that only that one is dead-lettered.
      for (size_t i = 0; i < events.size() && !stopping_; ++i) {
        const Extent one_extent = {{extent[at[i].span].partition, at[i].offset, at[i].offset + 1}};
        const std::vector<Located> one_at = {{0, at[i].offset}};
        const std::vector<size_t> one_hash = {batch.id_hashes[i]};
        absl::StatusOr<int> one = ApplyBatch({events[i]}, one_hash, one_at, one_extent);
        while (!stopping_ && !one.ok() && !absl::IsInvalidArgument(one.status())) {
          absl::SleepFor(backoff);
          one = ApplyBatch({events[i]}, one_hash, one_at, one_extent);
        }
        if (one.ok()) {
          Count(*one > 0 ? "duplicate" : "applied");
        } else if (absl::Status sent = DeadLetter(*sources[i], one.status().message()); sent.ok()) {
          Count("deadlettered");
        } else {
          return;  // not settled: the positions stay, the records come again
        }
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
               {"error", std::string(duplicates.status().message())}});
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
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
  // Per span: the ids the committed attempt applied there (Transact may run it again).
  std::vector<std::vector<absl::string_view>> applied(extent.size());
  std::vector<std::vector<size_t>> applied_hashes(extent.size());
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
        // Not where this process left it: a restart, or another replica had the partition.
        auto ids = ReadRecentIds(tx, options_.group_id, extent[s].partition,
                                 options_.recent_ids_per_partition);
        if (!ids.ok()) return ids.status();
        window.ids = std::make_unique<RecentIds>(options_.recent_ids_per_partition);
        for (const std::string& id : *ids) window.ids->Add(id);
        window.seq = position->seq;
      }
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
    in_batch.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      const size_t s = at[i].span;
      const HashedId id(batch[i].id, id_hashes[i]);
      if (at[i].offset < positions[s].next_offset || windows[s]->ids->Contains(id) ||
          (!recorded.empty() && recorded.count(std::string(batch[i].id)) > 0) ||
          !in_batch.insert(id).second) {
        duplicates++;  // settled before, a publisher's copy, or twice in this batch
        keep[i] = false;
      } else {
        applied[s].push_back(batch[i].id);
        applied_hashes[s].push_back(id_hashes[i]);
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
                               extent[s].next, applied[s], now);
          !r.ok()) {
        return r;
      }
      appended[s] = positions[s].seq + 1;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (size_t s = 0; s < extent.size(); ++s) {
    if (appended[s] < 0) continue;
    for (size_t i = 0; i < applied[s].size(); ++i) {
      windows[s]->ids->Add(HashedId(applied[s][i], applied_hashes[s][i]));
    }
    windows[s]->seq = appended[s];
  }
  return duplicates;
}

absl::Status EventConsumer::DeadLetter(RdKafka::Message& message, absl::string_view reason) {
  Record record;
  record.topic = Prefixed(options_.deadletter_topic);
  record.key = message.key() ? *message.key() : "";
  record.value.assign(static_cast<const char*>(message.payload()), message.len());
  record.headers = HeadersOf(message);
  record.headers.emplace_back("parkline_deadletter_reason", std::string(reason));
  record.headers.emplace_back("parkline_deadletter_consumer", options_.group_id);
  record.headers.emplace_back("parkline_original_topic", message.topic_name());
  record.headers.emplace_back("parkline_original_partition", std::to_string(message.partition()));
  record.headers.emplace_back("parkline_original_offset", std::to_string(message.offset()));
  if (auto s = deadletters_->Produce(record, message.offset()); !s.ok()) return s;
  for (const Delivery& d : deadletters_->Flush(absl::Seconds(30))) {
    if (!d.status.ok()) return d.status;
  }
  log::Warn("event dead-lettered", {{"consumer", options_.group_id},
                                    {"topic", message.topic_name()},
                                    {"offset", static_cast<int64_t>(message.offset())},
                                    {"reason", std::string(reason)}});
  return absl::OkStatus();
}

void EventConsumer::StoreOffsets(const Extent& extent) {
  std::vector<std::unique_ptr<RdKafka::TopicPartition>> owned;
  std::vector<RdKafka::TopicPartition*> offsets;
  for (const Span& span : extent) {
    owned.emplace_back(
        RdKafka::TopicPartition::create(span.partition.topic, span.partition.partition, span.next));
    offsets.push_back(owned.back().get());
  }
  consumer_->offsets_store(offsets);
}

void EventConsumer::SetStartOffsets(std::vector<RdKafka::TopicPartition*>& partitions) {
  if (partitions.empty()) return;
  for (RdKafka::TopicPartition* tp : partitions) tp->set_offset(RdKafka::Topic::OFFSET_INVALID);
  // Kafka's committed offsets are a per-event consumer's place. A batch consumer's only count
  // from before it kept positions: since, they may pass positions that a machine crash took
  // back (TransactWithoutFlush), and starting there would skip what was lost.
  if (!batch_handler_ || recorded_ids_) consumer_->committed(partitions, 10000);
  if (batch_handler_) ResumeAtPositions(partitions);
  for (RdKafka::TopicPartition* tp : partitions) {
    if (tp->offset() < 0) tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
  }
}

void EventConsumer::ResumeAtPositions(std::vector<RdKafka::TopicPartition*>& partitions) {
  absl::Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(100) * attempt);
    status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      for (RdKafka::TopicPartition* tp : partitions) {
        auto position = ReadPosition(tx, options_.group_id, {tp->topic(), tp->partition()});
        if (!position.ok()) return position.status();
        if (position->next_offset >= 0) tp->set_offset(position->next_offset);
      }
      return absl::OkStatus();
    });
    if (status.ok()) return;
  }
  // Reading from the beginning costs time, never an effect: the transactions skip what lies
  // below the positions.
  log::Warn("positions not read; reading the partitions from the beginning",
            {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
  for (RdKafka::TopicPartition* tp : partitions) {
    tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
  }
}

int64_t EventConsumer::RestartOffset(const std::string& topic, int32_t partition) {
  if (!batch_handler_) return RdKafka::Topic::OFFSET_BEGINNING;  // ids tell what was applied
  int64_t low = 0, high = 0;
  RdKafka::ErrorCode err = consumer_->query_watermark_offsets(topic, partition, &low, &high, 5000);
  if (err != RdKafka::ERR_NO_ERROR) return RdKafka::Topic::OFFSET_BEGINNING;
  // Beyond the end, the position is moved back to the end: the records below it are the ones
  // applied before the log lost its tail. Moving it back further would apply them again, since
  // only the last ids are remembered. (A recreated topic's first records are skipped too: the
  // error says so, and the remedy is a rebuild.) Below the start, the lost records are gone and
  // the next ones are above the position anyway.
  bool beyond = false;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    PartitionId id{topic, partition};
    auto position = ReadPosition(tx, options_.group_id, id);
    if (!position.ok()) return position.status();
    beyond = position->next_offset > high;
    if (!beyond) return absl::OkStatus();
    return RecordRange(tx, options_.group_id, id, *position, high, high, {},
                       absl::ToUnixMicros(absl::Now()));
  });
  if (!status.ok()) {
    log::Warn("position not moved back; reading from the beginning",
              {{"consumer", options_.group_id}, {"error", std::string(status.message())}});
    return RdKafka::Topic::OFFSET_BEGINNING;
  }
  if (beyond) {
    log::Error("consumer position beyond the end of its partition: moved back to the end",
               {{"consumer", options_.group_id},
                {"topic", topic},
                {"partition", static_cast<int64_t>(partition)},
                {"end", high}});
    return high;
  }
  return RdKafka::Topic::OFFSET_BEGINNING;
}

void EventConsumer::Restart(const std::string& topic, int32_t partition, int64_t offset) {
  // librdkafka stops fetching a partition whose offset was out of range and refuses to seek it
  // (ERR__STATE): the assignment is given again, the others at their current positions.
  std::vector<RdKafka::TopicPartition*> parts;
  RdKafka::ErrorCode err = consumer_->assignment(parts);
  if (err == RdKafka::ERR_NO_ERROR) err = consumer_->position(parts);
  if (err == RdKafka::ERR_NO_ERROR) {
    std::vector<RdKafka::TopicPartition*> unstarted;
    for (RdKafka::TopicPartition* tp : parts) {
      if (tp->topic() == topic && tp->partition() == partition) {
        tp->set_offset(offset);
      } else if (tp->offset() < 0) {
        unstarted.push_back(tp);  // not fetched yet: where a new assignment would start
      }
    }
    SetStartOffsets(unstarted);
    err = consumer_->assign(parts);
  }
  RdKafka::TopicPartition::destroy(parts);
  if (err != RdKafka::ERR_NO_ERROR) {
    log::Error("consumer could not restart a partition after an offset out of range",
               {{"consumer", options_.group_id},
                {"topic", topic},
                {"partition", static_cast<int64_t>(partition)},
                {"error", RdKafka::err2str(err)}});
  }
}

void EventConsumer::StoreOffset(RdKafka::Message& message) {
  std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(
      message.topic_name(), message.partition(), message.offset() + 1));
  std::vector<RdKafka::TopicPartition*> offsets = {tp.get()};
  consumer_->offsets_store(offsets);
}

}  // namespace parkline::events
