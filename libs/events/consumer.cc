#include "events/consumer.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <pthread.h>

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/consumer_internal.h"
#include "events/kafka_client.h"
#include "events/kafka_logging.h"
#include "events/kafka_producer.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::events {
namespace consumer_internal {

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

prometheus::Family<prometheus::Counter>& DeadLetteredCounter() {
  static auto& family = prometheus::BuildCounter()
                            .Name("parkline_consumer_deadlettered_total")
                            .Help(
                                "Events a consumer sent to the dead-letter topic, by reason "
                                "(undecodable, handler_failed).")
                            .Register(runtime::Metrics());
  return family;
}

prometheus::Family<prometheus::Gauge>& LagGauge() {
  static auto& family = prometheus::BuildGauge()
                            .Name("parkline_consumer_lag")
                            .Help(
                                "Records in an assigned partition beyond the consumer's position "
                                "(high watermark minus position).")
                            .Register(runtime::Metrics());
  return family;
}

bool Poisonous(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
      return false;
    default:
      return true;
  }
}

Headers HeadersOf(const rd_kafka_message_t& message) {
  Headers out;
  HeaderViews views;
  ViewHeaders(message, views);
  out.reserve(views.size());
  for (const auto& [name, value] : views) out.emplace_back(std::string(name), std::string(value));
  return out;
}

void ViewHeaders(const rd_kafka_message_t& message, HeaderViews& out) {
  out.clear();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
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

}  // namespace consumer_internal

namespace {

using consumer_internal::DeadLetteredCounter;
using consumer_internal::EventsCounter;
using consumer_internal::ForgottenCounter;
using consumer_internal::HeadersOf;
using consumer_internal::LagGauge;
using consumer_internal::OutOfRangeCounter;
using consumer_internal::Poisonous;

// Ids deleted per transaction, so that a long backlog of old ids never holds the writer long.
constexpr int64_t kForgetSlice = 5000;

}  // namespace

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
  std::map<std::string, std::string> settings = {
      {"group.id", options_.group_id},
      {"enable.auto.commit", "true"},
      // Offsets are stored by hand, only after the effect committed.
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "error"},
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
  auto made = NewClientConf(absl::StrCat("consumer ", options_.group_id), options_.brokers,
                            options_.security, settings, options_.overrides);
  if (!made.ok()) return made.status();
  std::unique_ptr<RdKafka::Conf> conf = std::move(*made);
  std::string error;
  logging_ = std::make_unique<KafkaLogging>("consumer:" + options_.group_id);
  if (conf->set("rebalance_cb", rebalance_.get(), error) != RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", logging_.get(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_) return absl::UnavailableError(absl::StrCat("kafka consumer: ", error));
  auto producer = KafkaProducer::Create(options_.brokers, options_.security);
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
  for (const char* reason : {"undecodable", "handler_failed"}) {
    DeadLetteredCounter().Add({{"consumer", options_.group_id}, {"reason", reason}});
  }
  for (const std::string& topic : topics) {
    OutOfRangeCounter().Add({{"consumer", options_.group_id}, {"topic", topic}});
  }
  thread_ = std::thread([this] { Run(); });
  if (batch_handler_) apply_thread_ = std::thread([this] { ApplyLoop(); });
  return absl::OkStatus();
}

void EventConsumer::Stop() {
  if (!thread_.joinable()) return;
  {
    // Under the mutex the waits test it with: set between a waiter's test and its wait, the
    // notification would be lost and the apply thread would wait for good (seen once in
    // statistics_bench: Stop() hung joining it).
    std::lock_guard<std::mutex> lock(handoff_mu_);
    stopping_ = true;
  }
  handoff_cv_.notify_all();
  thread_.join();
  if (apply_thread_.joinable()) apply_thread_.join();
  for (auto& [name, gauge] : lag_gauges_) LagGauge().Remove(gauge);
  lag_gauges_.clear();
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

void EventConsumer::ForgetOldIdsWhenDue(absl::Time* due) {
  if (absl::Now() < *due) return;
  *due = absl::Now() + (ForgetOldIds() ? absl::Seconds(5) : absl::Hours(1));
}

void EventConsumer::Run() {
  pthread_setname_np(pthread_self(), "pl-consume");  // for top -H and profiles
  if (batch_handler_) return RunBatches();
  absl::Time forget_at = absl::Now();
  while (!stopping_) {
    ForgetOldIdsWhenDue(&forget_at);
    ReportLag(false);
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(200));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        Handle(*message);
        break;
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      default:
        OnConsumeError(*message->c_ptr());
    }
  }
}

void EventConsumer::OnConsumeError(const rd_kafka_message_t& message) {
  const std::string topic = message.rkt != nullptr ? rd_kafka_topic_name(message.rkt) : "";
  if (message.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
    OutOfRangeCounter().Add({{"consumer", options_.group_id}, {"topic", topic}}).Increment();
    log::Error(
        "consumer offset out of range: events were removed before they were read, or the "
        "partition was truncated or recreated",
        {{"consumer", options_.group_id},
         {"topic", topic},
         {"partition", static_cast<int64_t>(message.partition)},
         {"error", rd_kafka_message_errstr(&message)}});
    Restart(topic, message.partition, RestartOffset(topic, message.partition));
    return;
  }
  log::Warn("consumer error",
            {{"consumer", options_.group_id}, {"error", rd_kafka_message_errstr(&message)}});
}

void EventConsumer::Handle(RdKafka::Message& message) {
  std::string key = message.key() ? *message.key() : "";
  std::string payload(static_cast<const char*>(message.payload()), message.len());
  auto envelope = FromRecord(HeadersOf(*message.c_ptr()),
                             message.topic_name().substr(options_.topic_prefix.size()), key,
                             std::move(payload));
  int failures = 0;  // in a row, of the event's own (Poisonous)
  int attempt = 0;
  while (!stopping_) {
    ++attempt;
    absl::StatusOr<std::string> outcome =
        envelope.ok() ? Apply(*envelope) : absl::StatusOr<std::string>(envelope.status());
    if (!outcome.ok() && absl::IsInvalidArgument(outcome.status())) {
      absl::Status sent = DeadLetter(*message.c_ptr(), outcome.status().message());
      outcome = sent.ok() ? absl::StatusOr<std::string>("deadlettered") : sent;
    } else if (!outcome.ok() && Poisonous(outcome.status()) && options_.max_attempts > 0 &&
               ++failures >= options_.max_attempts) {
      // The event itself makes the handler fail: waiting longer would hold every later event
      // of the partition back for good.
      absl::Status sent = DeadLetter(
          *message.c_ptr(),
          absl::StrCat("handler failed ", failures, " times: ", outcome.status().message()),
          "handler_failed");
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
               {"attempt", int64_t{attempt}},
               {"error", std::string(outcome.status().message())}});
    absl::SleepFor(Backoff(attempt));
    ReportLag(true);  // a partition held back is when its lag matters most
  }
}

absl::Duration EventConsumer::Backoff(int attempt) const {
  absl::Duration wait = options_.retry_backoff;
  for (int i = 1; i < attempt && wait < options_.max_retry_backoff; ++i) wait *= 2;
  return std::min(wait, options_.max_retry_backoff);
}

void EventConsumer::ReportLag(bool holding) {
  if (absl::Now() < lag_reported_ + options_.lag_interval) return;
  lag_reported_ = absl::Now();
  std::vector<RdKafka::TopicPartition*> assigned;
  if (consumer_->assignment(assigned) != RdKafka::ERR_NO_ERROR) return;
  // Where the fetcher stands: past the transactions' commit markers, which take offsets but are
  // no records (the relay publishes in transactions), so that a partition read to its end shows
  // no lag. It counts only when every record read before it was applied.
  const bool fetched = !holding && consumer_->position(assigned) == RdKafka::ERR_NO_ERROR;
  std::map<std::string, prometheus::Gauge*> gauges;
  bool caught_up = !assigned.empty();
  for (RdKafka::TopicPartition* p : assigned) {
    int64_t low = 0, high = 0;
    // The watermarks librdkafka keeps from its fetches: no broker round trip. Unknown until the
    // partition's first fetch.
    if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high) !=
            RdKafka::ERR_NO_ERROR ||
        high < 0) {
      caught_up = false;
      continue;
    }
    int64_t next = std::max<int64_t>(low, 0);  // from its beginning, until told otherwise
    {
      std::lock_guard<std::mutex> lock(applied_mu_);
      auto applied = applied_.find({p->topic(), p->partition()});
      if (applied != applied_.end()) next = std::max(next, applied->second);
      auto handed = handed_next_.find({p->topic(), p->partition()});
      const bool settled = handed == handed_next_.end() || handed->second <= next;
      if (fetched && settled && p->offset() >= 0) next = std::max(next, p->offset());
    }
    std::string name = absl::StrCat(p->topic(), "/", p->partition());
    auto known = lag_gauges_.find(name);
    prometheus::Gauge* gauge =
        known != lag_gauges_.end()
            ? known->second
            : &LagGauge().Add({{"group", options_.group_id},
                               {"topic", p->topic()},
                               {"partition", std::to_string(p->partition())}});
    gauge->Set(static_cast<double>(std::max<int64_t>(0, high - next)));
    gauges[name] = gauge;
    if (next < high) caught_up = false;
  }
  if (caught_up) caught_up_at_.store(absl::ToUnixNanos(lag_reported_));
  RdKafka::TopicPartition::destroy(assigned);
  // A partition another member took is no longer this one's to report.
  for (auto& [name, gauge] : lag_gauges_) {
    if (gauges.count(name) == 0) LagGauge().Remove(gauge);
  }
  lag_gauges_ = std::move(gauges);
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

absl::Status EventConsumer::DeadLetter(const rd_kafka_message_t& message, absl::string_view reason,
                                       absl::string_view kind) {
  const std::string topic = message.rkt != nullptr ? rd_kafka_topic_name(message.rkt) : "";
  Record record;
  record.topic = Prefixed(options_.deadletter_topic);
  if (message.key != nullptr) {
    record.key.assign(static_cast<const char*>(message.key), message.key_len);
  }
  if (message.payload != nullptr) {
    record.value.assign(static_cast<const char*>(message.payload), message.len);
  }
  record.headers = HeadersOf(message);
  record.headers.emplace_back("parkline_deadletter_reason", std::string(reason));
  record.headers.emplace_back("parkline_deadletter_consumer", options_.group_id);
  record.headers.emplace_back("parkline_original_topic", topic);
  record.headers.emplace_back("parkline_original_partition", std::to_string(message.partition));
  record.headers.emplace_back("parkline_original_offset", std::to_string(message.offset));
  if (auto s = deadletters_->Produce(record, message.offset); !s.ok()) return s;
  for (const Delivery& d : deadletters_->Flush(absl::Seconds(30))) {
    if (!d.status.ok()) return d.status;
  }
  DeadLetteredCounter()
      .Add({{"consumer", options_.group_id}, {"reason", std::string(kind)}})
      .Increment();
  log::Warn("event dead-lettered", {{"consumer", options_.group_id},
                                    {"topic", topic},
                                    {"offset", static_cast<int64_t>(message.offset)},
                                    {"reason", std::string(reason)}});
  return absl::OkStatus();
}

}  // namespace parkline::events
