#include "events/consumer.h"

#include <librdkafka/rdkafkacpp.h>

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

}  // namespace

// Starts partitions that have no committed offset at the beginning; everything else at its
// committed offset. (auto.offset.reset is "error", so that only a real out-of-range shows up.)
class EventConsumer::Rebalance : public RdKafka::RebalanceCb {
 public:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      consumer->committed(partitions, 10000);
      for (RdKafka::TopicPartition* tp : partitions) {
        if (tp->offset() < 0) tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      }
      consumer->assign(partitions);
    } else {
      consumer->unassign();
    }
  }
};

EventConsumer::EventConsumer(store::Database& db, ConsumerOptions options)
    : db_(db), options_(std::move(options)) {}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::On(std::string type, EventHandler handler) {
  handlers_[std::move(type)] = std::move(handler);
}

void EventConsumer::OnBatch(std::vector<std::string> types, BatchHandler handler, int max_batch) {
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
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  rebalance_ = std::make_unique<Rebalance>();
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
  return absl::OkStatus();
}

void EventConsumer::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  thread_.join();
  consumer_->close();  // commits the stored offsets
}

bool EventConsumer::ForgetOldIds() {
  if (options_.id_retention <= absl::ZeroDuration()) return false;
  const int64_t cutoff = absl::ToUnixMicros(absl::Now() - options_.id_retention);
  // A long backlog (the first start after an upgrade) is deleted a little at a time, so that the
  // consumer keeps consuming (and keeps its place in the group).
  const absl::Time until = absl::Now() + absl::Seconds(1);
  int64_t forgotten = 0;
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
  std::vector<std::unique_ptr<RdKafka::Message>> batch;
  absl::Time forget_at = absl::Now();
  while (!stopping_) {
    if (batch.empty() && absl::Now() >= forget_at) {
      forget_at = absl::Now() + (ForgetOldIds() ? absl::Seconds(5) : absl::Hours(1));
    }
    // In batch mode, take what is already waiting without blocking, up to max_batch_.
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(batch.empty() ? 200 : 0));
    if (batch_handler_ && message->err() != RdKafka::ERR_NO_ERROR && !batch.empty()) {
      HandleBatch(batch);
      batch.clear();
    }
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        if (batch_handler_) {
          batch.push_back(std::move(message));
          if (static_cast<int>(batch.size()) >= max_batch_) {
            HandleBatch(batch);
            batch.clear();
          }
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
        log::Error("consumer offset out of range: events were removed before they were read",
                   {{"consumer", options_.group_id},
                    {"topic", message->topic_name()},
                    {"partition", static_cast<int64_t>(message->partition())},
                    {"error", message->errstr()}});
        std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(
            message->topic_name(), message->partition(), RdKafka::Topic::OFFSET_BEGINNING));
        consumer_->seek(*tp, 5000);
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

void EventConsumer::HandleBatch(std::vector<std::unique_ptr<RdKafka::Message>>& messages) {
  // Records that are not events of ours are settled first, one by one, as in Handle().
  std::vector<Envelope> events;
  std::vector<RdKafka::Message*> sources;
  for (auto& message : messages) {
    std::string key = message->key() ? *message->key() : "";
    std::string payload(static_cast<const char*>(message->payload()), message->len());
    auto envelope =
        FromRecord(HeadersOf(*message), message->topic_name().substr(options_.topic_prefix.size()),
                   key, std::move(payload));
    if (envelope.ok() && batch_types_.count(envelope->type) > 0) {
      events.push_back(std::move(*envelope));
      sources.push_back(message.get());
    } else if (envelope.ok()) {
      Count("unknown_type");
    } else {
      // Not a CloudEvent: dead-lettered now; its offset is stored with the batch's, after the
      // events before it are committed.
      absl::Duration wait = absl::Milliseconds(100);
      while (!stopping_) {
        absl::Status sent = DeadLetter(*message, envelope.status().message());
        if (sent.ok()) break;
        absl::SleepFor(wait);
        wait = std::min(wait * 2, absl::Seconds(10));
      }
      Count("deadlettered");
    }
  }
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_ && !events.empty()) {
    absl::StatusOr<int> duplicates = ApplyBatch(events);
    if (duplicates.ok()) {
      Count("duplicate", *duplicates);
      Count("applied", static_cast<int>(events.size()) - *duplicates);
      break;
    }
    if (absl::IsInvalidArgument(duplicates.status())) {
      // Some event cannot be applied: one at a time, so that only that one is dead-lettered.
      for (size_t i = 0; i < events.size() && !stopping_; ++i) {
        absl::StatusOr<int> one = ApplyBatch({events[i]});
        while (!stopping_ && !one.ok() && !absl::IsInvalidArgument(one.status())) {
          absl::SleepFor(backoff);
          one = ApplyBatch({events[i]});
        }
        if (one.ok()) {
          Count(*one > 0 ? "duplicate" : "applied");
        } else if (absl::Status sent = DeadLetter(*sources[i], one.status().message()); sent.ok()) {
          Count("deadlettered");
        } else {
          return;  // not settled: the offsets stay, the records come again
        }
      }
      break;
    }
    log::Warn("event batch not applied, will retry",
              {{"consumer", options_.group_id},
               {"events", static_cast<int64_t>(events.size())},
               {"error", std::string(duplicates.status().message())}});
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
  if (stopping_) return;  // what was not committed comes again after the restart
  for (auto& message : messages) StoreOffset(*message);
}

absl::StatusOr<int> EventConsumer::ApplyBatch(const std::vector<Envelope>& batch) {
  int duplicates = 0;
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    duplicates = 0;
    // Which ids were applied before (in chunks, to keep statements small and cacheable).
    constexpr size_t kChunk = 100;
    std::set<std::string> seen;
    for (size_t begin = 0; begin < batch.size(); begin += kChunk) {
      size_t end = std::min(batch.size(), begin + kChunk);
      // The pairs, each looked up by the whole key. CROSS JOIN keeps the VALUES list the outer
      // loop in SQLite, whose planner otherwise may scan the consumer's every row instead (it
      // did, at 100 pairs); PostgreSQL plans it as any inner join.
      std::string sql = "SELECT c.event_id FROM (VALUES ";
      store::Params params = {options_.group_id};
      for (size_t i = begin; i < end; ++i) {
        absl::StrAppend(&sql, i == begin ? "" : ", ", "(CAST($", params.size() + 1,
                        " AS BIGINT), $", params.size() + 2, ")");
        if (legacy_ids_) absl::StrAppend(&sql, ", (0, $", params.size() + 2, ")");
        params.push_back(absl::ToUnixMicros(batch[i].time));
        params.push_back(batch[i].id);
      }
      sql +=
          ") AS v CROSS JOIN consumed_events AS c WHERE c.consumer = $1 AND c.event_time = "
          "v.column1 AND c.event_id = v.column2";
      auto rows = tx.Query(sql, params);
      if (!rows.ok()) return rows.status();
      for (const store::Row& row : *rows) seen.insert(row.Text(0));
    }
    std::vector<bool> keep(batch.size(), true);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!seen.insert(batch[i].id).second) {
        duplicates++;  // applied before, or twice in this batch
        keep[i] = false;
      }
    }
    // The common case, no duplicate, hands the batch over as it is, without copying it.
    std::vector<Envelope> fresh;
    if (duplicates > 0) {
      for (size_t i = 0; i < batch.size(); ++i) {
        if (keep[i]) fresh.push_back(batch[i]);
      }
    }
    const std::vector<Envelope>& apply = duplicates > 0 ? fresh : batch;
    if (apply.empty()) return absl::OkStatus();
    if (auto s = batch_handler_(tx, apply); !s.ok()) return s;
    const int64_t now = absl::ToUnixMicros(absl::Now());
    for (size_t begin = 0; begin < apply.size(); begin += kChunk) {
      size_t end = std::min(apply.size(), begin + kChunk);
      std::string sql =
          "INSERT INTO consumed_events (consumer, event_time, event_id, topic, processed_at) "
          "VALUES ";
      store::Params params = {options_.group_id, now};
      for (size_t i = begin; i < end; ++i) {
        absl::StrAppend(&sql, i == begin ? "" : ", ", "($1, $", params.size() + 1, ", $",
                        params.size() + 2, ", $", params.size() + 3, ", $2)");
        params.push_back(absl::ToUnixMicros(apply[i].time));
        params.push_back(apply[i].id);
        params.push_back(apply[i].topic);
      }
      if (auto s = tx.Execute(sql, params); !s.ok()) return s.status();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
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

void EventConsumer::StoreOffset(RdKafka::Message& message) {
  std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(
      message.topic_name(), message.partition(), message.offset() + 1));
  std::vector<RdKafka::TopicPartition*> offsets = {tp.get()};
  consumer_->offsets_store(offsets);
}

}  // namespace parkline::events
