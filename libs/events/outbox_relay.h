// Publishes the outbox to Kafka, in the order the events were appended.
//
// Contract: at-least-once. A row is marked published only after the broker acknowledged it
// (delivery report, acks=all); a crash, a broker outage or a stop at any point leaves the row
// pending and it is sent again later: possibly twice, never lost. Consumers make duplicates
// harmless (see consumer.h).
//
// One relay per database: with several replicas of a service on one PostgreSQL database, only
// the replica holding the database lease "parkline.outbox-relay" publishes, so that one key's
// events never race each other through two producers; when it dies its lease passes on.
//
// Publish numbers (docs/events.md#publish-numbers): each pass claims its rows (ClaimPending),
// numbering the ones never sent under this relay's publisher name (the database's instance id
// and a name drawn each time the relay takes the lease), and sends each row with its number
// (kPublisherHeader, kSequenceHeader) in one Kafka transaction (transactional.id
// "parkline-outbox-<database instance id>"): a pass's records become visible together or not
// at all, and a relay that takes the lease fences the one before it (its open transaction is
// aborted, its later commits fail), so a publisher's numbers reach each partition in order, and
// a record seen again with a number already applied is a copy. Rows are marked published only
// after the commit.
//
// Every failed pass (reading the outbox, reconciling with the topic's tail, producing, delivery,
// marking) counts in parkline_outbox_publish_failures_total{stage}: while the broker is down
// each retry counts, so the failure stays visible however it fails. The pending count and the
// age of the oldest pending event are gauges (parkline_outbox_pending,
// parkline_outbox_oldest_pending_age_seconds), read every gauge_interval; a failure to read them
// or to prune is logged and counted (runtime/job_errors.h).
//
// One background thread. Start, Notify and Stop are thread-safe.
#ifndef PARKLINE_EVENTS_OUTBOX_RELAY_H_
#define PARKLINE_EVENTS_OUTBOX_RELAY_H_

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "events/kafka_security.h"
#include "store/database.h"

namespace parkline::events {

// The name of the relay's thread (top -H, profiles, and the busy waits it is counted under in
// /metrics).
inline constexpr char kRelayThread[] = "pl-relay";

class KafkaProducer;

struct RelayOptions {
  std::string brokers = "127.0.0.1:9092";
  // TLS and SASL to the brokers (CommonConfig::kafka_security), for the producer and the tail
  // reader alike.
  KafkaSecurity security;
  // Prepended to the topic each row names (CommonConfig::topic_prefix).
  std::string topic_prefix;
  // Rows read and published per pass.
  int batch_size = 500;
  // How often to look for rows when nobody calls Notify (rows left by a crash, another
  // process's writes).
  absl::Duration poll_interval = absl::Milliseconds(200);
  // Under load, how long after a pass that found rows the next one begins at the earliest
  // (--outbox_linger_ms): the rows written meanwhile go in one pass. A first write after a quiet
  // spell goes at once.
  absl::Duration linger = absl::Milliseconds(50);
  // How long a pass waits for the broker to acknowledge its batch.
  absl::Duration delivery_timeout = absl::Seconds(30);
  // Published rows are kept this long, then pruned.
  absl::Duration retention = absl::Hours(24 * 7);
  // librdkafka properties applied last.
  std::map<std::string, std::string> producer_overrides;
  // The bound on unpublished events past which writes that append events are refused
  // UNAVAILABLE (SetOutboxBound); 0: none. Set for the whole process by Start().
  int64_t max_pending = 0;
  // How often the pending count and the oldest event's age are read (the gauges, the bound).
  absl::Duration gauge_interval = absl::Seconds(1);
};

class OutboxRelay {
 public:
  OutboxRelay(store::Database& db, RelayOptions options);
  ~OutboxRelay();

  // Connects the producer and starts the thread.
  absl::Status Start();

  // A transaction just committed events: publish now rather than at the next poll.
  void Notify();

  // Publishes what is pending for up to `timeout`, then stops the thread. What is left stays in
  // the outbox for the next start.
  void Stop(absl::Duration timeout);

  // One pass, on the caller's thread: publishes up to batch_size pending rows and marks the
  // acknowledged ones. Returns how many were marked. Used by the thread and by tests.
  absl::StatusOr<int> PublishBatch();

  // Before publishing after a takeover or an error: pending rows that are already on Kafka (a
  // publisher died between the broker's acknowledgement and marking them, or a delivery timed
  // out yet landed) are marked published instead of being sent twice. Reads back the last
  // 2 x batch_size records of each partition the pending rows go to. Returns how many it marked.
  absl::StatusOr<int> Reconcile();

 private:
  void Run();
  // True when this process holds (or just took) the relay lease.
  bool Lead();
  // Reads the pending count and the oldest's age into the gauges and the outbox bound.
  void UpdatePendingGauge();
  // A new publisher name: this relay's records from now on are numbered under it.
  void NewPublisher();
  // A new transactional producer ("parkline-outbox-" + instance_), not yet initialized.
  absl::Status CreateProducer();
  // Creates the producer if there is none and initializes its transactions, fencing the
  // producers of the same id before it.
  absl::Status ReadyProducer();

  // The database's instance id (DatabaseInstanceId), and this relay's publisher name: the
  // relay thread's (or the PublishBatch caller's) only.
  std::string instance_;
  std::string publisher_;
  bool initialized_ = false;  // the producer's transactions are initialized

  store::Database& db_;
  RelayOptions options_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<store::Database::Lease> lease_;  // the relay thread's only
  absl::Time lease_checked_;                       // the relay thread's only
  bool reconcile_ = true;                          // the relay thread's only
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;     // guarded by mu_
  bool stopping_ = false;     // guarded by mu_
  absl::Time stop_deadline_;  // guarded by mu_
};

}  // namespace parkline::events

#endif  // PARKLINE_EVENTS_OUTBOX_RELAY_H_
