// The chaos suite (label chaos; tools/dev chaos, tools/dev chaos --full): enterprises,
// declarations and statistics as processes on a broker of the suite's own (it stops it) and on
// SQLite or a PostgreSQL of the suite's own (it restarts it), under a bounded load of import
// document sets; each scenario breaks one thing while the load runs, then checks from outside
// that every accepted set is on the topic once and counted once. PARKLINE_CHAOS=full runs the
// issue's full form (30 s outage, 10 kills); the default is the short form CI runs.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/chaos/checks.h"
#include "tests/chaos/load.h"
#include "tests/chaos/park.h"
#include "tests/support/import_parties.h"

namespace parkline::chaos {
namespace {

// Other ports than the shared broker (9092) and PostgreSQL (5433): these two the suite stops.
constexpr char kBrokerPort[] = "19092";
constexpr char kControllerPort[] = "19093";
constexpr char kPostgresPort[] = "15433";

bool Full() {
  const char* env = std::getenv("PARKLINE_CHAOS");
  return env && std::string(env) == "full";
}

std::string BrokerEnv() {
  return absl::StrCat("KAFKA_PORT=", kBrokerPort, " KAFKA_CONTROLLER_PORT=", kControllerPort,
                      " KAFKA_INSTANCE_DIR=", REPO_DIR, "/.parkline/chaos-kafka ");
}

int Shell(const std::string& command) {
  std::cout << "chaos: " << command << std::endl;
  return std::system(command.c_str());
}

int Broker(const std::string& verb) {
  return Shell(BrokerEnv() + REPO_DIR "/tools/kafka/kafka.sh " + verb);
}

int Postgres(const std::string& verb) {
  return Shell(absl::StrCat("PARKLINE_PG_PORT=", kPostgresPort, " ", REPO_DIR,
                            "/tools/postgres/postgres.sh ", verb, " >/dev/null"));
}

std::vector<Tally>& Tallies() {
  static auto* t = new std::vector<Tally>();
  return *t;
}

class ChaosTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(Broker("start"), 0);
    setenv("PARKLINE_KAFKA_BROKERS", absl::StrCat("127.0.0.1:", kBrokerPort).c_str(), 1);
  }

  static void TearDownTestSuite() {
    Broker("stop");
    Postgres("stop");
    std::cout << "\nchaos (" << (Full() ? "full" : "short") << " form)\n" << TallyHeader() << "\n";
    for (const Tally& t : Tallies()) std::cout << TallyLine(t) << "\n";
    std::cout << std::flush;
  }

  // Runs the load for `load_time` while `chaos` runs, then converges and checks.
  void Run(const std::string& scenario, ParkOptions options,
           const std::function<void(Park&)>& chaos, const std::vector<std::string>& disarm = {},
           absl::Duration load_time = absl::Seconds(20)) {
    std::mt19937_64 rng{std::random_device{}()};
    options.dir = dir_.path();
    options.topic_prefix = absl::StrCat("chaos", rng() % 1000000000, ".");
    for (const char* topic :
         {"parkline.enterprises.v1", "parkline.declarations.v1", "parkline.clearance.v1",
          "parkline.logistics.v1", "parkline.complaints.v1", "parkline.deadletter.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(options.topic_prefix + topic, 3).ok());
    }
    Park park(options);
    ASSERT_TRUE(park.WaitServing(absl::Seconds(60))) << "the park did not come up";
    auto code = [&] { return absl::StrCat(1000000000 + rng() % 8999999999); };
    samples::ImportCodes codes{code(), code(), code(), code()};
    ASSERT_TRUE(testing::AdmitImportParties(*park.enterprises(), codes).ok());

    ImportLoad load(park, codes, static_cast<int>(rng() % 90000000), 10.0, load_time);
    chaos(park);
    load.Join();
    for (const std::string& name : disarm) park.Disarm(name);
    Tally t =
        Converge(park, options.topic_prefix, load.accepted(), absl::Minutes(3), absl::Seconds(2));
    t.scenario = scenario;
    t.restarts = park.restarts();
    Tallies().push_back(t);
    std::cout << TallyHeader() << "\n" << TallyLine(t) << std::endl;
    EXPECT_EQ(load.failed(), 0) << "sets the park never answered";
    EXPECT_GT(t.accepted, 0);
    EXPECT_TRUE(t.converged);
    EXPECT_EQ(t.lost, 0);
    EXPECT_EQ(t.duplicated, 0);
  }

  testing::TempDir dir_;
};

// (a) The broker away mid-load: writes go on into the outboxes, and everything arrives after.
TEST_F(ChaosTest, BrokerStopped) {
  absl::Duration outage = Full() ? absl::Seconds(30) : absl::Seconds(10);
  Run("a broker stopped", {}, [&](Park&) {
    absl::SleepFor(absl::Seconds(3));
    ASSERT_EQ(Broker("stop"), 0);
    absl::SleepFor(outage);
    ASSERT_EQ(Broker("start"), 0);
  });
}

// (b) Each writing service killed with -9 at random points of the load.
TEST_F(ChaosTest, WritersKilled) {
  const int kills = Full() ? 10 : 2;
  Run(
      "b kill -9 writers", {},
      [&](Park& park) {
        std::mt19937_64 rng{std::random_device{}()};
        for (int i = 0; i < kills; ++i) {
          for (const char* name : {"enterprises", "declarations"}) {
            absl::SleepFor(absl::Milliseconds(500 + rng() % 1500));
            park.Kill(name);
          }
        }
      },
      {}, Full() ? absl::Seconds(60) : absl::Seconds(20));
}

// (c) The relay dies between Kafka's acknowledgement and the outbox's mark.
TEST_F(ChaosTest, RelayKilledAfterAck) {
  ParkOptions options;
  options.env["declarations"]["PARKLINE_FAULT"] = "relay.after_ack:0.2";
  options.env["enterprises"]["PARKLINE_FAULT"] = "relay.after_ack:0.2";
  Run("c relay after ack", options, [](Park&) {}, {"declarations", "enterprises"});
}

// (d) The aggregator dies before and after a batch commit.
TEST_F(ChaosTest, AggregatorKilledAroundCommit) {
  ParkOptions options;
  options.env["statistics"]["PARKLINE_FAULT"] =
      "aggregator.before_commit:0.1,aggregator.after_commit:0.1";
  Run("d aggregator around commit", options, [](Park&) {}, {"statistics"});
}

// (e) PostgreSQL restarted mid-load, the services on it.
TEST_F(ChaosTest, PostgresRestarted) {
  ASSERT_EQ(Postgres("start"), 0);
  ParkOptions options;
  std::mt19937_64 rng{std::random_device{}()};
  const std::string run = absl::StrCat(rng() % 1000000);
  for (const char* name : {"enterprises", "declarations", "statistics"}) {
    std::string db = absl::StrCat("chaos_", name, "_", run);
    ASSERT_EQ(Postgres("db " + db), 0);
    options.env[name]["PARKLINE_DATABASE_URL"] =
        absl::StrCat("postgresql://postgres@127.0.0.1:", kPostgresPort, "/", db);
  }
  Run("e postgresql restarted", options, [](Park&) {
    absl::SleepFor(absl::Seconds(5));
    ASSERT_EQ(Postgres("stop"), 0);
    absl::SleepFor(absl::Seconds(3));
    ASSERT_EQ(Postgres("start"), 0);
  });
}

}  // namespace
}  // namespace parkline::chaos
