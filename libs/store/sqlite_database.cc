#include "store/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "store/connection_pool.h"

namespace parkline::store {

std::string NumberedParameters(absl::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '\'' || c == '"') {
      // A literal or a quoted name; a doubled quote inside it is the quote itself and the scan
      // simply goes on past it.
      size_t close = out.find(c, i + 1);
      if (close == std::string::npos) break;
      i = close;
    } else if (c == '-' && i + 1 < out.size() && out[i + 1] == '-') {
      i = out.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      i = out.find("*/", i + 2);
      if (i == std::string::npos) break;
      ++i;
    } else if (c == '$' && i + 1 < out.size() && absl::ascii_isdigit(out[i + 1]) &&
               (i == 0 ||
                !(absl::ascii_isalnum(out[i - 1]) || out[i - 1] == '_' || out[i - 1] == '$'))) {
      // Not inside a name: SQLite allows "$" in one ("a$1").
      out[i] = '?';
    }
  }
  return out;
}

namespace {

// Connections for write transactions, and apart from them for read transactions: a writer that
// waits for the file (in SQLite's busy handler, below) holds its connection meanwhile, and with
// one pool for both, four writers waiting at once left a reader no connection until one of them
// had written, though in WAL mode a reader never waits for a writer.
constexpr int kWriterConnections = 4;
constexpr int kReaderConnections = 4;
constexpr int kBusyTimeoutMs = 10000;
constexpr int kConflictRetries = 5;

// SQLite's own busy handler (sqliteDefaultBusyCallback, what sqlite3_busy_timeout installs): the
// same sleeps, 1 ms rising to 100 ms, until kBusyTimeoutMs have been slept, each told to the busy
// wait observer. The schedule is SQLite's on purpose: how soon a writer tries the file again
// decides who gets it next (Connection::Open).
int SleepWhileBusy(void*, int count) {
  static constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  static constexpr int kTotalsMs[] = {0, 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228};
  constexpr int kSteps = sizeof(kDelaysMs) / sizeof(kDelaysMs[0]);
  int delay = kDelaysMs[kSteps - 1];
  int prior = kTotalsMs[kSteps - 1] + delay * (count - (kSteps - 1));
  if (count < kSteps) {
    delay = kDelaysMs[count];
    prior = kTotalsMs[count];
  }
  if (prior + delay > kBusyTimeoutMs) {
    delay = kBusyTimeoutMs - prior;
    if (delay <= 0) return 0;  // given up: SQLITE_BUSY, a transient error of cause "busy"
  }
  const auto start = std::chrono::steady_clock::now();
  sqlite3_sleep(delay);
  ObserveBusyWait(count == 0,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 1;
}

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
    return absl::AlreadyExistsError(message);
  }
  if (primary == SQLITE_CONSTRAINT) return absl::FailedPreconditionError(message);
  // A full disk passes too (space freed, the outbox pruned): a consumer must not take it for a
  // poison event (consumer.h).
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return WithTransientCause(absl::UnavailableError(message), "busy");
  }
  if (primary == SQLITE_FULL) {
    return WithTransientCause(absl::UnavailableError(message), "insufficient_resources");
  }
  return absl::InternalError(message);
}

// One connection and its prepared statements. Used by one thread at a time (the pool's lease).
class Connection {
 public:
  ~Connection() {
    for (auto& [sql, prepared] : statements_) sqlite3_finalize(prepared.stmt);
    sqlite3_close_v2(db_);
  }

  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, bool writer) {
    auto conn = std::make_unique<Connection>();
    int rc =
        sqlite3_open_v2(path.c_str(), &conn->db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return SqliteError(conn->db_, rc, absl::StrCat("open ", path));
    sqlite3_extended_result_codes(conn->db_, 1);
    // The process's own writers (the group commit, the outbox relay) also meet here, through
    // SQLite's busy handler and its sleeps, not in a queue of the process's own: a relay that
    // waited in such a queue got the file as soon as the writer let go, ran more and smaller
    // passes, and the declarations' rate at c=64 fell from 0.25-0.33x the echo to 0.23-0.26x
    // (declarations README, "writers in turns").
    sqlite3_busy_handler(conn->db_, SleepWhileBusy, nullptr);
    // temp_store=MEMORY: a savepoint (one per group-committed request) that changes pages
    // keeps its undo journal in memory rather than in a temporary file created and unlinked
    // per transaction. cache_size: 16 MiB of pages for a writer (the default is 2 MiB), so that
    // index lookups of a busy writer stop re-reading pages from the file; readers keep the
    // default, as another connection's commit empties their cache anyway.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                               "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY"}) {
      if (auto s = conn->Exec(pragma); !s.ok()) return s;
    }
    if (writer) {
      if (auto s = conn->Exec("PRAGMA cache_size=-16384"); !s.ok()) return s;
    }
    return conn;
  }

  absl::Status Exec(absl::string_view sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return absl::OkStatus();
    std::string text = error ? error : "";
    sqlite3_free(error);
    return SqliteError(db_, rc, absl::StrCat("exec: ", text));
  }

  // A prepared statement of "?N" parameters (NumberedParameters): "$N" would be a named
  // parameter to SQLite, each looked up among the names before it while the statement compiles
  // and again to find its index, so that a 100-row upsert of 500 parameters took 1.9 ms to
  // prepare instead of 0.5 ms (statistics_bench prepared a few hundred such statements a run).
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    int parameters = 0;  // the largest N
  };

  absl::StatusOr<const Prepared*> Prepare(absl::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return &it->second;
    Prepared prepared;
    const std::string numbered = NumberedParameters(key);
    int rc = sqlite3_prepare_v3(db_, numbered.c_str(), static_cast<int>(numbered.size()),
                                SQLITE_PREPARE_PERSISTENT, &prepared.stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("prepare '", sql, "'"));
    prepared.parameters = sqlite3_bind_parameter_count(prepared.stmt);
    return &statements_.emplace(std::move(key), std::move(prepared)).first->second;
  }

  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Prepared> statements_;
};

class SqliteTransaction : public Transaction {
 public:
  explicit SqliteTransaction(Connection& conn) : conn_(conn) {}

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    auto status = Run(sql, params, &rows);
    if (!status.ok()) return status;
    return rows;
  }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override {
    auto status = Run(sql, params, nullptr);
    if (!status.ok()) return status;
    return static_cast<int64_t>(sqlite3_changes(conn_.db()));
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    return conn_.Exec(ExpandDialect(sql, "sqlite"));
  }

 private:
  absl::Status Bind(const Connection::Prepared& prepared, const Params& params) {
    sqlite3_stmt* stmt = prepared.stmt;
    // Parameters past the largest N the statement names are not used by it.
    const size_t used = std::min(params.size(), static_cast<size_t>(prepared.parameters));
    for (size_t i = 0; i < used; ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (std::holds_alternative<int64_t>(v)) {
        rc = sqlite3_bind_int64(stmt, index, std::get<int64_t>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        const auto& b = std::get<Blob>(v).bytes;
        rc = sqlite3_bind_blob64(stmt, index, b.data(), b.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return SqliteError(conn_.db(), rc, "bind");
    }
    return absl::OkStatus();
  }

  absl::Status Run(absl::string_view sql, const Params& params, std::vector<Row>* rows) {
    auto prepared = conn_.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* stmt = (*prepared)->stmt;
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (auto s = Bind(**prepared, params); !s.ok()) return s;
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return absl::OkStatus();
      if (rc != SQLITE_ROW) return SqliteError(conn_.db(), rc, absl::StrCat("step '", sql, "'"));
      if (rows == nullptr) continue;
      int columns = sqlite3_column_count(stmt);
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_BLOB: {
            const void* data = sqlite3_column_blob(stmt, c);
            int size = sqlite3_column_bytes(stmt, c);
            values.emplace_back(Blob{std::string(static_cast<const char*>(data), size)});
            break;
          }
          default: {
            const unsigned char* text = sqlite3_column_text(stmt, c);
            int size = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(reinterpret_cast<const char*>(text), size));
          }
        }
      }
      rows->emplace_back(std::move(values));
    }
  }

  Connection& conn_;
};

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(std::vector<std::unique_ptr<Connection>> writers,
                 std::vector<std::unique_ptr<Connection>> readers)
      : writers_(std::move(writers)), readers_(std::move(readers)) {}

  // synchronous is a setting of the connection: every write transaction sets its own.
  absl::Status Transact(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run(writers_, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE", fn);
  }

  absl::Status TransactWithoutFlush(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run(writers_, "PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE", fn);
  }

  absl::Status Read(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run(readers_, "BEGIN DEFERRED", fn);
  }

  absl::string_view backend() const override { return "sqlite"; }

  // BEGIN IMMEDIATE already excludes every other writer of the file.
  std::string ExclusiveLockSql() const override { return ""; }

  // One database file belongs to one process (the embedded backend), so the lease is always
  // this process's.
  absl::StatusOr<std::unique_ptr<Lease>> TryLease(absl::string_view) override {
    struct Local : Lease {
      bool held() override { return true; }
    };
    return std::unique_ptr<Lease>(new Local());
  }

 private:
  static absl::Status Run(internal::ConnectionPool<Connection>& pool, const char* begin,
                          const std::function<absl::Status(Transaction&)>& fn) {
    return pool.With([&](Connection& conn) {
      return internal::RetryWhileUnavailable(kConflictRetries, [&] {
        return internal::RunTransactionOnce<SqliteTransaction>(conn, begin, fn);
      });
    });
  }

  internal::ConnectionPool<Connection> writers_;
  internal::ConnectionPool<Connection> readers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const std::string& path) {
  std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", file.parent_path().string(), ": ", ec.message()));
    }
  }
  std::vector<std::unique_ptr<Connection>> writers, readers;
  for (int i = 0; i < kWriterConnections + kReaderConnections; ++i) {
    const bool writer = i < kWriterConnections;
    auto conn = Connection::Open(path, writer);
    if (!conn.ok()) return conn.status();
    (writer ? writers : readers).push_back(std::move(*conn));
  }
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(writers), std::move(readers)));
}

}  // namespace parkline::store
