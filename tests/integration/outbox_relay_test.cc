// The outbox relay against the real local Kafka broker: everything appended reaches the topic,
// in order per key, even when the relay process is killed half way.
#include "events/outbox_relay.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/kafka_producer.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "google/rpc/error_details.pb.h"
#include "tests/support/test_env.h"

namespace parkline::events {
namespace {

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite://" + dir_.path() + "/relay.db";
    auto db = store::Database::Open(url_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(ApplyEventsSchema(*db_).ok());
    topic_ = testing::UniqueTopic("relay");
    ASSERT_TRUE(testing::CreateTopic(topic_, 3).ok());
  }

  // Appends n events (numbered from `first`) over 10 keys; the payload carries the number as the
  // violation's field, so the consumer side can check the order per key.
  std::set<std::string> AppendEvents(int n, int first = 0) {
    std::set<std::string> ids;
    n += first;
    for (int start = first; start < n; start += 500) {
      EXPECT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                       for (int i = start; i < std::min(n, start + 500); ++i) {
                         google::rpc::BadRequest message;
                         message.add_field_violations()->set_field(std::to_string(i));
                         Envelope e = NewEvent(topic_, "/parkline/test",
                                               absl::StrCat("key-", i % 10), message, absl::Now());
                         ids.insert(e.id);
                         if (auto s = AppendToOutbox(tx, e); !s.ok()) return s;
                       }
                       return absl::OkStatus();
                     })
                      .ok());
    }
    return ids;
  }

  int64_t Published() {
    int64_t n = 0;
    db_->Read([&](store::Transaction& tx) -> absl::Status {
         auto rows = tx.Query("SELECT COUNT(*) FROM outbox WHERE published_at IS NOT NULL");
         if (rows.ok()) n = rows->front().Int(0);
         return rows.status();
       })
        .IgnoreError();
    return n;
  }

  // Every id is on the topic, and per key the first appearance of each event is in append order.
  void ExpectAllOnTopicInOrder(const std::set<std::string>& ids) {
    std::set<std::string> read;
    auto records = testing::ReadTopic(
        topic_, absl::Seconds(30),
        [&](const testing::ConsumedRecord& r) {
          read.insert(testing::Header(r, "ce_id"));
          return true;
        },
        [&](const auto&) { return read.size() >= ids.size(); });
    std::set<std::string> seen;
    std::map<std::string, int> last_per_key;
    // Every record is numbered; a copy carries its original's number, and per partition each
    // publisher's numbers first arrive in increasing order (what consumers' watermarks rely on).
    std::map<std::string, std::string> number_of;  // id -> publisher/seq
    std::map<std::pair<int32_t, std::string>, int64_t> highest;
    for (const auto& r : records) {
      std::string id = testing::Header(r, "ce_id");
      const std::string publisher = testing::Header(r, std::string(kPublisherHeader));
      int64_t number = 0;
      ASSERT_FALSE(publisher.empty()) << id;
      ASSERT_TRUE(absl::SimpleAtoi(testing::Header(r, std::string(kSequenceHeader)), &number));
      const std::string numbered = absl::StrCat(publisher, "/", number);
      int64_t& high = highest[std::make_pair(r.partition, publisher)];
      if (!seen.insert(id).second) {  // a duplicate from the crash: allowed, with its number
        EXPECT_EQ(number_of[id], numbered) << id;
        EXPECT_LE(number, high) << id;
        continue;
      }
      number_of[id] = numbered;
      EXPECT_GT(number, high) << id;
      high = number;
      google::rpc::BadRequest message;
      ASSERT_TRUE(message.ParseFromString(r.value));
      int seq = 0;
      ASSERT_TRUE(absl::SimpleAtoi(message.field_violations(0).field(), &seq));
      auto it = last_per_key.find(r.key);
      if (it != last_per_key.end()) {
        EXPECT_LT(it->second, seq) << "key " << r.key;
      }
      last_per_key[r.key] = seq;
    }
    for (const std::string& id : ids) EXPECT_EQ(seen.count(id), 1u) << "missing " << id;
    EXPECT_EQ(seen.size(), ids.size());
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<store::Database> db_;
  std::string topic_;
};

TEST_F(OutboxRelayTest, PublishesEverythingAndMarksItPublished) {
  auto ids = AppendEvents(1000);
  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  relay.Notify();
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Published() < 1000 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  relay.Stop(absl::Seconds(5));
  EXPECT_EQ(Published(), 1000);
  ExpectAllOnTopicInOrder(ids);
}

TEST_F(OutboxRelayTest, KilledHalfWayThenRestartedLosesNothing) {
  constexpr int kEvents = 3000;
  auto ids = AppendEvents(kEvents);
  {
    testing::ChildProcess relay(RELAY_RUNNER, {url_, testing::KafkaBrokers(), "10"}, {},
                                dir_.path() + "/relay.log");
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (Published() < kEvents / 3 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    relay.Signal(SIGKILL);
    ASSERT_EQ(relay.Wait(absl::Seconds(10)), 128 + SIGKILL);
  }
  int64_t before_restart = Published();
  ASSERT_GT(before_restart, 0) << "the relay never published: is the broker up?";
  ASSERT_LT(before_restart, kEvents) << "the relay finished before it was killed";

  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  OutboxRelay restarted(*db_, options);
  ASSERT_TRUE(restarted.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (Published() < kEvents && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  restarted.Stop(absl::Seconds(5));
  EXPECT_EQ(Published(), kEvents);
  ExpectAllOnTopicInOrder(ids);
}

// A relay that died between the broker's acknowledgement and marking its rows left them on Kafka
// and pending: the next publisher finds them at the tail of the topic and does not send them again.
TEST_F(OutboxRelayTest, RowsAPublisherSentButDidNotMarkAreNotSentAgain) {
  auto ids = AppendEvents(10);
  std::vector<PendingEvent> sent;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   auto rows = ReadPending(tx, 6);
                   if (rows.ok()) sent = std::move(*rows);
                   return rows.status();
                 })
                  .ok());
  auto producer = KafkaProducer::Create(testing::KafkaBrokers());
  ASSERT_TRUE(producer.ok());
  for (const PendingEvent& e : sent)
    ASSERT_TRUE((*producer)->Produce(ToRecord(e.envelope), e.seq).ok());
  for (const Delivery& d : (*producer)->Flush(absl::Seconds(20))) ASSERT_TRUE(d.status.ok());

  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Published() < 10 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  relay.Stop(absl::Seconds(5));
  EXPECT_EQ(Published(), 10);
  // Nothing left for a later pass to find.
  auto again = relay.Reconcile();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);

  std::map<std::string, int> copies;
  testing::ReadTopic(
      topic_, absl::Seconds(30),
      [&](const testing::ConsumedRecord& r) {
        copies[testing::Header(r, "ce_id")]++;
        return false;
      },
      [&](const auto&) { return copies.size() >= ids.size(); });
  absl::SleepFor(absl::Milliseconds(500));
  for (const std::string& id : ids) EXPECT_EQ(copies[id], 1) << id;
}

// A publisher that lost its lease while its transaction was open (a zombie): the relay that takes
// over fences it, so what the zombie sent is never seen and its commit fails; the rows it had
// numbered go out once, with its numbers, from the new relay.
TEST_F(OutboxRelayTest, AZombiePublishersInFlightSendsAreFencedAndSentOnceByTheNext) {
  auto ids = AppendEvents(20);
  auto instance = DatabaseInstanceId(*db_);
  ASSERT_TRUE(instance.ok());
  std::vector<PendingEvent> claimed;
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   auto rows = ClaimPending(tx, 12, *instance + "/zombie");
                   if (rows.ok()) claimed = std::move(*rows);
                   return rows.status();
                 })
                  .ok());
  ASSERT_EQ(claimed.size(), 12u);
  auto zombie = KafkaProducer::Create(testing::KafkaBrokers(), {},
                                      {{"transactional.id", "parkline-outbox-" + *instance}});
  ASSERT_TRUE(zombie.ok());
  ASSERT_TRUE((*zombie)->InitTransactions(absl::Seconds(30)).ok());
  ASSERT_TRUE((*zombie)->BeginTransaction().ok());
  for (const PendingEvent& e : claimed) {
    Record record = ToRecord(e.envelope);
    record.headers.emplace_back(kPublisherHeader, e.publisher);
    record.headers.emplace_back(kSequenceHeader, std::to_string(e.publish_seq));
    ASSERT_TRUE((*zombie)->Produce(record, e.seq).ok());
  }
  (*zombie)->Flush(absl::Seconds(20));  // on the broker, in a transaction still open

  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Published() < 20 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE((*zombie)->CommitTransaction(absl::Seconds(10)).ok()) << "the zombie committed";
  relay.Stop(absl::Seconds(5));
  EXPECT_EQ(Published(), 20);
  ExpectAllOnTopicInOrder(ids);
  // The zombie's numbers were kept: the rows it claimed went out under its name.
  std::set<std::string> zombie_numbered;
  testing::ReadTopic(
      topic_, absl::Seconds(30),
      [&](const testing::ConsumedRecord& r) {
        if (testing::Header(r, std::string(kPublisherHeader)) == *instance + "/zombie") {
          zombie_numbered.insert(testing::Header(r, "ce_id"));
        }
        return true;
      },
      [&](const auto& records) { return records.size() >= 20; });
  EXPECT_EQ(zombie_numbered.size(), 12u);
}

// PostgreSQL restarted under a running relay: its lease's session ends with the server's, and the
// relay takes the lease again, with a new producer (librdkafka initializes a producer's
// transactions once), and goes on publishing. The chaos suite's scenario (e), in seconds.
TEST_F(OutboxRelayTest, ALeaseLostAndTakenAgainPublishesOnWithANewProducer) {
  testing::TestDatabase postgres("postgresql");
  if (postgres.url().empty()) GTEST_SKIP() << "set PARKLINE_TEST_POSTGRES_URL (tools/dev test)";
  auto db = store::Database::Open(postgres.url());
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = std::move(*db);
  ASSERT_TRUE(ApplyEventsSchema(*db_).ok());
  auto ids = AppendEvents(5);
  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  options.poll_interval = absl::Milliseconds(50);
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Published() < 5 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  ASSERT_EQ(Published(), 5);

  // What a restart does to this database's sessions: every one of them ends.
  auto admin = store::Database::Open(postgres.url());
  ASSERT_TRUE(admin.ok());
  int64_t ended = 0;
  ASSERT_TRUE((*admin)
                  ->Read([&](store::Transaction& tx) -> absl::Status {
                    auto rows = tx.Query(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks "
                        "WHERE locktype = 'advisory' AND granted AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())");
                    if (rows.ok()) ended = rows->front().Int(0);
                    return rows.status();
                  })
                  .ok());
  ASSERT_EQ(ended, 1) << "the relay's lease is one session-level advisory lock";

  for (const std::string& id : AppendEvents(5, 5)) ids.insert(id);
  deadline = absl::Now() + absl::Seconds(30);
  while (Published() < 10 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  relay.Stop(absl::Seconds(5));
  EXPECT_EQ(Published(), 10) << "the relay stopped publishing after its lease came back";
  ExpectAllOnTopicInOrder(ids);
}

// The linger: the first event after a quiet spell goes at once; one written just after a pass
// that published waits until the linger since that pass's start has passed.
TEST_F(OutboxRelayTest, AnEventAfterAQuietSpellGoesAtOnceAndOneRightAfterAPassLingers) {
  RelayOptions options;
  options.brokers = testing::KafkaBrokers();
  // Long against a pass (milliseconds), so that the bounds below hold on a loaded machine.
  options.linger = absl::Seconds(5);
  options.poll_interval = absl::Seconds(30);  // only Notify starts a pass here
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  absl::SleepFor(absl::Milliseconds(500));  // the first, empty pass (the lease, the reconcile)
  auto ids = AppendEvents(1);
  absl::Time written = absl::Now();
  relay.Notify();
  while (Published() < 1 && absl::Now() < written + absl::Seconds(20)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(Published(), 1);
  // Had the empty first pass started a linger, this one would have waited about 4.5 s.
  EXPECT_LT(absl::Now() - written, options.linger / 2) << "the first event waited out a linger";

  for (const std::string& id : AppendEvents(1, 1)) ids.insert(id);
  relay.Notify();
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Published(), 1) << "a pass right after one that published did not linger";
  while (Published() < 2 && absl::Now() < written + absl::Seconds(30)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(Published(), 2);
  relay.Stop(absl::Seconds(5));
  ExpectAllOnTopicInOrder(ids);
}

TEST_F(OutboxRelayTest, BrokerUnreachableKeepsRowsPendingAndReportsTheError) {
  AppendEvents(5);
  RelayOptions options;
  options.brokers = "127.0.0.1:" + std::to_string(testing::FreePort());  // nobody listens
  options.delivery_timeout = absl::Seconds(2);
  options.producer_overrides = {{"message.timeout.ms", "1000"}};
  OutboxRelay relay(*db_, options);
  ASSERT_TRUE(relay.Start().ok());
  relay.Stop(absl::ZeroDuration());  // stop the thread; drive one pass by hand
  auto result = relay.PublishBatch();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(Published(), 0);
}

}  // namespace
}  // namespace parkline::events
