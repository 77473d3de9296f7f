// Declarations submission against a bare gRPC echo server, measured in the same run with the
// same client: the real enterprises and declarations binaries as processes on the local Kafka
// broker, the declarations service on SQLite and then on PostgreSQL (when
// PARKLINE_TEST_POSTGRES_URL names a server; skipped otherwise). The four parties of the orders
// are admitted in the registry and applied to each new declarations database's resident
// projection before that process starts (see SeedResidents for why not through Kafka).
//
//   build/bench/declarations_bench [seconds_per_level=5]
//
// Every level runs C client threads (C = 1, 16, 64), each a blocking loop of unary calls over one
// channel that all threads share (one HTTP/2 connection, as one ERP client would hold), for the
// given seconds or kMaxRequests calls, whichever ends first, after a warm-up. The echo and the
// service take turns at each level, in three rounds each (see MeasurePaired), and the ratio is
// the median of the rounds' ratios. Each SubmitOrder carries a distinct order (MakeImportSet(base
// + i)); each echo carries the serialized order of the same set, so both sides build and send the
// same bytes. Building a request is not timed in the latency, but it is in the throughput, on
// both sides alike.
//
// Prints per level: documents (or echoes) per second, p50 and p99 latency, and the ratio to the
// echo at the same concurrency, in the same rounds; then where the CPU went during each level
// (/proc: host, this process, the service and its busiest thread, PostgreSQL, the rest of the
// machine) and PostgreSQL's transactions; then the group commit's writer (from the service's
// /metrics: the share of the time it spent in transactions, their number, documents and mean
// length, and the transactions run again after a conflict); then CPU per document by process (host,
// service, broker, PostgreSQL, clients), and the service's by thread (its threads' names); then
// whether #25's targets at concurrency 64 are met.
// After the backends, the same for the floor (FloorService): the order's checks and a group commit
// that writes nothing, what any durable SubmitOrder pays here before it stores anything. A
// benchmark, not a test: it exits 0 whenever it could measure.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/cpu.h"
#include "bench/exposition.h"
#include "bench/rounds.h"
#include "declarations/declaration_desk.h"
#include "declarations/document_rules.h"
#include "declarations/schema.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "parkline/bench/v1/echo.grpc.pb.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "runtime/grpc_status.h"
#include "runtime/server_threads.h"
#include "samples/import_sets.h"
#include "store/database.h"
#include "store/group_commit.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

using namespace parkline;

namespace {

namespace bv1 = bench::v1;
namespace dv1 = declarations::v1;
namespace ev1 = enterprises::v1;
using Declarations = testing::ServiceUnderTest<dv1::DeclarationService>;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;

constexpr int kConcurrencies[] = {1, 16, 64};
constexpr int64_t kMaxRequests = 2'000'000;  // per level, beside the time bound
// Issue #25's targets at concurrency 64: x echo (SQLite, PostgreSQL), and PostgreSQL's p99.
constexpr double kSqliteTarget = 0.45, kPostgresTarget = 0.2, kPostgresP99Ms = 25;
constexpr int kRounds = 3;  // paired echo/service rounds per level

// The yardstick: a sync gRPC service that copies its request back.
class EchoService final : public bv1::Echo::Service {
  grpc::Status Echo(grpc::ServerContext*, const bv1::EchoMessage* request,
                    bv1::EchoMessage* response) override {
    *response = *request;
    return grpc::Status::OK;
  }
};

// The floor under any durable SubmitOrder on this machine: what the service does before it
// stores anything, and nothing after. The order's checks as the service runs them (CheckOrder),
// its payload serialized as the desk stores it, then a hand-off to a group-commit writer (the
// service's GroupCommitter on SQLite) whose function writes nothing, so that its transaction
// commits without touching the disk; then the reply. Not in it: the bearer token's check,
// storage, matching, the outbox and the relay. It runs in this process, beside the echo, on the
// same server settings.
class FloorService final : public dv1::DeclarationService::Service {
 public:
  explicit FloorService(store::GroupCommitter& writer) : writer_(writer) {}

  grpc::Status SubmitOrder(grpc::ServerContext*, const dv1::SubmitOrderRequest* request,
                           dv1::DocumentReceipt* receipt) override {
    errors::Violations violations;
    declarations::CheckOrder(request->order(), "order", violations);
    if (!violations.empty()) return runtime::ToGrpcStatus(violations.ToStatus());
    std::string payload = request->order().SerializeAsString();
    absl::Status stored = writer_.Transact([&](store::Transaction&) {
      return payload.empty() ? absl::InternalError("empty order") : absl::OkStatus();
    });
    if (!stored.ok()) return runtime::ToGrpcStatus(stored);
    receipt->set_outcome(dv1::DOCUMENT_OUTCOME_ACCEPTED);
    return grpc::Status::OK;
  }

 private:
  store::GroupCommitter& writer_;
};

// One client thread's view of a target: Prepare(n) builds request n (not timed), Send() sends it.
class Client {
 public:
  virtual ~Client() = default;
  virtual void Prepare(int n) = 0;
  virtual absl::Status Send() = 0;
};
using ClientFactory = std::function<std::unique_ptr<Client>()>;

// A context as ServiceUnderTest::Call makes it: a deadline and the bearer token.
void PrepareContext(grpc::ClientContext& ctx) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", testing::kAdminToken));
}

class EchoClient final : public Client {
 public:
  explicit EchoClient(std::shared_ptr<grpc::Channel> channel)
      : stub_(bv1::Echo::NewStub(channel)) {}
  void Prepare(int n) override {
    request_.set_payload(samples::MakeImportSet(n).order.SerializeAsString());
  }
  absl::Status Send() override {
    grpc::ClientContext ctx;
    PrepareContext(ctx);
    bv1::EchoMessage response;
    return runtime::FromGrpcStatus(stub_->Echo(&ctx, request_, &response));
  }

 private:
  std::unique_ptr<bv1::Echo::Stub> stub_;
  bv1::EchoMessage request_;
};

class OrderClient final : public Client {
 public:
  OrderClient(std::shared_ptr<grpc::Channel> channel, samples::ImportCodes codes)
      : stub_(dv1::DeclarationService::NewStub(channel)), codes_(std::move(codes)) {}
  void Prepare(int n) override {
    *request_.mutable_order() = samples::MakeImportSet(n, codes_).order;
  }
  absl::Status Send() override {
    grpc::ClientContext ctx;
    PrepareContext(ctx);
    dv1::DocumentReceipt receipt;
    absl::Status status = runtime::FromGrpcStatus(stub_->SubmitOrder(&ctx, request_, &receipt));
    if (status.ok() && receipt.outcome() != dv1::DOCUMENT_OUTCOME_ACCEPTED) {
      return absl::InternalError(absl::StrCat("outcome ", receipt.outcome(), ", not ACCEPTED"));
    }
    return status;
  }

 private:
  std::unique_ptr<dv1::DeclarationService::Stub> stub_;
  samples::ImportCodes codes_;
  dv1::SubmitOrderRequest request_;
};

struct LevelResult {
  int concurrency = 0;
  int64_t ok = 0;
  int64_t errors = 0;
  std::string first_error;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  // Where the time went, in % of one core over the level (this machine may have several): the
  // whole host busy and in iowait, this process (clients, and the echo server), the service
  // process and its busiest thread (the group-commit writer, when that is the bottleneck), every
  // PostgreSQL process of the cluster together (other databases' work included) and the busiest
  // one (the writer's backend, when that is the bottleneck). -1 when not measured.
  double host_cpu = -1, iowait = -1, bench_cpu = -1, service_cpu = -1;
  double service_top_thread = -1, postgres_cpu = -1, postgres_top_process = -1;
  // PostgreSQL only: the database's committed and rolled back transactions over the level
  // (pg_stat_database, which a busy backend flushes about once a second). Every transaction of
  // the service counts, not only the group commits: the relay's and the lease's probes too.
  int64_t pg_commits = -1, pg_rollbacks = -1;
  // CPU seconds spent during the level's rounds, summed (per document: divided by `ok`): the host,
  // this process, the service, the Kafka broker, every PostgreSQL process.
  struct Used {
    double host = 0, bench = 0, service = 0, broker = 0, postgres = 0;
    // The service's, by ServiceThread.
    std::map<std::string, double> service_threads;
  } used;
  // The service's group commit over the level's rounds, from its /metrics: seconds its writer
  // spent in transactions (retries and commits included), transactions, functions (documents)
  // they carried. A writer in transactions nearly all the time is the service's limit whatever
  // its CPU: on PostgreSQL it mostly waits for its backend. Retried: the service's transactions
  // run again after a conflict or a busy file (parkline_store_transaction_retries_total), each a
  // whole transaction's work again. Waited, relay waited: seconds the writer's and the outbox
  // relay's SQLite transactions slept waiting for the file while another held it
  // (parkline_store_busy_wait_seconds_total).
  struct Writer {
    double seconds = 0, transactions = 0, functions = 0, retried = 0, waited = 0, relay_waited = 0;
  } writer;
  // The time the level's calls ran (all rounds together).
  double seconds = 0;
  // The CPU shares above times the seconds each round measured them, summed over the rounds
  // (AddWeightedUsage), until FinishWeightedUsage divides them.
  double weighted_seconds = 0;
};

// CPU and transaction counters at one moment (see LevelResult).
struct Usage {
  absl::Time at;
  double host_busy_s = 0, host_iowait_s = 0, bench_s = 0, service_s = -1, broker_s = 0;
  std::map<std::string, double> service_threads;      // tid -> CPU seconds
  std::map<std::string, std::string> service_thread;  // tid -> ServiceThread
  std::map<std::string, double> postgres;             // pid -> CPU seconds
  int64_t pg_commits = -1, pg_rollbacks = -1;
  // The group commit's counters on the service's /metrics (LevelResult::Writer); -1: not read.
  double writer_s = -1, transactions = -1, functions = -1, retried = -1, waited_s = -1,
         relay_waited_s = -1;
};

// The service's transactions run again after a transient failure, every cause the store names
// (store::TransientCause) together; a cause not seen yet has no series.
double Retried(const std::string& exposition) {
  double sum = 0;
  for (absl::string_view cause : store::kTransientCauses) {
    double n = bench::SampleValue(
        exposition, absl::StrCat("parkline_store_transaction_retries_total{cause=\"", cause,
                                 "\",outcome=\"retried\"}"));
    if (n > 0) sum += n;
  }
  return sum;
}

// What to watch besides this process and the host: the service's process, its PostgreSQL
// database.
struct Watch {
  pid_t service_pid = 0;
  store::Database* postgres = nullptr;
  int metrics_port = 0;  // the service's /metrics; 0: none
};

double ProcessCpuSeconds(const std::string& pid) { return bench::CpuSeconds("/proc/" + pid); }

bool IsPostgres(const std::string& proc) { return bench::CommandName(proc) == "postgres"; }

// The Kafka broker: a JVM whose main class is kafka.Kafka.
bool IsBroker(const std::string& proc) {
  if (bench::CommandName(proc) != "java") return false;
  std::ifstream in(proc + "/cmdline");
  std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return args.find(std::string("kafka.Kafka\0", 12)) != std::string::npos;
}

// The largest CPU increase of one entry between two samples, and the sum of them, in % of
// `wall` seconds.
std::pair<double, double> Increases(const std::map<std::string, double>& before,
                                    const std::map<std::string, double>& after, double wall) {
  double top = 0, sum = 0;
  for (const auto& [id, seconds] : after) {
    auto was = before.find(id);
    double increase = seconds - (was == before.end() ? 0 : was->second);
    top = std::max(top, increase);
    sum += increase;
  }
  return {100 * top / wall, 100 * sum / wall};
}

// The columns of the service's CPU by thread, from the threads' names (docs/operations.md).
constexpr const char* kServiceThreads[] = {"writer", "calls", "finish", "relay", "kafka", "rest"};
std::string ServiceThread(const std::string& name) {
  if (name == "pl-writer") return "writer";
  if (name == "pl-calls") return "calls";
  if (name == "pl-finish") return "finish";
  if (name == "pl-relay") return "relay";
  if (absl::StartsWith(name, "rdk:")) return "kafka";
  return "rest";  // gRPC's transport and timers, the metrics server, main
}

Usage Sample(const Watch& watch) {
  Usage u;
  u.at = absl::Now();
  bench::HostSeconds host = bench::HostCpu();
  u.host_busy_s = host.busy;
  u.host_iowait_s = host.iowait;
  u.bench_s = ProcessCpuSeconds("self");
  if (watch.service_pid > 0) {
    std::string pid = std::to_string(watch.service_pid);
    u.service_s = ProcessCpuSeconds(pid);
    u.service_threads =
        bench::CpuOfEach("/proc/" + pid + "/task", [](const std::string&) { return true; });
    for (const auto& [tid, seconds] : u.service_threads) {
      u.service_thread[tid] = ServiceThread(bench::CommandName("/proc/" + pid + "/task/" + tid));
    }
  }
  u.postgres = bench::CpuOfEach("/proc", IsPostgres);  // on every backend: it may run for others
  for (const auto& [pid, seconds] : bench::CpuOfEach("/proc", IsBroker)) u.broker_s += seconds;
  if (watch.metrics_port > 0) {
    const std::string text = testing::HttpGet(watch.metrics_port, "/metrics");
    u.writer_s = bench::SampleValue(text, "parkline_group_commit_seconds_sum");
    u.transactions = bench::SampleValue(text, "parkline_group_commit_batch_size_count");
    u.functions = bench::SampleValue(text, "parkline_group_commit_batch_size_sum");
    u.retried = Retried(text);
    u.waited_s = std::max(
        0.0,
        bench::SampleValue(text, "parkline_store_busy_wait_seconds_total{thread=\"pl-writer\"}"));
    u.relay_waited_s = std::max(
        0.0,
        bench::SampleValue(text, "parkline_store_busy_wait_seconds_total{thread=\"pl-relay\"}"));
  }
  if (watch.postgres != nullptr) {
    watch.postgres
        ->Read([&](store::Transaction& tx) -> absl::Status {
          auto rows = tx.Query(
              "SELECT xact_commit, xact_rollback FROM pg_stat_database "
              "WHERE datname = current_database()");
          if (!rows.ok() || rows->empty()) return absl::OkStatus();
          u.pg_commits = (*rows)[0].Int(0);
          u.pg_rollbacks = (*rows)[0].Int(1);
          return absl::OkStatus();
        })
        .IgnoreError();
  }
  return u;
}

// Adds the CPU seconds spent between `before` and `after` to `r.used`.
void AddUsed(LevelResult& r, const Usage& before, const Usage& after) {
  r.used.host += after.host_busy_s - before.host_busy_s;
  r.used.bench += after.bench_s - before.bench_s;
  if (before.service_s >= 0) r.used.service += after.service_s - before.service_s;
  r.used.broker += after.broker_s - before.broker_s;
  // Processes that ended meanwhile drop out of `after`: count only those seen both times.
  double postgres = 0;
  for (const auto& [pid, seconds] : after.postgres) {
    auto was = before.postgres.find(pid);
    if (was != before.postgres.end()) postgres += seconds - was->second;
  }
  r.used.postgres += postgres;
  for (const auto& [tid, seconds] : after.service_threads) {
    auto was = before.service_threads.find(tid);
    if (was == before.service_threads.end()) continue;
    r.used.service_threads[after.service_thread.at(tid)] += seconds - was->second;
  }
  if (before.writer_s >= 0 && after.writer_s >= 0) {
    r.writer.seconds += after.writer_s - before.writer_s;
    r.writer.transactions += after.transactions - before.transactions;
    r.writer.functions += after.functions - before.functions;
    r.writer.retried += after.retried - before.retried;
    r.writer.waited += after.waited_s - before.waited_s;
    r.writer.relay_waited += after.relay_waited_s - before.relay_waited_s;
  }
}

void AddUsage(LevelResult& r, const Usage& before, const Usage& after) {
  double wall = absl::ToDoubleSeconds(after.at - before.at);
  auto percent = [&](double seconds) { return 100 * seconds / wall; };
  r.host_cpu = percent(after.host_busy_s - before.host_busy_s);
  r.iowait = percent(after.host_iowait_s - before.host_iowait_s);
  r.bench_cpu = percent(after.bench_s - before.bench_s);
  if (before.service_s >= 0) {
    r.service_cpu = percent(after.service_s - before.service_s);
    r.service_top_thread = Increases(before.service_threads, after.service_threads, wall).first;
  }
  if (!after.postgres.empty()) {
    std::tie(r.postgres_top_process, r.postgres_cpu) =
        Increases(before.postgres, after.postgres, wall);
  }
  if (before.pg_commits >= 0 && after.pg_commits >= 0) {
    r.pg_commits = after.pg_commits - before.pg_commits;
    r.pg_rollbacks = after.pg_rollbacks - before.pg_rollbacks;
  }
}

// Adds the CPU shares of one round (`usage`, measured over `seconds`) to `total`.
void AddWeightedUsage(LevelResult& total, const LevelResult& usage, double seconds) {
  auto add = [&](double& sum, double share) {
    if (share < 0) return;  // not measured
    sum = std::max(sum, 0.0) + share * seconds;
  };
  add(total.host_cpu, usage.host_cpu);
  add(total.iowait, usage.iowait);
  add(total.bench_cpu, usage.bench_cpu);
  add(total.service_cpu, usage.service_cpu);
  add(total.service_top_thread, usage.service_top_thread);
  add(total.postgres_cpu, usage.postgres_cpu);
  add(total.postgres_top_process, usage.postgres_top_process);
  if (usage.pg_commits >= 0) {
    total.pg_commits = std::max<int64_t>(total.pg_commits, 0) + usage.pg_commits;
    total.pg_rollbacks = std::max<int64_t>(total.pg_rollbacks, 0) + usage.pg_rollbacks;
  }
  total.weighted_seconds += seconds;
}

void FinishWeightedUsage(LevelResult& total) {
  if (total.weighted_seconds <= 0) return;
  for (double* share :
       {&total.host_cpu, &total.iowait, &total.bench_cpu, &total.service_cpu,
        &total.service_top_thread, &total.postgres_cpu, &total.postgres_top_process}) {
    if (*share >= 0) *share /= total.weighted_seconds;
  }
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// Runs `concurrency` blocking client threads for `duration` (or kMaxRequests calls); request
// numbers come from `next`, so that no two calls of one target ever send the same document.
// The latencies of the calls that succeeded go to `latencies` when given.
LevelResult Drive(const ClientFactory& factory, int concurrency, absl::Duration duration,
                  std::atomic<int>& next, std::vector<double>* latencies = nullptr) {
  struct PerThread {
    std::vector<double> latencies_ms;
    int64_t errors = 0;
    std::string first_error;
  };
  std::vector<PerThread> results(concurrency);
  std::atomic<int64_t> issued{0};
  std::vector<std::thread> threads;
  absl::Time start = absl::Now();
  absl::Time deadline = start + duration;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<Client> client = factory();
      PerThread& mine = results[t];
      mine.latencies_ms.reserve(4096);
      while (issued++ < kMaxRequests && absl::Now() < deadline) {
        client->Prepare(next++);
        absl::Time t0 = absl::Now();
        absl::Status status = client->Send();
        double ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
        if (status.ok()) {
          mine.latencies_ms.push_back(ms);
        } else if (mine.errors++ == 0) {
          mine.first_error = status.ToString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  absl::Duration elapsed = absl::Now() - start;

  LevelResult r;
  r.concurrency = concurrency;
  std::vector<double> all;
  for (auto& mine : results) {
    all.insert(all.end(), mine.latencies_ms.begin(), mine.latencies_ms.end());
    r.errors += mine.errors;
    if (r.first_error.empty()) r.first_error = mine.first_error;
  }
  std::sort(all.begin(), all.end());
  r.ok = static_cast<int64_t>(all.size());
  r.seconds = absl::ToDoubleSeconds(elapsed);
  r.per_second = static_cast<double>(r.ok) / r.seconds;
  r.p50_ms = Percentile(all, 0.50);
  r.p99_ms = Percentile(all, 0.99);
  if (latencies != nullptr) *latencies = std::move(all);
  return r;
}

// Adds `round` to `total`, which sums the calls, errors and time of every round of a level.
void Accumulate(LevelResult& total, const LevelResult& round, std::vector<double>& latencies,
                std::vector<double> round_latencies) {
  total.concurrency = round.concurrency;
  total.ok += round.ok;
  total.errors += round.errors;
  if (total.first_error.empty()) total.first_error = round.first_error;
  total.seconds += round.seconds;
  latencies.insert(latencies.end(), round_latencies.begin(), round_latencies.end());
}

void Finish(LevelResult& total, std::vector<double>& latencies) {
  std::sort(latencies.begin(), latencies.end());
  total.per_second = total.seconds > 0 ? static_cast<double>(total.ok) / total.seconds : 0;
  total.p50_ms = Percentile(latencies, 0.50);
  total.p99_ms = Percentile(latencies, 0.99);
}

// The echo and the service at the same concurrency, in kRounds alternating rounds (echo, then
// service) of `per_level / kRounds` each, so that both meet the same machine: this one's speed
// drifts by a third from minute to minute, which alone moved a ratio of figures measured a
// minute apart between 0.23 and 0.43. The ratio is the median of the rounds' ratios.
struct PairedLevel {
  LevelResult echo;
  LevelResult service;
  bench::Spread ratio;  // the rounds' ratios
};

// A warm-up of each (connections, server threads, caches), then every concurrency level.
std::vector<PairedLevel> MeasurePaired(const ClientFactory& echo, std::atomic<int>& echo_next,
                                       const ClientFactory& service, std::atomic<int>& next,
                                       absl::Duration per_level, const Watch& watch) {
  Drive(echo, 16, absl::Seconds(1), echo_next);
  Drive(service, 16, absl::Seconds(1), next);
  std::vector<PairedLevel> levels;
  for (int c : kConcurrencies) {
    PairedLevel level;
    std::vector<double> echo_latencies, service_latencies, ratios;
    for (int round = 0; round < kRounds; ++round) {
      std::vector<double> latencies;
      LevelResult e = Drive(echo, c, per_level / kRounds, echo_next, &latencies);
      Accumulate(level.echo, e, echo_latencies, std::move(latencies));
      Usage before = Sample(watch);
      LevelResult r = Drive(service, c, per_level / kRounds, next, &latencies);
      // CPU shares are averaged over the service's rounds (weighted by their length).
      LevelResult usage;
      Usage after = Sample(watch);
      AddUsage(usage, before, after);
      AddUsed(level.service, before, after);
      AddWeightedUsage(level.service, usage, r.seconds);
      Accumulate(level.service, r, service_latencies, std::move(latencies));
      if (e.per_second > 0) ratios.push_back(r.per_second / e.per_second);
    }
    Finish(level.echo, echo_latencies);
    Finish(level.service, service_latencies);
    FinishWeightedUsage(level.service);
    level.ratio = bench::Summarize(ratios);
    levels.push_back(level);
  }
  return levels;
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
}

// Ten random digits: customs codes of this run only.
std::string RunCode(std::mt19937_64& rng) { return absl::StrCat(1000000000 + rng() % 8999999999); }

// Admits the four enterprises of a document set in the registry; returns them as admitted.
absl::StatusOr<std::vector<ev1::Enterprise>> AdmitParties(Enterprises& enterprises,
                                                          const samples::ImportCodes& codes) {
  const std::vector<std::pair<std::string, ev1::EnterpriseRole>> parties = {
      {codes.platform, ev1::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM},
      {codes.enterprise, ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE},
      {codes.payment, ev1::ENTERPRISE_ROLE_PAYMENT},
      {codes.logistics, ev1::ENTERPRISE_ROLE_LOGISTICS}};
  std::vector<ev1::Enterprise> admitted;
  for (const auto& [code, role] : parties) {
    ev1::AdmitEnterpriseRequest admit;
    admit.mutable_enterprise()->set_uscc(testing::RandomUscc());
    admit.mutable_enterprise()->set_customs_code(code);
    admit.mutable_enterprise()->set_name("Bench " + code);
    admit.mutable_enterprise()->add_roles(role);
    admit.mutable_enterprise()->mutable_move_in_date()->set_year(2024);
    admit.mutable_enterprise()->mutable_move_in_date()->set_month(1);
    admit.mutable_enterprise()->mutable_move_in_date()->set_day(1);
    ev1::Enterprise out;
    absl::Status s = enterprises.Call(&ev1::EnterpriseService::Stub::AdmitEnterprise, admit, &out);
    if (!s.ok()) return s;
    admitted.push_back(out);
  }
  return admitted;
}

// Applies the registry's EnterpriseAdmitted events of `admitted` to the resident projection of
// the declarations database at `url`, through the service's own handler, before the service
// starts. Why not wait for them through Kafka: the residents consumer group id is fixed
// ("parkline-declarations-residents"), so every other declarations process on the same broker (a
// developer's tools/dev up, an e2e test running meanwhile) takes a share of the registry topic's
// partitions, and this process would never see the parties whose USCC hashes there.
absl::Status SeedResidents(const std::string& url, const std::vector<ev1::Enterprise>& admitted) {
  auto db = store::Database::Open(url);
  if (!db.ok()) return db.status();
  if (auto s = events::ApplyEventsSchema(**db); !s.ok()) return s;
  if (auto s = declarations::ApplySchema(**db); !s.ok()) return s;
  return (*db)->Transact([&](store::Transaction& tx) -> absl::Status {
    for (const ev1::Enterprise& e : admitted) {
      ev1::EnterpriseAdmitted event;
      *event.mutable_enterprise() = e;
      if (auto s = residents::OnAdmitted(tx, event); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

// Sends order `n` until the declarations service accepts it (INVALID_ARGUMENT NOT_RESIDENT until
// the parties are resident there).
absl::Status WaitResident(Declarations& declarations, const samples::ImportCodes& codes, int n) {
  dv1::SubmitOrderRequest request;
  *request.mutable_order() = samples::MakeImportSet(n, codes).order;
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  absl::Status status;
  do {
    dv1::DocumentReceipt out;
    status = declarations.Call(&dv1::DeclarationService::Stub::SubmitOrder, request, &out);
    if (absl::IsInvalidArgument(status)) absl::SleepFor(absl::Milliseconds(100));
  } while (absl::IsInvalidArgument(status) && absl::Now() < deadline);
  return status;
}

void PrintLogTail(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t from = lines.size() > 10 ? lines.size() - 10 : 0;
  std::fprintf(stderr, "last lines of %s:\n", path.c_str());
  for (size_t i = from; i < lines.size(); ++i) std::fprintf(stderr, "  %s\n", lines[i].c_str());
}

// Admits fresh parties, seeds them into a new declarations database at `database_url`, starts a
// declarations process on it and measures. nullopt when it could not get that far (said on
// stderr).
std::optional<std::vector<PairedLevel>> MeasureDeclarations(
    Enterprises& enterprises, const std::string& prefix, const std::string& database_url,
    const std::string& dir, const std::string& name, absl::Duration per_level,
    const ClientFactory& echo, std::atomic<int>& echo_next, std::mt19937_64& rng) {
  samples::ImportCodes codes{RunCode(rng), RunCode(rng), RunCode(rng), RunCode(rng)};
  auto admitted = AdmitParties(enterprises, codes);
  if (!admitted.ok()) {
    std::fprintf(stderr, "%s: admitting the parties: %s\n", name.c_str(),
                 admitted.status().ToString().c_str());
    return std::nullopt;
  }
  if (absl::Status s = SeedResidents(database_url, *admitted); !s.ok()) {
    std::fprintf(stderr, "%s: seeding the residents: %s\n", name.c_str(), s.ToString().c_str());
    return std::nullopt;
  }
  Declarations declarations(DECLARATIONS_BINARY, name, dir,
                            {{"PARKLINE_DATABASE_URL", database_url},
                             {"PARKLINE_LOG_LEVEL", "warn"},
                             {"PARKLINE_TOPIC_PREFIX", prefix}});
  if (declarations.WaitServing(absl::Seconds(30)) !=
      grpc::health::v1::HealthCheckResponse::SERVING) {
    std::fprintf(stderr, "%s: the declarations service did not become SERVING\n", name.c_str());
    PrintLogTail(dir + "/" + name + ".log");
    return std::nullopt;
  }
  std::atomic<int> next{static_cast<int>(rng() % 80'000'000)};
  if (absl::Status s = WaitResident(declarations, codes, next++); !s.ok()) {
    std::fprintf(stderr, "%s: the first order was refused: %s\n", name.c_str(),
                 s.ToString().c_str());
    PrintLogTail(dir + "/" + name + ".log");
    return std::nullopt;
  }

  // PostgreSQL's own counters, read through a connection of this process.
  std::unique_ptr<store::Database> stats;
  if (absl::StartsWith(database_url, "postgresql")) {
    if (auto db = store::Database::Open(database_url); db.ok()) stats = std::move(*db);
  }
  Watch watch{declarations.process().pid(), stats.get(), declarations.metrics_port()};
  auto channel = Channel(declarations.grpc_port());
  auto levels = MeasurePaired(
      echo, echo_next, [&] { return std::make_unique<OrderClient>(channel, codes); }, next,
      per_level, watch);
  // Stop it now (its consumer leaves the group at once, so the next one gets every partition).
  declarations.process().Signal(SIGTERM);
  declarations.process().Wait(absl::Seconds(10));
  return levels;
}

void PrintRow(const std::string& name, const LevelResult& r, const std::string& ratio) {
  std::printf("%-10s %11d %9lld %7lld %11.0f %8.2f %8.2f %8s\n", name.c_str(), r.concurrency,
              static_cast<long long>(r.ok), static_cast<long long>(r.errors), r.per_second,
              r.p50_ms, r.p99_ms, ratio.c_str());
  if (r.errors > 0) std::printf("           first error: %s\n", r.first_error.c_str());
}

void PrintRows(const std::string& backend, const std::vector<PairedLevel>& levels) {
  for (const PairedLevel& level : levels) PrintRow("echo", level.echo, "1.00");
  for (const PairedLevel& level : levels) {
    PrintRow(backend, level.service,
             absl::StrFormat("%.2f  (rounds %.2f-%.2f)", level.ratio.median, level.ratio.low,
                             level.ratio.high));
  }
}

// Where the time went: CPU in % of one core (this host has several), the busiest thread of the
// service and PostgreSQL, and PostgreSQL's transactions.
void PrintUsage(const std::vector<std::pair<std::string, std::vector<PairedLevel>>>& rows) {
  std::printf(
      "\nwhere the time went, CPU in %% of one core (%ld cores here): host = all busy; bench = "
      "this "
      "process (clients, echo server); service = the declarations process, svc top = its busiest "
      "thread; pg = every PostgreSQL process, pg top = the busiest; other = host - bench - service "
      "- pg; pg xacts/rollbk = the database's transactions (all of them: group commits, relay "
      "and lease probes)\n",
      sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("%-10s %11s %6s %6s %6s %8s %7s %6s %6s %6s %8s %9s\n", "backend", "concurrency",
              "host", "iowait", "bench", "service", "svc top", "pg", "pg top", "other", "pg xacts",
              "pg rollbk");
  auto percent = [](double v) { return v >= 0 ? absl::StrFormat("%.0f%%", v) : std::string("-"); };
  for (const auto& [backend, levels] : rows) {
    for (const PairedLevel& level : levels) {
      const LevelResult& r = level.service;
      double other =
          r.host_cpu - r.bench_cpu - std::max(0.0, r.service_cpu) - std::max(0.0, r.postgres_cpu);
      std::printf("%-10s %11d %6s %6s %6s %8s %7s %6s %6s %6s %8s %9s\n", backend.c_str(),
                  r.concurrency, percent(r.host_cpu).c_str(), percent(r.iowait).c_str(),
                  percent(r.bench_cpu).c_str(),
                  r.service_cpu >= 0 ? percent(r.service_cpu).c_str() : "in bench",
                  percent(r.service_top_thread).c_str(), percent(r.postgres_cpu).c_str(),
                  percent(r.postgres_top_process).c_str(), percent(std::max(0.0, other)).c_str(),
                  r.pg_commits >= 0 ? absl::StrCat(r.pg_commits).c_str() : "-",
                  r.pg_rollbacks >= 0 ? absl::StrCat(r.pg_rollbacks).c_str() : "-");
    }
  }
}

// The group commit's writer per level (LevelResult::Writer); levels without it are left out.
void PrintWriter(const std::vector<std::pair<std::string, std::vector<PairedLevel>>>& rows) {
  std::printf(
      "\nthe group commit's writer (from the service's /metrics): busy = the share of the time it "
      "spent in transactions (a single writer near 100%% is the limit, whatever its CPU); "
      "docs/txn = documents per transaction; ms/txn = its mean transaction; retried = the "
      "service's transactions run again after a conflict or a busy file; waited, relay = the "
      "time the writer's and the outbox relay's SQLite transactions slept waiting for the file "
      "(the writer's within busy), in %% of the level's time\n");
  std::printf("%-10s %11s %6s %9s %8s %7s %8s %7s %7s\n", "backend", "concurrency", "busy", "txns",
              "docs/txn", "ms/txn", "retried", "waited", "relay");
  for (const auto& [backend, levels] : rows) {
    for (const PairedLevel& level : levels) {
      const LevelResult& r = level.service;
      const LevelResult::Writer& w = r.writer;
      if (w.transactions <= 0 || r.seconds <= 0) continue;
      std::printf("%-10s %11d %5.0f%% %9.0f %8.1f %7.2f %8.0f %6.1f%% %6.1f%%\n", backend.c_str(),
                  r.concurrency, 100 * w.seconds / r.seconds, w.transactions,
                  w.functions / w.transactions, 1000 * w.seconds / w.transactions, w.retried,
                  100 * w.waited / r.seconds, 100 * w.relay_waited / r.seconds);
    }
  }
}

// CPU per document by process, in microseconds: what each accepted document cost the host, the
// service (on SQLite the database works inside it), the Kafka broker (the relay's events), every
// PostgreSQL process, and this process (the clients).
void PrintPerDocument(const std::vector<std::pair<std::string, std::vector<PairedLevel>>>& rows) {
  std::printf(
      "\nCPU per document, us: host = all; service = the declarations process (on SQLite the "
      "database too); broker = the Kafka broker; pg = every PostgreSQL process (PostgreSQL rows "
      "only); bench = the "
      "clients\n");
  std::printf("%-10s %11s %8s %8s %8s %8s %8s\n", "backend", "concurrency", "host", "service",
              "broker", "pg", "bench");
  for (const auto& [backend, levels] : rows) {
    for (const PairedLevel& level : levels) {
      const LevelResult& r = level.service;
      if (r.ok <= 0) continue;
      auto us = [&](double seconds) { return 1e6 * seconds / static_cast<double>(r.ok); };
      // On SQLite and the floor the PostgreSQL processes work for others (other tests): not shown.
      std::string service =
          r.used.service > 0 ? absl::StrFormat("%.0f", us(r.used.service)) : "in bench";
      std::string postgres = r.pg_commits >= 0 ? absl::StrFormat("%.0f", us(r.used.postgres)) : "-";
      std::printf("%-10s %11d %8.0f %8s %8.0f %8s %8.0f\n", backend.c_str(), r.concurrency,
                  us(r.used.host), service.c_str(), us(r.used.broker), postgres.c_str(),
                  us(r.used.bench));
    }
  }
  std::printf(
      "\nthe service's CPU per document by thread, us: writer = the group commit's one writer "
      "(every durable transaction); calls = the calls' checks; finish = answering the calls "
      "committed; relay = the outbox relay; kafka = librdkafka's threads; rest = gRPC's "
      "transport, timers and the rest\n");
  std::printf("%-10s %11s", "backend", "concurrency");
  for (const char* column : kServiceThreads) std::printf(" %8s", column);
  std::printf("\n");
  for (const auto& [backend, levels] : rows) {
    for (const PairedLevel& level : levels) {
      const LevelResult& r = level.service;
      if (r.ok <= 0 || r.used.service_threads.empty()) continue;
      std::printf("%-10s %11d", backend.c_str(), r.concurrency);
      for (const char* column : kServiceThreads) {
        auto it = r.used.service_threads.find(column);
        double seconds = it == r.used.service_threads.end() ? 0 : it->second;
        std::printf(" %8.0f", 1e6 * seconds / static_cast<double>(r.ok));
      }
      std::printf("\n");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  runtime::DisableMutexDeadlockDetection();  // as the services do: equal terms for the echo
  double seconds = argc > 1 ? std::atof(argv[1]) : 5;
  if (seconds <= 0 || seconds > 60) seconds = 5;
  absl::Duration per_level = absl::Seconds(seconds);
  absl::Time run_start = absl::Now();
  std::mt19937_64 rng{std::random_device{}()};

  // The echo server, in this process.
  EchoService echo_service;
  int echo_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &echo_port);
  builder.RegisterService(&echo_service);
  runtime::ConfigureSyncServer(builder);  // the services' thread settings: equal terms
  std::unique_ptr<grpc::Server> echo_server = builder.BuildAndStart();
  if (echo_server == nullptr || echo_port == 0) {
    std::fprintf(stderr, "echo server did not start\n");
    return 1;
  }

  // The registry and its topic; the declarations processes follow, one backend at a time.
  // Topics of this run's own (PARKLINE_TOPIC_PREFIX): nothing the benchmark admits or submits
  // reaches a developer's park on the same broker.
  const std::string prefix = testing::UniqueTopic("bench") + ".";
  for (const char* topic : {"parkline.enterprises.v1", "parkline.declarations.v1",
                            "parkline.clearance.v1", "parkline.deadletter.v1"}) {
    if (absl::Status s = testing::CreateTopic(prefix + topic, 3); !s.ok()) {
      std::fprintf(stderr, "broker: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  testing::TempDir dir;
  Enterprises enterprises(ENTERPRISES_BINARY, "enterprises", dir.path(),
                          {{"PARKLINE_LOG_LEVEL", "warn"}, {"PARKLINE_TOPIC_PREFIX", prefix}});
  if (enterprises.WaitServing(absl::Seconds(30)) !=
      grpc::health::v1::HealthCheckResponse::SERVING) {
    std::fprintf(stderr, "the enterprises service did not become SERVING\n");
    PrintLogTail(dir.path() + "/enterprises.log");
    return 1;
  }

  std::printf(
      "declarations_bench: %.1f s per level and target, in %d alternating echo/service rounds, "
      "after a 1 s warm-up; blocking client threads sharing one channel per target; %zu-byte "
      "orders\n",
      seconds, kRounds, samples::MakeImportSet(1).order.ByteSizeLong());
  std::fflush(stdout);

  std::atomic<int> echo_next{1};
  auto echo_channel = Channel(echo_port);
  ClientFactory echo = [&] { return std::make_unique<EchoClient>(echo_channel); };

  std::vector<std::pair<std::string, std::vector<PairedLevel>>> rows;
  std::vector<std::string> skipped;
  testing::TestDatabase sqlite("sqlite");
  if (auto levels = MeasureDeclarations(enterprises, prefix, sqlite.url(), dir.path(),
                                        "decl-sqlite", per_level, echo, echo_next, rng)) {
    rows.emplace_back("sqlite", *levels);
  } else {
    skipped.push_back("sqlite: failed to start or become resident (see above)");
  }
  testing::TestDatabase postgres("postgresql");
  if (postgres.url().empty()) {
    skipped.push_back("postgresql: skipped, PARKLINE_TEST_POSTGRES_URL is not set");
  } else if (auto levels =
                 MeasureDeclarations(enterprises, prefix, postgres.url(), dir.path(),
                                     "decl-postgresql", per_level, echo, echo_next, rng)) {
    rows.emplace_back("postgresql", *levels);
  } else {
    skipped.push_back("postgresql: failed to start or become resident (see above)");
  }
  // The floor (FloorService), in this process too, paired with the echo like the backends.
  std::vector<PairedLevel> floor_levels;
  {
    testing::TestDatabase floor_db("sqlite");
    auto db = store::Database::Open(floor_db.url());
    if (!db.ok()) {
      skipped.push_back("floor: " + db.status().ToString());
    } else {
      store::GroupCommitter writer(**db);
      FloorService floor_service(writer);
      int floor_port = 0;
      grpc::ServerBuilder floor_builder;
      floor_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &floor_port);
      floor_builder.RegisterService(&floor_service);
      runtime::ConfigureSyncServer(floor_builder);
      std::unique_ptr<grpc::Server> floor_server = floor_builder.BuildAndStart();
      if (floor_server == nullptr || floor_port == 0) {
        skipped.push_back("floor: its server did not start");
      } else {
        auto channel = Channel(floor_port);
        samples::ImportCodes codes{RunCode(rng), RunCode(rng), RunCode(rng), RunCode(rng)};
        std::atomic<int> floor_next{1};
        floor_levels = MeasurePaired(
            echo, echo_next, [&] { return std::make_unique<OrderClient>(channel, codes); },
            floor_next, per_level, Watch{});
        floor_server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
      }
    }
  }
  echo_server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));

  std::printf("\n%-10s %11s %9s %7s %11s %8s %8s %8s\n", "backend", "concurrency", "requests",
              "errors", "docs/s", "p50 ms", "p99 ms", "x echo");
  for (const auto& [backend, levels] : rows) PrintRows(backend, levels);
  if (!floor_levels.empty()) PrintRows("floor", floor_levels);
  for (const std::string& s : skipped) std::printf("%s\n", s.c_str());
  std::printf(
      "floor = checks, then a group commit that writes nothing, in this process (FloorService): "
      "what any durable SubmitOrder pays here before it stores anything\n");
  auto with_floor = rows;
  if (!floor_levels.empty()) with_floor.emplace_back("floor", floor_levels);
  PrintUsage(with_floor);
  PrintWriter(with_floor);
  PrintPerDocument(with_floor);
  std::printf(
      "\ntargets at concurrency 64 (#25): sqlite at least %.2fx the echo; postgresql at least "
      "%.2fx with p99 at most %.0f ms\n",
      kSqliteTarget, kPostgresTarget, kPostgresP99Ms);
  for (const auto& [backend, levels] : rows) {
    double ratio = levels.back().ratio.median;
    double p99 = levels.back().service.p99_ms;
    bool met = backend == "sqlite" ? ratio >= kSqliteTarget
                                   : ratio >= kPostgresTarget && p99 <= kPostgresP99Ms;
    std::printf("  %-10s %.2fx, p99 %.1f ms: %s\n", backend.c_str(), ratio, p99,
                met ? "met" : "missed");
  }
  std::printf("run took %.1f s\n", absl::ToDoubleSeconds(absl::Now() - run_start));
  return 0;
}
