// The park under chaos: enterprises, declarations and statistics as processes on one database
// backend and one broker, each restarted when it dies (a kill -9 from the suite, or a fault
// point's exit) on the same database, as a supervisor (systemd, Kubernetes) would.
#ifndef PARKLINE_TESTS_CHAOS_PARK_H_
#define PARKLINE_TESTS_CHAOS_PARK_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "tests/support/service_process.h"

namespace parkline::chaos {

using Declarations = testing::ServiceUnderTest<declarations::v1::DeclarationService>;
using Enterprises = testing::ServiceUnderTest<enterprises::v1::EnterpriseService>;
using Statistics = testing::ServiceUnderTest<statistics::v1::StatisticsService>;

struct ParkOptions {
  std::string dir;           // logs, SQLite files, callers and key files
  std::string topic_prefix;  // the scenario's own topics
  // Per service ("enterprises", "declarations", "statistics"): extra environment, e.g. a
  // PostgreSQL PARKLINE_DATABASE_URL or PARKLINE_FAULT.
  std::map<std::string, std::map<std::string, std::string>> env;
};

class Park {
 public:
  explicit Park(ParkOptions options);
  ~Park();

  // Every service SERVING within `timeout`.
  bool WaitServing(absl::Duration timeout);

  // The running process of each service (a new one after a restart: hold it for one call).
  std::shared_ptr<Enterprises> enterprises();
  std::shared_ptr<Declarations> declarations();
  std::shared_ptr<Statistics> statistics();

  // kill -9 of `name`; the supervisor starts it again.
  void Kill(const std::string& name);
  // Stops restarting `name`'s faults: the scenario's faults are over, let it converge.
  void Disarm(const std::string& name);
  int restarts() const { return restarts_; }

 private:
  std::shared_ptr<testing::ServiceProcess> Start(const std::string& name);
  void Supervise();

  ParkOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<testing::ServiceProcess>> running_;
  std::atomic<int> restarts_{0};
  std::atomic<bool> stopping_{false};
  std::thread supervisor_;
};

}  // namespace parkline::chaos

#endif  // PARKLINE_TESTS_CHAOS_PARK_H_
