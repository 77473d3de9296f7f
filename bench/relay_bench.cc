// Outbox relay throughput against the real local Kafka broker (tools/kafka/kafka.sh start).
//
//   build/bench/relay_bench [events=20000] [payload_bytes=300]
//
// Prints: how fast events are appended to the outbox (one transaction per event, as a service
// does per request, and in transactions of 100), and how fast the relay publishes a backlog to
// Kafka with acks=all and marks it published.
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/outbox.h"
#include "events/outbox_relay.h"
#include "events/schema.h"
#include "google/rpc/error_details.pb.h"
#include "runtime/log.h"
#include "tests/support/test_env.h"

using namespace parkline;

namespace {

events::Envelope Event(const std::string& topic, int i, int payload_bytes) {
  google::rpc::BadRequest message;
  message.add_field_violations()->set_description(std::string(payload_bytes, 'x'));
  return events::NewEvent(topic, "/parkline/bench", absl::StrCat("key-", i % 64), message,
                          absl::Now());
}

double Rate(int n, absl::Duration d) { return n / absl::ToDoubleSeconds(d); }

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  int payload = argc > 2 ? std::atoi(argv[2]) : 300;
  log::Init("relay_bench", log::Level::kWarn);
  testing::TempDir dir;
  auto db = store::Database::Open("sqlite://" + dir.path() + "/bench.db");
  if (!db.ok() || !events::ApplyEventsSchema(**db).ok()) return 1;
  std::string topic = testing::UniqueTopic("bench");
  if (auto s = testing::CreateTopic(topic, 6); !s.ok()) {
    std::fprintf(stderr, "broker: %s\n", std::string(s.message()).c_str());
    return 1;
  }

  int single = std::min(n, 2000);
  absl::Time t0 = absl::Now();
  for (int i = 0; i < single; ++i) {
    (*db)
        ->Transact([&](store::Transaction& tx) {
          return events::AppendToOutbox(tx, Event(topic, i, payload));
        })
        .IgnoreError();
  }
  absl::Duration single_time = absl::Now() - t0;

  t0 = absl::Now();
  for (int start = single; start < n; start += 100) {
    (*db)
        ->Transact([&](store::Transaction& tx) -> absl::Status {
          for (int i = start; i < std::min(n, start + 100); ++i) {
            if (auto s = events::AppendToOutbox(tx, Event(topic, i, payload)); !s.ok()) return s;
          }
          return absl::OkStatus();
        })
        .IgnoreError();
  }
  absl::Duration batch_time = absl::Now() - t0;

  events::RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  // The relay as a service runs it: its own thread, woken once, draining the backlog.
  auto pending = [&] {
    int64_t count = -1;
    (*db)
        ->Read([&](store::Transaction& tx) -> absl::Status {
          auto c = events::CountPending(tx);
          if (c.ok()) count = *c;
          return c.status();
        })
        .IgnoreError();
    return count;
  };
  events::OutboxRelay relay(**db, options);
  t0 = absl::Now();
  if (!relay.Start().ok()) return 1;
  relay.Notify();
  absl::Time deadline = t0 + absl::Minutes(2);
  while (pending() > 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  absl::Duration publish_time = absl::Now() - t0;
  relay.Stop(absl::ZeroDuration());
  int published = n - static_cast<int>(pending());

  std::printf("outbox append, 1 event per transaction (synchronous=FULL): %8.0f events/s (%d)\n",
              Rate(single, single_time), single);
  std::printf("outbox append, 100 events per transaction:                 %8.0f events/s (%d)\n",
              Rate(n - single, batch_time), n - single);
  std::printf(
      "relay publish to Kafka (acks=all, idempotent) and mark:    %8.0f events/s (%d, %d B)\n",
      Rate(published, publish_time), published, payload);
  return published == n ? 0 : 1;
}
