#include "events/kafka_producer.h"

#include <librdkafka/rdkafkacpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_client.h"
#include "events/kafka_logging.h"

namespace parkline::events {

Record ToRecord(const Envelope& e) { return {e.topic, e.subject, e.payload, ToHeaders(e)}; }

class KafkaProducer::Reports : public RdKafka::DeliveryReportCb {
 public:
  // Runs on the thread that calls poll/flush, i.e. the producer's one user.
  void dr_cb(RdKafka::Message& message) override {
    int64_t tag = *static_cast<int64_t*>(message.msg_opaque());
    delete static_cast<int64_t*>(message.msg_opaque());
    absl::Status status = absl::OkStatus();
    if (message.err() != RdKafka::ERR_NO_ERROR) {
      status = absl::UnavailableError(
          absl::StrCat("delivery to ", message.topic_name(), ": ", message.errstr()));
    }
    done.push_back({tag, std::move(status)});
  }
  std::vector<Delivery> done;
};

absl::StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(
    const std::string& brokers, const KafkaSecurity& security,
    const std::map<std::string, std::string>& overrides) {
  std::unique_ptr<KafkaProducer> p(new KafkaProducer());
  p->reports_ = std::make_unique<Reports>();
  auto made = NewClientConf("producer", brokers, security,
                            {
                                {"enable.idempotence", "true"},
                                {"acks", "all"},
                                {"partitioner", "murmur2_random"},
                                {"compression.type", "lz4"},
                                {"linger.ms", "5"},
                                // A broker outage fails a batch after this long; the relay then
                                // backs off and retries the same rows, so nothing is dropped.
                                {"message.timeout.ms", "30000"},
                            },
                            overrides);
  if (!made.ok()) return made.status();
  std::unique_ptr<RdKafka::Conf> conf = std::move(*made);
  std::string error;
  p->logging_ = std::make_unique<KafkaLogging>("producer");
  if (conf->set("dr_cb", p->reports_.get(), error) != RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", p->logging_.get(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  p->producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!p->producer_) return absl::UnavailableError(absl::StrCat("kafka producer: ", error));
  return p;
}

KafkaProducer::~KafkaProducer() {
  if (producer_) {
    producer_->flush(1000);
    producer_->poll(0);
  }
  // Reports for records never delivered still own their tag.
  producer_.reset();
}

absl::Status KafkaProducer::Produce(const Record& record, int64_t tag) {
  for (int attempt = 0;; ++attempt) {
    RdKafka::Headers* headers = RdKafka::Headers::create();
    for (const auto& [k, v] : record.headers) headers->add(k, v.data(), v.size());
    auto* opaque = new int64_t(tag);
    // produce() copies value and key (RK_MSG_COPY) and, on success only, takes ownership of
    // `headers`; on failure both stay ours.
    RdKafka::ErrorCode err = producer_->produce(
        record.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(record.value.data()), record.value.size(), record.key.data(),
        record.key.size(), 0, headers, opaque);
    if (err == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
    delete headers;
    delete opaque;
    if (err != RdKafka::ERR__QUEUE_FULL || attempt >= 100) {
      return absl::UnavailableError(
          absl::StrCat("produce to ", record.topic, ": ", RdKafka::err2str(err)));
    }
    producer_->poll(100);  // let deliveries drain the local queue
  }
}

std::vector<Delivery> KafkaProducer::Flush(absl::Duration timeout) {
  producer_->flush(static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  producer_->poll(0);
  std::vector<Delivery> out;
  out.swap(reports_->done);
  return out;
}

namespace {

absl::Status FromKafkaError(RdKafka::Error* raw, absl::string_view what) {
  if (raw == nullptr) return absl::OkStatus();
  std::unique_ptr<RdKafka::Error> error(raw);
  const std::string message = absl::StrCat(what, ": ", error->str());
  if (error->is_fatal()) return absl::FailedPreconditionError(message);
  if (error->txn_requires_abort()) return absl::AbortedError(message);
  return absl::UnavailableError(message);
}

}  // namespace

absl::Status KafkaProducer::InitTransactions(absl::Duration timeout) {
  return FromKafkaError(
      producer_->init_transactions(static_cast<int>(absl::ToInt64Milliseconds(timeout))),
      "init transactions");
}

absl::Status KafkaProducer::BeginTransaction() {
  return FromKafkaError(producer_->begin_transaction(), "begin transaction");
}

absl::Status KafkaProducer::CommitTransaction(absl::Duration timeout) {
  return FromKafkaError(
      producer_->commit_transaction(static_cast<int>(absl::ToInt64Milliseconds(timeout))),
      "commit transaction");
}

absl::Status KafkaProducer::AbortTransaction(absl::Duration timeout) {
  return FromKafkaError(
      producer_->abort_transaction(static_cast<int>(absl::ToInt64Milliseconds(timeout))),
      "abort transaction");
}

}  // namespace parkline::events
