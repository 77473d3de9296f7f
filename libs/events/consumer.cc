#include "events/consumer.h"

#include <librdkafka/rdkafkacpp.h>

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

absl::Status EventConsumer::Start() {
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
  RdKafka::ErrorCode err = consumer_->subscribe(options_.topics);
  if (err != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("subscribe: ", RdKafka::err2str(err)));
  }
  // Series exist from the start at 0, so that Prometheus sees their first increase.
  for (const char* outcome : {"applied", "duplicate", "unknown_type", "deadlettered"}) {
    EventsCounter().Add({{"consumer", options_.group_id}, {"outcome", outcome}});
  }
  for (const std::string& topic : options_.topics) {
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

void EventConsumer::Run() {
  while (!stopping_) {
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(200));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        Handle(*message);
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
  auto envelope = FromRecord(HeadersOf(message), message.topic_name(), key, std::move(payload));
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
  absl::Status status = db_.Transact([&](store::Transaction& tx) -> absl::Status {
    auto seen = tx.Query("SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2",
                         {options_.group_id, envelope.id});
    if (!seen.ok()) return seen.status();
    if (!seen->empty()) {
      outcome = "duplicate";
      return absl::OkStatus();
    }
    outcome = "applied";
    if (auto s = handler->second(tx, envelope); !s.ok()) return s;
    return tx
        .Execute(
            "INSERT INTO processed_events (consumer, event_id, topic, processed_at) "
            "VALUES ($1, $2, $3, $4)",
            {options_.group_id, envelope.id, envelope.topic, absl::ToUnixMicros(absl::Now())})
        .status();
  });
  if (!status.ok()) return status;
  return outcome;
}

absl::Status EventConsumer::DeadLetter(RdKafka::Message& message, absl::string_view reason) {
  Record record;
  record.topic = options_.deadletter_topic;
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
