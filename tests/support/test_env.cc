#include "tests/support/test_env.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "events/envelope.h"
#include "events/schema.h"
#include "gtest/gtest.h"
#include "ids/ids.h"

namespace parkline::testing {

std::string KafkaBrokers() {
  const char* env = std::getenv("PARKLINE_KAFKA_BROKERS");
  return env && *env ? env : "127.0.0.1:9092";
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "parkline-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  // A failed test's folder holds the services' logs (name.log) that tell why: kept, and named.
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "test failed: its folder is kept: %s\n", path_.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

std::string PostgresUrl() {
  const char* env = std::getenv("PARKLINE_TEST_POSTGRES_URL");
  return env ? env : "";
}

// Runs one statement on the test server's maintenance database.
void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresUrl().c_str());
  PQclear(PQexec(conn, sql.c_str()));
  PQfinish(conn);
}

// The test server's URL with its database name replaced by `name`.
std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3);
  size_t query = url.find('?', slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash) + "/" + name + rest;
}

}  // namespace

std::vector<std::string> StoreBackends() { return {"sqlite", "postgresql"}; }

TestDatabase::TestDatabase(const std::string& backend) {
  if (backend == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite://" + dir_->path() + "/test.db";
    return;
  }
  if (PostgresUrl().empty()) return;
  name_ = "test_" + events::NewUuid().substr(28);
  PostgresAdmin("CREATE DATABASE " + name_);
  url_ = WithDatabase(PostgresUrl(), name_);
}

TestDatabase::~TestDatabase() {
  if (!name_.empty()) PostgresAdmin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

namespace {

// True when a listening socket could be bound to 127.0.0.1:`port` right now.
bool CanBind(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return bound;
}

}  // namespace

// The ports come from 20000-29999, below the kernel's ephemeral range (ip_local_port_range,
// 32768-60999 by default). A port the kernel hands out for port 0 and gets back is soon handed
// out again, to another test's listener on port 0 or to an outgoing connection, and a service
// told to listen on it then failed to start ("Address already in use": the CI simulation of
// 2026-12-07, clearance e2e). Each process walks the range from an offset of its own (from its
// pid), so that tests running at once take different ports, and skips any port bound now.
int FreePort() {
  constexpr int kFirst = 20000;
  constexpr int kCount = 10000;
  static std::mutex mu;
  static int next = -1;
  std::lock_guard<std::mutex> lock(mu);
  if (next < 0) next = static_cast<int>((static_cast<int64_t>(getpid()) * 97) % kCount);
  for (int tried = 0; tried < kCount; ++tried) {
    const int port = kFirst + next;
    next = (next + 1) % kCount;
    if (CanBind(port)) return port;
  }
  ADD_FAILURE() << "no port of " << kFirst << "-" << kFirst + kCount - 1 << " is free";
  return 0;
}

absl::Status CreateTopic(const std::string& name, int partitions) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", KafkaBrokers().c_str(), error, sizeof(error));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (rk == nullptr) return absl::UnavailableError(error);
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(name.c_str(), partitions, 1, error, sizeof(error));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  absl::Status status = absl::OkStatus();
  if (event == nullptr) {
    status = absl::DeadlineExceededError("CreateTopics: no answer from the broker");
  } else {
    size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
    for (size_t i = 0; i < count; ++i) {
      rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        status = absl::UnavailableError(
            absl::StrCat("CreateTopics ", name, ": ", rd_kafka_err2str(err)));
      }
    }
    rd_kafka_event_destroy(event);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  rd_kafka_destroy(rk);
  return status;
}

std::string UniqueTopic(const std::string& prefix) {
  return absl::StrCat("test.", prefix, ".", events::NewUuid().substr(28));
}

std::vector<ConsumedRecord> ReadTopic(const std::string& topic, size_t want,
                                      absl::Duration timeout) {
  return ReadTopic(
      topic, timeout, [](const ConsumedRecord&) { return true; },
      [want](const std::vector<ConsumedRecord>& kept) { return kept.size() >= want; });
}

std::vector<ConsumedRecord> ReadTopic(
    const std::string& topic, absl::Duration timeout,
    const std::function<bool(const ConsumedRecord&)>& keep,
    const std::function<bool(const std::vector<ConsumedRecord>&)>& done) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", KafkaBrokers(), error);
  conf->set("group.id", absl::StrCat("test-reader-", events::NewUuid()), error);
  conf->set("auto.offset.reset", "earliest", error);
  conf->set("enable.auto.commit", "false", error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  consumer->subscribe({topic});
  std::vector<ConsumedRecord> out;
  absl::Time deadline = absl::Now() + timeout;
  while (!done(out) && absl::Now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(200));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    ConsumedRecord r;
    r.key = m->key() ? *m->key() : "";
    r.value.assign(static_cast<const char*>(m->payload()), m->len());
    r.partition = m->partition();
    r.offset = m->offset();
    if (RdKafka::Headers* h = m->headers()) {
      for (const auto& header : h->get_all()) {
        r.headers.emplace_back(header.key(), std::string(static_cast<const char*>(header.value()),
                                                         header.value_size()));
      }
    }
    if (keep(r)) out.push_back(std::move(r));
  }
  consumer->close();
  return out;
}

std::string Header(const ConsumedRecord& record, const std::string& name) {
  for (const auto& [k, v] : record.headers) {
    if (k == name) return v;
  }
  return "";
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::string& log_path) {
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    // The child must see SIGTERM even if the test process blocks it.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0 && !reaped_) kill(pid_, signal);
}

std::optional<int> ChildProcess::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  if (write(fd, request.data(), request.size()) < 0) {
    close(fd);
    return "";
  }
  std::string response;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

std::string NumberedUscc(int n) {
  std::string first17 = absl::StrCat("91350100MA000000", n);
  return first17 + ids::UsccCheckCharacter(first17);
}

std::string RandomUscc() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  // 91 = enterprise registered with market regulation; 110000 = Beijing; then 9 random.
  std::string code = "91110000";
  while (code.size() < 17) code.push_back(kAlphabet[rng() % 31]);
  code.push_back(ids::UsccCheckCharacter(code));
  return code;
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenServiceDatabase(
    const std::string& url, const std::function<absl::Status(store::Database&)>& apply_schema) {
  auto db = store::Database::Open(url);
  if (!db.ok()) return db.status();
  if (auto s = events::ApplyEventsSchema(**db); !s.ok()) return s;
  if (auto s = apply_schema(**db); !s.ok()) return s;
  return db;
}

std::function<const char*(const char*)> FakeGetenv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace parkline::testing
