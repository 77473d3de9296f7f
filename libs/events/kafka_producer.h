// A thin owner of a librdkafka producer configured for the park's events: idempotent
// (enable.idempotence=true, which implies acks=all and keeps order per partition across
// retries), murmur2 partitioning (the Java client's, so a key lands on the same partition
// whichever client produced it), lz4 compression.
//
// Not thread-safe: one thread produces and flushes (the relay's, or a consumer's for
// dead letters).
#ifndef PARKLINE_EVENTS_KAFKA_PRODUCER_H_
#define PARKLINE_EVENTS_KAFKA_PRODUCER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "events/envelope.h"
#include "events/kafka_security.h"

namespace RdKafka {
class EventCb;
class Producer;
}  // namespace RdKafka

namespace parkline::events {

struct Record {
  std::string topic;
  std::string key;
  std::string value;
  Headers headers;
};

// The record that carries an envelope (binary content mode).
Record ToRecord(const Envelope& envelope);

struct Delivery {
  int64_t tag;          // what Produce was given
  absl::Status status;  // OK once the broker has the record (all in-sync replicas)
};

class KafkaProducer {
 public:
  // `overrides` are librdkafka properties applied last (tests shorten timeouts with them).
  static absl::StatusOr<std::unique_ptr<KafkaProducer>> Create(
      const std::string& brokers, const KafkaSecurity& security = {},
      const std::map<std::string, std::string>& overrides = {});
  ~KafkaProducer();

  // Queues a record; its outcome comes back from Flush under `tag`.
  absl::Status Produce(const Record& record, int64_t tag);

  // Waits up to `timeout` for the outcome of everything queued; returns the outcomes that
  // arrived since the last call. A record still in flight at the timeout reports later.
  std::vector<Delivery> Flush(absl::Duration timeout);

  // Transactions, for a producer created with a `transactional.id` override. InitTransactions
  // fences every earlier producer of the same id (its open transaction is aborted, its later
  // commits fail) and must precede the first BeginTransaction. Records produced between Begin
  // and a successful Commit become visible to read_committed consumers together, or never.
  // Errors: FAILED_PRECONDITION when this producer is fenced or otherwise unusable (create a new
  // one), ABORTED when the transaction must be aborted, UNAVAILABLE for a timeout or a broker
  // that does not answer (the state of the transaction is then unknown: abort it, or create a
  // new producer, whose InitTransactions settles it).
  absl::Status InitTransactions(absl::Duration timeout);
  absl::Status BeginTransaction();
  absl::Status CommitTransaction(absl::Duration timeout);
  absl::Status AbortTransaction(absl::Duration timeout);

 private:
  class Reports;
  KafkaProducer() = default;
  std::unique_ptr<Reports> reports_;
  std::unique_ptr<RdKafka::EventCb> logging_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_KAFKA_PRODUCER_H_
