// Helpers for integration and end-to-end tests: the real local Kafka broker (started by
// tools/kafka/kafka.sh; PARKLINE_KAFKA_BROKERS, default 127.0.0.1:9092), temporary folders,
// free ports, child processes and a minimal HTTP GET for /metrics.
#ifndef PARKLINE_TESTS_SUPPORT_TEST_ENV_H_
#define PARKLINE_TESTS_SUPPORT_TEST_ENV_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "events/envelope.h"
#include "store/database.h"

namespace parkline::testing {

std::string KafkaBrokers();

// A fresh, empty folder under the system's temporary directory, removed by the destructor unless
// the test running has failed (then kept, and its path printed, for the logs it holds).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The store backends the tests run on: "sqlite" and "postgresql". PostgreSQL needs
// PARKLINE_TEST_POSTGRES_URL to name a server (tools/dev test starts one and sets it); without it
// those cases skip, saying so.
std::vector<std::string> StoreBackends();

// A new, empty database of `backend` for one test, dropped by the destructor: a file in a
// temporary folder for SQLite, a database of its own on the test server for PostgreSQL. Its url()
// is empty when the backend is not available here (the test should GTEST_SKIP).
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<TempDir> dir_;
  std::string name_;  // PostgreSQL database name
  std::string url_;
};

// Opens the database at `url` with the events schema (outbox, consumed events) and a service's
// own, as the service's main does.
absl::StatusOr<std::unique_ptr<store::Database>> OpenServiceDatabase(
    const std::string& url, const std::function<absl::Status(store::Database&)>& apply_schema);

// A TCP port on 127.0.0.1 that nothing listens on right now, outside the kernel's ephemeral
// ports, and not handed out before by this process.
int FreePort();

// Creates a topic on the broker (no error when it exists).
absl::Status CreateTopic(const std::string& name, int partitions);

// A unique topic name for one test: "test.<prefix>.<random>".
std::string UniqueTopic(const std::string& prefix);

struct ConsumedRecord {
  std::string key;
  std::string value;
  events::Headers headers;
  int32_t partition;
  int64_t offset;
};

// Reads `topic` from the beginning, keeping the records `keep` accepts, until `done` says so
// or `timeout` passes; returns the kept records.
std::vector<ConsumedRecord> ReadTopic(
    const std::string& topic, absl::Duration timeout,
    const std::function<bool(const ConsumedRecord&)>& keep,
    const std::function<bool(const std::vector<ConsumedRecord>&)>& done);

// The first `want` records of `topic` (fewer if `timeout` passes first).
std::vector<ConsumedRecord> ReadTopic(const std::string& topic, size_t want,
                                      absl::Duration timeout);

std::string Header(const ConsumedRecord& record, const std::string& name);

// A child process (fork + exec) with its output appended to a log file.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env, const std::string& log_path);
  ~ChildProcess();
  pid_t pid() const { return pid_; }
  void Signal(int signal);
  // The exit status (or 128 + signal) once it has ended within `timeout`.
  std::optional<int> Wait(absl::Duration timeout);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// GET http://127.0.0.1:<port><path>; the body, or "" on error.
std::string HttpGet(int port, const std::string& path);

// A getenv that knows only `vars`, for runtime::ApplyEnvironment: a test sets PARKLINE_*
// variables without touching the process environment other tests read.
std::function<const char*(const char*)> FakeGetenv(std::map<std::string, std::string> vars);

// A valid USCC that no other test run uses (random organisation code, correct check character).
std::string RandomUscc();

// The USCC "91350100MA000000<n>" with its check character: a fixed, valid code per number, for
// tests whose callers file names its enterprises.
std::string NumberedUscc(int n);

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_TEST_ENV_H_
