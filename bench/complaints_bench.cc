// The complaint desk in process on SQLite and PostgreSQL (when PARKLINE_TEST_POSTGRES_URL names
// a server): how fast complaints are filed and moved along the workflow by concurrent callers
// (every write durable before it returns, group-committed), how long verifying the whole
// record's hash chains takes, and one supervision pass over every open complaint.
//
//   build/bench/complaints_bench [complaints=2000] [threads=8]
//
// Prints per backend: filings/s with p50 and p99 latency, workflow steps/s, entries verified/s,
// and the supervision pass. A benchmark, not a test: it exits 0 whenever it could measure.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "calendar/calendar_data.h"
#include "complaints/complaint_desk.h"
#include "complaints/schema.h"
#include "events/schema.h"
#include "store/group_commit.h"
#include "tests/support/test_env.h"

namespace parkline::complaints {
namespace {

struct Latencies {
  std::vector<double> ms;
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  }
};

// Runs fn(i) for i in [0, n) on `threads` threads; returns the seconds it took and each latency.
template <typename Fn>
double Parallel(int n, int threads, Latencies& latencies, Fn fn) {
  std::atomic<int> next{0};
  std::vector<std::vector<double>> per(threads);
  absl::Time start = absl::Now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = next++; i < n; i = next++) {
        absl::Time s = absl::Now();
        fn(i);
        per[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - s));
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& v : per) latencies.ms.insert(latencies.ms.end(), v.begin(), v.end());
  return absl::ToDoubleSeconds(absl::Now() - start);
}

void Run(const std::string& backend, int n, int threads) {
  testing::TestDatabase database(backend);
  if (database.url().empty()) {
    std::printf("%s: skipped (PARKLINE_TEST_POSTGRES_URL is not set)\n", backend.c_str());
    return;
  }
  auto db = store::Database::Open(database.url());
  if (!db.ok() || !events::ApplyEventsSchema(**db).ok() || !ApplySchema(**db).ok()) {
    std::printf("%s: cannot open the database\n", backend.c_str());
    return;
  }
  absl::TimeZone park;
  absl::LoadTimeZone("Asia/Shanghai", &park);
  ComplaintDeadline deadlines(*WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar),
                              park);
  RoutingRules routing;
  store::GroupCommitter writer(**db);
  std::atomic<int64_t> now_micros{absl::ToUnixMicros(absl::Now())};
  ComplaintDesk desk(**db, writer, nullptr, deadlines, routing,
                     [&] { return absl::FromUnixMicros(now_micros.load()); });
  Viewer staff{"bench-staff", true, ""};
  std::vector<std::string> ids(n);
  std::atomic<int> failures{0};

  Latencies file_lat;
  double file_s = Parallel(n, threads, file_lat, [&](int i) {
    v1::FileComplaintRequest r;
    r.set_request_id(absl::StrCat("bench-", i));
    r.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC);
    r.mutable_complainant()->mutable_contact()->set_phone("+86-571-0000-0000");
    r.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR);
    r.set_category(static_cast<v1::Category>(1 + i % 7));
    r.set_channel(static_cast<v1::Channel>(1 + i % 5));
    r.set_description(
        "A benchmark complaint about the facilities of the park, of ordinary length.");
    auto c = desk.File(r, staff);
    if (c.ok()) {
      ids[i] = c->complaint_id();
    } else {
      failures++;
    }
  });

  // Three of four complaints go all the way to CLOSED (5 steps); the rest stay RECEIVED.
  Latencies step_lat;
  int steps = 0;
  for (int i = 0; i < n; ++i) steps += i % 4 == 3 ? 0 : 5;
  double step_s = Parallel(n, threads, step_lat, [&](int i) {
    if (i % 4 == 3) return;
    for (Action a : {Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation,
                     Action::kRespond, Action::kClose}) {
      StepRequest s;
      s.complaint_id = ids[i];
      s.response = "answered";
      s.satisfaction = 4;
      if (!desk.Step(a, s, staff).ok()) failures++;
    }
  });

  absl::Time v0 = absl::Now();
  auto report = desk.Verify(v1::VerifyRecordRequest());
  double verify_s = absl::ToDoubleSeconds(absl::Now() - v0);

  now_micros += absl::ToInt64Microseconds(absl::Hours(24 * 30));
  SupervisionJob job(desk, [&] { return absl::FromUnixMicros(now_micros.load()); });
  absl::Time s0 = absl::Now();
  auto marked = job.RunOnce();
  double supervise_s = absl::ToDoubleSeconds(absl::Now() - s0);

  std::printf(
      "%s, %d complaints, %d threads:\n"
      "  file        %8.0f /s   p50 %.2f ms   p99 %.2f ms\n"
      "  steps       %8.0f /s   (%d steps; per complaint's 5 steps p50 %.2f ms)\n"
      "  verify all  %8.0f entries/s   (%lld complaints, %lld entries in %.3f s, intact=%s)\n"
      "  supervision %d deadlines marked overdue in %.3f s\n"
      "  failures    %d\n",
      backend.c_str(), n, threads, n / file_s, file_lat.Percentile(0.5), file_lat.Percentile(0.99),
      steps / step_s, steps, step_lat.Percentile(0.5),
      report.ok() ? report->entries_checked() / verify_s : 0.0,
      report.ok() ? static_cast<long long>(report->complaints_checked()) : 0LL,
      report.ok() ? static_cast<long long>(report->entries_checked()) : 0LL, verify_s,
      report.ok() && report->intact() ? "yes" : "no", marked.ok() ? *marked : -1, supervise_s,
      failures.load());
}

}  // namespace
}  // namespace parkline::complaints

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  for (const char* backend : {"sqlite", "postgresql"}) {
    parkline::complaints::Run(backend, n, threads);
  }
  return 0;
}
