// How fresh the statistics are (issue #20, item 5): from a write's reply to its indicator being
// visible on the statistics' gRPC API (GetOverview) and on its /metrics, beside the broker's own
// produce-to-consume latency measured in the same run, which is the floor under both.
//
//   build/bench/freshness_bench [writes=100]
//
// The real enterprises and statistics binaries run as processes on the local Kafka broker, under
// a topic prefix of this run's own (its topics created here, as the tests do), on SQLite and then
// on PostgreSQL when PARKLINE_TEST_POSTGRES_URL names a server. Each write is a DefineUnit of a
// new unit, one at a time: the clock starts when its reply arrives and stops, separately for each
// reader, at the first GetOverview whose current `units{state=vacant}` and the first scrape whose
// `parkline_units{state="vacant"}` count it; both readers poll every millisecond or so, so a
// figure includes up to one poll's own duration. The broker's figure is a raw librdkafka producer
// (acks=all, no linger) and consumer on a one-partition topic of the run's own, one record at a
// time, from the produce call to the record in the consumer's hand. A benchmark, not a test: it
// exits 0 whenever it could measure.
#include <librdkafka/rdkafkacpp.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/exposition.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace ev1 = enterprises::v1;
namespace sv1 = statistics::v1;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;
using Statistics = testing::ServiceUnderTest<sv1::StatisticsService>;

constexpr const char* kTopics[] = {"parkline.enterprises.v1", "parkline.declarations.v1",
                                   "parkline.clearance.v1",   "parkline.logistics.v1",
                                   "parkline.complaints.v1",  "parkline.deadletter.v1",
                                   "parkline.statistics.v1"};
constexpr absl::Duration kGiveUp = absl::Seconds(30);

struct Figures {
  double p50 = 0, p99 = 0, max = 0;  // milliseconds
  size_t n = 0;
};

Figures Summarize(std::vector<absl::Duration> samples) {
  Figures f;
  f.n = samples.size();
  if (samples.empty()) return f;
  std::sort(samples.begin(), samples.end());
  auto ms = [](absl::Duration d) { return absl::ToDoubleMilliseconds(d); };
  f.p50 = ms(samples[(samples.size() - 1) / 2]);
  f.p99 = ms(samples[std::max<size_t>(1, (samples.size() * 99 + 99) / 100) - 1]);
  f.max = ms(samples.back());
  return f;
}

void Print(const std::string& what, const Figures& f) {
  std::printf("  %-44s n=%-4zu p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms\n", what.c_str(), f.n,
              f.p50, f.p99, f.max);
}

std::string Prefix(const std::string& what) {
  return absl::StrCat("freshbench", std::random_device{}(), what, ".");
}

bool CreateTopics(const std::string& prefix) {
  for (const char* topic : kTopics) {
    if (auto s = testing::CreateTopic(prefix + topic, 1); !s.ok()) {
      std::fprintf(stderr, "cannot create %s%s: %s\n", prefix.c_str(), topic,
                   std::string(s.message()).c_str());
      return false;
    }
  }
  return true;
}

// Vacant units in the overview's current values; -1 when the call failed or has none.
int64_t OverviewUnits(Statistics& stats) {
  sv1::Overview overview;
  if (!stats.Call(&sv1::StatisticsService::Stub::GetOverview, sv1::GetOverviewRequest(), &overview)
           .ok()) {
    return -1;
  }
  for (const auto& v : overview.current()) {
    auto state = v.labels().find("state");
    if (v.indicator() != "units" || v.labels().size() != 1 || state == v.labels().end() ||
        state->second != "vacant") {
      continue;
    }
    int64_t n = -1;
    return absl::SimpleAtoi(v.value(), &n) ? n : -1;
  }
  return -1;
}

// Vacant units on the statistics' /metrics; -1 when the scrape failed or has none.
int64_t ScrapedUnits(int metrics_port) {
  return static_cast<int64_t>(bench::SampleValue(testing::HttpGet(metrics_port, "/metrics"),
                                                 "parkline_units{state=\"vacant\"}"));
}

// From `start` until `read` returns at least `want`; nullopt after kGiveUp.
std::optional<absl::Duration> Until(absl::Time start, int64_t want,
                                    const std::function<int64_t()>& read) {
  while (absl::Now() - start < kGiveUp) {
    if (read() >= want) return absl::Now() - start;
    absl::SleepFor(absl::Microseconds(500));
  }
  return std::nullopt;
}

bool DefineUnit(Enterprises& enterprises, const std::string& id) {
  ev1::DefineUnitRequest define;
  define.mutable_unit()->set_unit_id(id);
  define.mutable_unit()->set_building("BENCH");
  define.mutable_unit()->set_leasable_area_m2("100.00");
  define.mutable_unit()->set_purpose(ev1::UNIT_PURPOSE_OFFICE);
  ev1::Unit unit;
  absl::Status s = enterprises.Call(&ev1::EnterpriseService::Stub::DefineUnit, define, &unit);
  if (!s.ok()) std::fprintf(stderr, "DefineUnit: %s\n", s.ToString().c_str());
  return s.ok();
}

void Stop(testing::ServiceProcess& p) {
  p.process().Signal(SIGTERM);
  p.process().Wait(absl::Seconds(10));
}

// One backend: both services on fresh databases of it, under a prefix of their own.
void MeasureStatistics(const std::string& backend, int writes) {
  testing::TempDir dir;
  testing::TestDatabase enterprises_db(backend), statistics_db(backend);
  if (enterprises_db.url().empty() || statistics_db.url().empty()) {
    std::printf("statistics on %s: skipped (PARKLINE_TEST_POSTGRES_URL is not set)\n",
                backend.c_str());
    return;
  }
  const std::string prefix = Prefix(backend);
  if (!CreateTopics(prefix)) return;
  Enterprises enterprises(
      ENTERPRISES_BINARY, "enterprises", dir.path(),
      {{"PARKLINE_TOPIC_PREFIX", prefix}, {"PARKLINE_DATABASE_URL", enterprises_db.url()}});
  Statistics stats(
      STATISTICS_BINARY, "statistics", dir.path(),
      {{"PARKLINE_TOPIC_PREFIX", prefix}, {"PARKLINE_DATABASE_URL", statistics_db.url()}});
  const auto serving = grpc::health::v1::HealthCheckResponse::SERVING;
  if (enterprises.WaitServing(absl::Seconds(30)) != serving ||
      stats.WaitServing(absl::Seconds(30)) != serving) {
    std::fprintf(stderr, "%s: the services did not start (logs in %s)\n", backend.c_str(),
                 dir.path().c_str());
    return;
  }
  // Warm-up: the statistics' consumer joins its group and reads the topic once.
  const int warm = 3;
  for (int i = 0; i < warm; ++i) DefineUnit(enterprises, absl::StrCat("W-", i));
  if (!Until(absl::Now(), warm, [&] { return OverviewUnits(stats); })) {
    std::fprintf(stderr, "%s: the statistics never counted the warm-up units\n", backend.c_str());
    Stop(stats);
    Stop(enterprises);
    return;
  }
  std::vector<absl::Duration> grpc_seen, metrics_seen;
  int lost = 0;
  for (int i = 0; i < writes; ++i) {
    if (!DefineUnit(enterprises, absl::StrCat("U-", i))) continue;
    const absl::Time replied = absl::Now();
    const int64_t want = warm + i + 1;
    std::optional<absl::Duration> on_metrics;
    std::thread scraper([&] {
      on_metrics = Until(replied, want, [&] { return ScrapedUnits(stats.metrics_port()); });
    });
    auto on_grpc = Until(replied, want, [&] { return OverviewUnits(stats); });
    scraper.join();
    if (on_grpc) grpc_seen.push_back(*on_grpc);
    if (on_metrics) metrics_seen.push_back(*on_metrics);
    if (!on_grpc || !on_metrics) ++lost;
    // The next write starts from a quiet service: longer than the relay's linger (50 ms), which
    // a write right after a pass that published would wait out.
    absl::SleepFor(absl::Milliseconds(60));
  }
  std::printf("statistics on %s (writes %d, not seen within %ds: %d)\n", backend.c_str(), writes,
              static_cast<int>(absl::ToInt64Seconds(kGiveUp)), lost);
  Print("DefineUnit reply -> GetOverview shows it", Summarize(grpc_seen));
  Print("DefineUnit reply -> /metrics shows it", Summarize(metrics_seen));
  Stop(stats);
  Stop(enterprises);
}

// The broker's own floor: produce one record, wait for it in a consumer, again.
void MeasureBroker(int records) {
  const std::string topic = Prefix("raw") + "bench.raw";
  if (auto s = testing::CreateTopic(topic, 1); !s.ok()) {
    std::fprintf(stderr, "cannot create %s: %s\n", topic.c_str(), std::string(s.message()).c_str());
    return;
  }
  std::string error;
  std::unique_ptr<RdKafka::Conf> pconf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  pconf->set("bootstrap.servers", testing::KafkaBrokers(), error);
  pconf->set("acks", "all", error);
  pconf->set("linger.ms", "0", error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(pconf.get(), error));
  std::unique_ptr<RdKafka::Conf> cconf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  cconf->set("bootstrap.servers", testing::KafkaBrokers(), error);
  cconf->set("group.id", "freshbench-raw-" + std::to_string(std::random_device{}()), error);
  cconf->set("auto.offset.reset", "earliest", error);
  cconf->set("enable.auto.commit", "false", error);
  cconf->set("fetch.wait.max.ms", "10", error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(cconf.get(), error));
  if (!producer || !consumer) {
    std::fprintf(stderr, "librdkafka: %s\n", error.c_str());
    return;
  }
  consumer->subscribe({topic});
  auto send = [&](int i) {
    std::string value = std::to_string(i);
    producer->produce(topic, 0, RdKafka::Producer::RK_MSG_COPY, value.data(), value.size(), nullptr,
                      0, 0, nullptr);
    producer->poll(0);
  };
  // Returns once record `i` is in hand, or after kGiveUp.
  auto receive = [&](int i) {
    absl::Time deadline = absl::Now() + kGiveUp;
    while (absl::Now() < deadline) {
      std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
      producer->poll(0);
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      if (std::string(static_cast<const char*>(m->payload()), m->len()) == std::to_string(i)) {
        return true;
      }
    }
    return false;
  };
  const int warm = 5;  // the group joined and the partition assigned before anything is timed
  for (int i = 0; i < warm; ++i) {
    send(i);
    if (!receive(i)) {
      std::fprintf(stderr, "the raw consumer never received its warm-up record\n");
      return;
    }
  }
  std::vector<absl::Duration> seen;
  for (int i = warm; i < warm + records; ++i) {
    absl::Time start = absl::Now();
    send(i);
    if (receive(i)) seen.push_back(absl::Now() - start);
  }
  std::printf("broker (raw librdkafka, acks=all, one partition)\n");
  Print("produce -> consumed", Summarize(seen));
  consumer->close();
  producer->flush(5000);
}

}  // namespace
}  // namespace parkline

int main(int argc, char** argv) {
  int writes = argc > 1 ? std::atoi(argv[1]) : 100;
  if (writes <= 0) writes = 100;
  std::printf("freshness_bench: %d writes per backend, broker %s\n", writes,
              parkline::testing::KafkaBrokers().c_str());
  parkline::MeasureBroker(writes * 2);
  for (const std::string& backend : parkline::testing::StoreBackends()) {
    parkline::MeasureStatistics(backend, writes);
  }
  return 0;
}
