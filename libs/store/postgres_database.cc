#include "store/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <unordered_map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "store/connection_pool.h"

namespace parkline::store {
namespace {

constexpr int kPoolSize = 4;
constexpr int kConflictRetries = 8;
// Statements prepared per connection at most (Connection::Prepared).
constexpr size_t kMaxPrepared = 1000;

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kNumericOid = 1700;

absl::Status ResultError(PGconn* conn, PGresult* result, absl::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string message =
      absl::StrCat(what, ": ", result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (sqlstate.rfind("23", 0) == 0) return absl::FailedPreconditionError(message);
  // serialization_failure, deadlock_detected, and connection trouble: worth another try.
  // 0A000 and 26000: a prepared statement that a schema change invalidated ("cached plan must
  // not change result type") or that the session no longer has; Connection::Run prepares it
  // again on the next attempt.
  // Classes 53 (insufficient resources: disk full, out of memory, too many connections) and 57
  // (operator intervention: the server shutting down or starting up) pass too, and a consumer
  // must take them for what they are, not for a poison event (consumer.h).
  if (sqlstate == "40001") {
    return WithTransientCause(absl::UnavailableError(message), "serialization_failure");
  }
  if (sqlstate == "40P01") return WithTransientCause(absl::UnavailableError(message), "deadlock");
  if (sqlstate.rfind("08", 0) == 0 || PQstatus(conn) != CONNECTION_OK) {
    return WithTransientCause(absl::UnavailableError(message), "connection");
  }
  if (sqlstate.rfind("53", 0) == 0) {
    return WithTransientCause(absl::UnavailableError(message), "insufficient_resources");
  }
  if (sqlstate.rfind("57", 0) == 0) {
    return WithTransientCause(absl::UnavailableError(message), "server_unavailable");
  }
  if (sqlstate == "26000" || (sqlstate == "0A000" && absl::StrContains(message, "cached plan"))) {
    return WithTransientCause(absl::UnavailableError(message), "plan_invalidated");
  }
  return absl::InternalError(message);
}

Value ToValue(PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  int length = PQgetlength(result, row, column);
  Oid type = PQftype(result, column);
  int64_t number = 0;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      if (absl::SimpleAtoi(absl::string_view(text, length), &number)) return number;
      break;
    case kNumericOid:  // SUM() of integers is numeric; integral values read as int64
      if (absl::SimpleAtoi(absl::string_view(text, length), &number)) return number;
      break;
    case kBoolOid:
      return int64_t{text[0] == 't' ? 1 : 0};
    case kByteaOid: {
      size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      Blob blob{std::string(reinterpret_cast<char*>(bytes), size)};
      PQfreemem(bytes);
      return blob;
    }
  }
  return std::string(text, length);
}

class Connection {
 public:
  explicit Connection(std::string url) : url_(std::move(url)) {}
  ~Connection() {
    if (conn_) PQfinish(conn_);
  }

  // Connects, or reconnects a broken connection.
  absl::Status Ensure() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
    if (conn_) PQfinish(conn_);
    prepared_.clear();  // a new session has none
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      return WithTransientCause(
          absl::UnavailableError(absl::StrCat("postgresql connect: ", message)), "connection");
    }
    // Notices (e.g. "relation already exists, skipping") are not errors: keep them out of logs.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Prepared statements save the parsing, and PostgreSQL's default (auto) the planning too:
    // after five runs a statement keeps one generic plan unless that plan is estimated costlier
    // than planning for each run's values. Planning every run (force_custom_plan, chosen when the
    // statistics looked events up by id) was most of PostgreSQL's CPU per document in
    // declarations_bench: its ten statements per order are inserts and lookups by key (#25).
    // Set although it is the default, so that a server configured otherwise does not bring the
    // planning back.
    return Exec("SET plan_cache_mode = auto");
  }

  absl::Status Exec(absl::string_view sql) {
    PGresult* result = PQexec(conn_, std::string(sql).c_str());
    ExecStatusType status = PQresultStatus(result);
    absl::Status out = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
                           ? absl::OkStatus()
                           : ResultError(conn_, result, "exec");
    PQclear(result);
    return out;
  }

  // Runs one statement with $N parameters; fills `rows` when given.
  absl::StatusOr<int64_t> Run(absl::string_view sql, const Params& params, std::vector<Row>* rows) {
    Bound bound(params);
    auto name = Prepared(sql, bound.types);
    if (!name.ok()) return name.status();
    PGresult* result = PQexecPrepared(conn_, name->c_str(), bound.count(), bound.values.data(),
                                      bound.lengths.data(), bound.formats.data(), 0);
    absl::Status status = TakeRows(result, sql, rows);
    if (!status.ok()) {
      PQclear(result);
      return status;
    }
    int64_t changed = 0;
    absl::SimpleAtoi(PQcmdTuples(result), &changed);
    PQclear(result);
    return changed;
  }

  // Runs `statements` in libpq's pipeline mode: all of them are sent, then every result read,
  // in one round trip however many they are (Pipeline). Fills `out` with each one's rows;
  // returns the first error (PostgreSQL skips the statements after it).
  // `failed` is set to the failed statement's index, or statements.size() when none failed.
  absl::Status RunAll(const std::vector<const Statement*>& statements,
                      std::vector<std::vector<Row>>& out, size_t& failed) {
    out.assign(statements.size(), {});
    failed = statements.size();
    if (statements.empty()) return absl::OkStatus();
    return Pipeline(statements, out, failed);
  }

  bool ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  // A statement's parameters as libpq takes them: text, except BYTEA in binary. Texts and bytes
  // are pointed at where they are, not copied: `params` must outlive the Bound.
  struct Bound {
    explicit Bound(const Params& params)
        : types(params.size(), 0),
          numbers(params.size()),
          values(params.size(), nullptr),
          lengths(params.size(), 0),
          formats(params.size(), 0) {
      for (size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        absl::string_view bytes;
        if (std::holds_alternative<std::monostate>(v)) continue;  // NULL
        if (std::holds_alternative<int64_t>(v)) {
          types[i] = kInt8Oid;
          numbers[i] = std::to_string(std::get<int64_t>(v));
          bytes = numbers[i];
        } else if (std::holds_alternative<std::string>(v)) {
          bytes = std::get<std::string>(v);
        } else {
          types[i] = kByteaOid;
          formats[i] = 1;  // binary: bytes as they are
          bytes = std::get<Blob>(v).bytes;
        }
        // libpq reads a text parameter up to its NUL and a binary one by its length: a
        // std::string's data() has the NUL after its last byte, and an empty one is "".
        values[i] = bytes.data() == nullptr ? "" : bytes.data();
        lengths[i] = static_cast<int>(bytes.size());
      }
    }
    int count() const { return static_cast<int>(values.size()); }

    std::vector<Oid> types;
    std::vector<std::string> numbers;  // the integers' texts
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };

  // Checks `result` (not cleared here) and appends its rows to `rows` when given.
  absl::Status TakeRows(PGresult* result, absl::string_view sql, std::vector<Row>* rows) {
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      absl::Status error = ResultError(conn_, result, absl::StrCat("'", sql, "'"));
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      if (state != nullptr && (std::string(state) == "0A000" || std::string(state) == "26000")) {
        prepared_.clear();  // prepared again, under new names, when the transaction runs again
      }
      return error;
    }
    if (rows != nullptr) {
      int n = PQntuples(result), columns = PQnfields(result);
      for (int r = 0; r < n; ++r) {
        std::vector<Value> row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) row.push_back(ToValue(result, r, c));
        rows->emplace_back(std::move(row));
      }
    }
    return absl::OkStatus();
  }

  // One pipeline. A statement this session has not prepared yet is prepared inside the
  // pipeline, ahead of its first run: never on its own before it, which would cost a round trip
  // and fail in a transaction that a statement earlier in the same pipeline (a ROLLBACK TO
  // SAVEPOINT) is about to make usable again.
  absl::Status Pipeline(const std::vector<const Statement*>& statements,
                        std::vector<std::vector<Row>>& out, size_t& failed) {
    struct Item {
      Bound bound;
      std::string name;  // empty: past the bound of prepared statements, run unnamed
      std::string key;   // set when this item prepares `name`
    };
    std::vector<Item> items;
    items.reserve(statements.size());
    std::unordered_map<std::string, std::string> preparing;  // key -> name, in this pipeline
    for (size_t i = 0; i < statements.size(); ++i) {
      Item item{Bound(statements[i]->params), "", ""};
      std::string key = PreparedKey(statements[i]->sql, item.bound.types);
      if (auto it = prepared_.find(key); it != prepared_.end()) {
        item.name = it->second;
      } else if (auto it = preparing.find(key); it != preparing.end()) {
        item.name = it->second;
      } else if (prepared_.size() + preparing.size() < kMaxPrepared) {
        item.name = absl::StrCat("parkline_", ++statements_);
        preparing.emplace(key, item.name);
        item.key = std::move(key);
      }
      items.push_back(std::move(item));
    }
    if (PQenterPipelineMode(conn_) != 1) {
      return absl::InternalError(absl::StrCat("postgresql pipeline: ", PQerrorMessage(conn_)));
    }
    // Sent without blocking, and flushed while the answers are taken in (Flush).
    if (PQsetnonblocking(conn_, 1) != 0) return Broken("send");
    for (size_t k = 0; k < items.size(); ++k) {
      const Item& item = items[k];
      const Bound& b = item.bound;
      const std::string& sql = statements[k]->sql;
      bool sent = true;
      if (!item.key.empty()) {
        sent = PQsendPrepare(conn_, item.name.c_str(), sql.c_str(), b.count(), b.types.data()) == 1;
      }
      if (sent && item.name.empty()) {
        sent = PQsendQueryParams(conn_, sql.c_str(), b.count(), b.types.data(), b.values.data(),
                                 b.lengths.data(), b.formats.data(), 0) == 1;
      } else if (sent) {
        sent = PQsendQueryPrepared(conn_, item.name.c_str(), b.count(), b.values.data(),
                                   b.lengths.data(), b.formats.data(), 0) == 1;
      }
      if (!sent) return Broken("send");
    }
    if (PQpipelineSync(conn_) != 1) return Broken("send");
    if (auto s = Flush(); !s.ok()) return s;
    // Each statement's result (after its preparation's, when it has one), each followed by a
    // null; then the sync point's.
    absl::Status first;
    auto next = [&](absl::string_view sql, std::vector<Row>* rows, bool* ok) -> bool {
      PGresult* result = PQgetResult(conn_);
      if (result == nullptr) return false;
      *ok = false;
      if (PQresultStatus(result) != PGRES_PIPELINE_ABORTED && first.ok()) {
        first = TakeRows(result, sql, rows);
        *ok = first.ok();
      }
      PQclear(result);
      while ((result = PQgetResult(conn_)) != nullptr) PQclear(result);
      return true;
    };
    for (size_t k = 0; k < items.size(); ++k) {
      const std::string& sql = statements[k]->sql;
      bool ok = false;
      if (!items[k].key.empty()) {
        if (!next(sql, nullptr, &ok)) return Broken("result");
        // Only a statement whose preparation ran is known to the session.
        if (ok) prepared_.emplace(items[k].key, items[k].name);
        if (!first.ok() && failed == statements.size()) failed = k;
      }
      if (!next(sql, &out[k], &ok)) return Broken("result");
      if (!first.ok() && failed == statements.size()) failed = k;
    }
    PGresult* sync = PQgetResult(conn_);
    bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced) {
      failed = statements.size();
      return Broken("sync point");
    }
    PQexitPipelineMode(conn_);
    return first;
  }

  // Sends what a nonblocking connection still holds of a pipeline while taking in what the
  // server answers meanwhile, then makes the connection blocking again. So a pipeline of any size
  // cannot deadlock: the server stops reading when its answers fill the socket, and a client that
  // only wrote would then wait for it forever (libpq's caveat on pipeline mode). The answers wait
  // in libpq's buffer until Pipeline reads them.
  absl::Status Flush() {
    int pending;
    while ((pending = PQflush(conn_)) == 1) {
      pollfd fd{PQsocket(conn_), POLLIN | POLLOUT, 0};
      if (poll(&fd, 1, -1) < 0 && errno != EINTR) return Broken("send");
      if ((fd.revents & POLLIN) != 0 && PQconsumeInput(conn_) != 1) return Broken("send");
    }
    if (pending != 0 || PQsetnonblocking(conn_, 0) != 0) return Broken("send");
    return absl::OkStatus();
  }

  // A pipeline that did not run its course leaves the session in a state nothing else here
  // can use: it is closed, so that Ensure connects afresh when the transaction runs again.
  absl::Status Broken(absl::string_view step) {
    absl::Status error =
        WithTransientCause(absl::UnavailableError(absl::StrCat("postgresql pipeline ", step, ": ",
                                                               PQerrorMessage(conn_))),
                           "connection");
    PQfinish(conn_);
    conn_ = nullptr;
    prepared_.clear();
    return error;
  }

  static std::string PreparedKey(absl::string_view sql, const std::vector<Oid>& types) {
    std::string key(sql);
    key.push_back('\0');
    for (Oid type : types) absl::StrAppend(&key, type, ",");
    return key;
  }

  // The name of `sql` prepared on this session with these parameter types, preparing it the
  // first time. Every statement is prepared once per connection, as SQLite's are: PQexecParams
  // parsed and planned each one again, which cost more than running it.
  absl::StatusOr<std::string> Prepared(absl::string_view sql, const std::vector<Oid>& types) {
    std::string key = PreparedKey(sql, types);
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return it->second;
    // Statements built per call (IN lists of every length) could add up without end: past the
    // bound they run unprepared (the empty name: PostgreSQL's unnamed statement).
    if (prepared_.size() >= kMaxPrepared) key.clear();
    std::string name = key.empty() ? "" : absl::StrCat("parkline_", ++statements_);
    PGresult* result = PQprepare(conn_, name.c_str(), std::string(sql).c_str(),
                                 static_cast<int>(types.size()), types.data());
    absl::Status status = PQresultStatus(result) == PGRES_COMMAND_OK
                              ? absl::OkStatus()
                              : ResultError(conn_, result, absl::StrCat("prepare '", sql, "'"));
    PQclear(result);
    if (!status.ok()) return status;
    if (!key.empty()) prepared_.emplace(std::move(key), name);
    return name;
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // sql and types -> name
  int64_t statements_ = 0;
};

// A transaction whose BEGIN waits for its first statement and travels with it, in one round trip
// (a transaction that sends nothing costs none): `begin` must be one statement.
class PostgresTransaction : public Transaction {
 public:
  // An empty `begin`: the transaction is already open.
  PostgresTransaction(Connection& conn, std::string begin)
      : conn_(conn), begin_(std::move(begin)), begun_(begin_.empty()) {}

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql, const Params& params) override {
    if (!begun_) {
      auto all = QueryAllAt({{std::string(sql), params}}, nullptr);
      if (!all.ok()) return all.status();
      return std::move(all->back());
    }
    std::vector<Row> rows;
    auto result = conn_.Run(sql, params, &rows);
    if (!result.ok()) return result.status();
    return rows;
  }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override {
    if (auto s = Begin(); !s.ok()) return s;
    return conn_.Run(sql, params, nullptr);
  }

  absl::StatusOr<std::vector<std::vector<Row>>> QueryAllAt(const std::vector<Statement>& statements,
                                                           size_t* failed) override {
    if (statements.empty()) return std::vector<std::vector<Row>>();
    return Send(statements, failed, false);
  }

  absl::StatusOr<std::vector<std::vector<Row>>> QueryAllAtThenCommit(
      const std::vector<Statement>& statements, size_t* failed, bool* committed) override {
    *committed = false;
    // Nothing sent and nothing to send: no transaction to commit.
    if (!begun_ && statements.empty()) return std::vector<std::vector<Row>>();
    auto out = Send(statements, failed, true);
    *committed = committed_ = out.ok();
    return out;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    if (auto s = Begin(); !s.ok()) return s;
    return conn_.Exec(ExpandDialect(sql, "postgresql"));
  }

  // Whether BEGIN was sent (so that COMMIT or ROLLBACK has a transaction to end).
  bool begun() const { return begun_; }
  // Whether the COMMIT went with the last statements (QueryAllAtThenCommit).
  bool committed() const { return committed_; }

 private:
  // `statements` in one round trip, after BEGIN when it was not sent yet, before COMMIT when
  // `commit`.
  absl::StatusOr<std::vector<std::vector<Row>>> Send(const std::vector<Statement>& statements,
                                                     size_t* failed, bool commit) {
    static const Statement kCommit{"COMMIT", {}};
    const Statement begin{begin_, {}};
    std::vector<const Statement*> sent;
    sent.reserve(statements.size() + 2);
    size_t skip = 0;
    if (!begun_) {
      begun_ = true;
      sent.push_back(&begin);
      skip = 1;
    }
    for (const Statement& statement : statements) sent.push_back(&statement);
    if (commit) sent.push_back(&kCommit);
    std::vector<std::vector<Row>> out;
    size_t at = sent.size();
    if (auto s = conn_.RunAll(sent, out, at); !s.ok()) {
      // The BEGIN's and the COMMIT's own failures are none of the statements'.
      if (failed != nullptr) {
        *failed = at >= skip && at - skip < statements.size() ? at - skip : statements.size();
      }
      return s;
    }
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skip));
    if (commit) out.pop_back();
    return out;
  }

  absl::Status Begin() {
    if (begun_) return absl::OkStatus();
    begun_ = true;
    return conn_.Exec(begin_);
  }

  Connection& conn_;
  const std::string begin_;
  bool begun_;
  bool committed_ = false;
};

// A session-level advisory lock on a connection of its own: PostgreSQL releases it when the
// session ends, so a process that dies hands the lease over by dying.
class AdvisoryLease : public Database::Lease {
 public:
  explicit AdvisoryLease(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  bool held() override { return conn_->ok() && conn_->Exec("SELECT 1").ok(); }

 private:
  std::unique_ptr<Connection> conn_;
};

std::vector<std::unique_ptr<Connection>> NewConnections(const std::string& url) {
  std::vector<std::unique_ptr<Connection>> out;
  for (int i = 0; i < kPoolSize; ++i) out.push_back(std::make_unique<Connection>(url));
  return out;
}

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(std::string url) : url_(std::move(url)), pool_(NewConnections(url_)) {}

  absl::Status Transact(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run("BEGIN ISOLATION LEVEL SERIALIZABLE", fn);
  }

  absl::Status TransactWithoutFlush(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run("BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit TO OFF", fn);
  }

  absl::Status Read(const std::function<absl::Status(Transaction&)>& fn) override {
    return Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  absl::string_view backend() const override { return "postgresql"; }

  std::string ExclusiveLockSql() const override {
    return "SELECT pg_advisory_xact_lock(hashtext('parkline.exclusive'))";
  }

  absl::StatusOr<std::unique_ptr<Lease>> TryLease(absl::string_view name) override {
    auto conn = std::make_unique<Connection>(url_);
    if (auto s = conn->Ensure(); !s.ok()) return s;
    std::vector<Row> rows;
    auto taken = conn->Run("SELECT pg_try_advisory_lock(hashtext($1))", {std::string(name)}, &rows);
    if (!taken.ok()) return taken.status();
    if (rows.empty() || rows.front().Int(0) != 1) return std::unique_ptr<Lease>();
    return std::unique_ptr<Lease>(new AdvisoryLease(std::move(conn)));
  }

  absl::Status Connect() {
    return pool_.With([](Connection& conn) { return conn.Ensure(); });
  }

 private:
  // One attempt: BEGIN goes with the first statement when it is a single one (PostgresTransaction).
  static absl::Status RunOnce(Connection& conn, const char* begin,
                              const std::function<absl::Status(Transaction&)>& fn) {
    bool later = !absl::StrContains(begin, ';');
    if (!later) {
      if (auto s = conn.Exec(begin); !s.ok()) return s;
    }
    PostgresTransaction tx(conn, later ? begin : "");
    absl::Status status = fn(tx);
    if (!tx.begun()) return status;  // nothing was sent: nothing to end
    if (tx.committed()) {
      // The function's last round trip carried the COMMIT: there is nothing left to end, and
      // nothing to undo (QueryAllAtThenCommit's contract says it returns OK then).
      return status;
    }
    if (status.ok()) {
      status = conn.Exec("COMMIT");
      if (status.ok()) return status;
    }
    // After a failed COMMIT the database may have rolled back already; ROLLBACK then fails
    // harmlessly.
    conn.Exec("ROLLBACK").IgnoreError();
    return status;
  }

  absl::Status Run(const char* begin, const std::function<absl::Status(Transaction&)>& fn) {
    return pool_.With([&](Connection& conn) {
      return internal::RetryWhileUnavailable(kConflictRetries, [&] {
        if (auto s = conn.Ensure(); !s.ok()) return s;
        return RunOnce(conn, begin, fn);
      });
    });
  }

  std::string url_;
  internal::ConnectionPool<Connection> pool_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  auto db = std::make_unique<PostgresDatabase>(url);
  if (auto s = db->Connect(); !s.ok()) return s;
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace parkline::store
