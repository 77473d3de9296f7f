// The store: a small database interface that every service writes through, with backends chosen
// by URL. `sqlite:///path/file.db` is the embedded default (WAL, synchronous=FULL, busy timeout);
// `postgresql://...` is the production backend (a later piece of work fits it in behind this
// same interface).
//
// SQL is written once for both: positional parameters are `$1, $2 ...`, timestamps are INTEGER
// microseconds since the epoch (UTC), and the few type names that differ are written as tokens
// that the backend expands (see Dialect). Statements are prepared once per connection and cached.
//
// Thread-safety: Database is thread-safe; a Transaction belongs to the thread that runs the
// function it was handed to.
#ifndef PARKLINE_STORE_DATABASE_H_
#define PARKLINE_STORE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::store {

// Bytes that are stored as a BLOB (bytea), not as text.
struct Blob {
  std::string bytes;
};

// NULL, INTEGER, TEXT or BLOB.
using Value = std::variant<std::monostate, int64_t, std::string, Blob>;
using Params = std::vector<Value>;

// One result row. Getters take a zero-based column index; a getter of the wrong type returns the
// type's empty value (0 or ""), so callers read columns as their schema declares them.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t Int(size_t i) const;
  // TEXT or BLOB contents.
  const std::string& Text(size_t i) const;
  // The value as the backend returned it, for code that reads rows of any table (test tools).
  const Value& value(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

// A statement and its parameters, for Transaction::QueryAll.
struct Statement {
  std::string sql;
  Params params;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs one statement and returns its rows (none for most writes).
  virtual absl::StatusOr<std::vector<Row>> Query(absl::string_view sql,
                                                 const Params& params = {}) = 0;
  // Runs `statements` in order, as Query would one after the other, and returns each one's rows.
  // On PostgreSQL they travel together (libpq's pipeline mode: one round trip instead of one
  // each), so a caller that knows what it will read can ask for it at once; on SQLite, which has
  // no round trips, they run in turn. The first error is returned and stops the rest; as after a
  // failed Query, the transaction (or its innermost savepoint) is then to be rolled back.
  absl::StatusOr<std::vector<std::vector<Row>>> QueryAll(const std::vector<Statement>& statements) {
    return QueryAllAt(statements, nullptr);
  }
  // QueryAll that also says, on an error and when `failed` is given, which statement failed: its
  // index, or statements.size() when the error is none of theirs (a broken connection). The
  // group commit uses it to tell one request's failed write from the next one's read when both
  // travel together.
  virtual absl::StatusOr<std::vector<std::vector<Row>>> QueryAllAt(
      const std::vector<Statement>& statements, size_t* failed);
  // QueryAllAt, and then, when every statement succeeded, the transaction's COMMIT in the same
  // round trip, so that a writer whose last statements need no answer does not wait one more
  // round trip for its commit (PostgreSQL). `*committed` says whether the commit went: when it
  // did, nothing more may run in the transaction, and the function given to Transact must
  // return OK. A backend without round trips to save (SQLite) runs the statements only and
  // leaves the commit to Transact. On an error nothing is committed: a statement's error is as
  // after QueryAllAt, and the COMMIT's own (a serialization failure, reported as UNAVAILABLE)
  // is none of the statements' (`*failed` is statements.size()) and ends the attempt.
  virtual absl::StatusOr<std::vector<std::vector<Row>>> QueryAllAtThenCommit(
      const std::vector<Statement>& statements, size_t* failed, bool* committed);
  // Runs one statement and returns how many rows it changed.
  virtual absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params = {}) = 0;
  // A write whose outcome the caller does not need at once. A transaction may hold it back and
  // send it with its next statement (the group commit's do, to save PostgreSQL round trips):
  // its error then comes back from that statement instead, which does not run, and is the
  // function's error all the same. Runs at once (as Execute) unless the transaction holds
  // writes back.
  virtual absl::Status ExecuteLater(absl::string_view sql, const Params& params = {}) {
    return Execute(sql, params).status();
  }
  // Runs several statements separated by ';' (migrations), after Dialect token expansion.
  virtual absl::Status ExecuteScript(absl::string_view sql) = 0;
};

// The type URL of google.rpc.RetryInfo as a Status payload.
inline constexpr absl::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

// True for an UNAVAILABLE that running the transaction again may cure (a conflict, a broken
// connection): Transact and the group commit retry those. An UNAVAILABLE that says itself when
// to retry (a RetryInfo payload, such as the full outbox's) is the caller's to retry, later: it
// is returned at once, and a group commit's other requests go on without a retry.
bool IsTransient(const absl::Status& status);

// What made a transient error transient, as a backend tells it: "serialization_failure" and
// "deadlock" (PostgreSQL's conflicts between concurrent writers: another replica, the relay),
// "busy" (SQLite's file stayed locked), "connection", "server_unavailable" (shutting down or
// starting up), "insufficient_resources" (disk, memory, connections), "plan_invalidated" (a
// schema change under a prepared statement). Every transient error the backends raise names its
// cause, so "other" is an UNAVAILABLE that the transaction's own function returned: the database
// had no part in it.
std::string TransientCause(const absl::Status& status);
// Every cause TransientCause names, for those who count them (host/store_metrics.h, the bench).
inline constexpr absl::string_view kTransientCauses[] = {
    "serialization_failure",  "deadlock",         "busy", "connection", "server_unavailable",
    "insufficient_resources", "plan_invalidated", "other"};
// `status` with its cause attached (TransientCause), for the backends.
absl::Status WithTransientCause(absl::Status status, absl::string_view cause);

// Told of every transaction run again after a transient error (`gave_up` false), and of every
// one whose last attempt failed so and whose error was returned (`gave_up` true), so that a
// service can count conflicts: several writers on one PostgreSQL database (replicas) abort one
// another's transactions under SERIALIZABLE when their keys share index pages, and each retry
// costs the whole transaction again. Process-wide, called on the thread that runs the
// transaction: it must be quick and thread-safe. Set it before the databases are used; null
// clears it.
using RetryObserver = std::function<void(absl::string_view cause, bool gave_up)>;
void SetRetryObserver(RetryObserver observer);
// Calls the observer set, if any (for the backends).
void ObserveRetry(const absl::Status& status, bool gave_up);

// Told of every sleep of a SQLite connection waiting for the file while another connection (the
// group commit's writer, the outbox relay, a consumer, another process) writes: `first` for the
// first sleep of a wait, `seconds` how long it lasted. Waits that end in time are invisible
// otherwise (a wait that outlasts the busy timeout is a transient error with cause "busy", told
// to the retry observer), yet each adds to its transaction's time and holds its connection.
// PostgreSQL's writers wait inside the server (pg_locks), and are not told here. Process-wide,
// called on the waiting thread: quick and thread-safe. Null clears it.
using BusyWaitObserver = std::function<void(bool first, double seconds)>;
void SetBusyWaitObserver(BusyWaitObserver observer);
// Calls the observer set, if any (for the backends).
void ObserveBusyWait(bool first, double seconds);

// Errors: ALREADY_EXISTS for a unique or primary key violation, FAILED_PRECONDITION for any other
// constraint, UNAVAILABLE when the database stayed busy, could not be reached, is shutting down or
// starting up, or ran out of disk or memory (conditions that pass), INTERNAL for the rest.
class Database {
 public:
  virtual ~Database() = default;

  // Opens the database that `url` names, creating it (and its folder) when it does not exist.
  static absl::StatusOr<std::unique_ptr<Database>> Open(absl::string_view url);

  // Runs `fn` in one read-write transaction: commits when it returns OK, rolls back otherwise
  // and returns its error. When the database reports a conflict the whole function runs again
  // (up to a few times), so `fn` must have no effect outside the transaction.
  virtual absl::Status Transact(const std::function<absl::Status(Transaction&)>& fn) = 0;

  // Like Transact, except that the commit does not wait for the disk: a crash of the machine
  // (not of the process) may lose the last such transactions, whole and in order, never part
  // of one. Only for state that records where it stands in a log it is derived from (a batch
  // consumer's effects and positions), so that what is lost is read again from the log. Saves
  // a flush per transaction (SQLite synchronous=NORMAL in WAL mode; PostgreSQL
  // synchronous_commit off).
  virtual absl::Status TransactWithoutFlush(
      const std::function<absl::Status(Transaction&)>& fn) = 0;

  // Like Transact for reads only: a consistent snapshot, never blocks writers.
  virtual absl::Status Read(const std::function<absl::Status(Transaction&)>& fn) = 0;

  // "sqlite" or "postgresql".
  virtual absl::string_view backend() const = 0;

  // A statement that, run first in a transaction, makes that transaction exclusive among every
  // process sharing the database (migrations use it so that replicas starting together apply
  // each migration once). Empty when transactions are already exclusive (SQLite's writers).
  virtual std::string ExclusiveLockSql() const = 0;

  // Held while some work must run in one process only (the outbox relay): OK while this process
  // holds it. Released when destroyed or when the process dies.
  class Lease {
   public:
    virtual ~Lease() = default;
    // False once the lease was lost (its connection broke); the holder must stop and try again.
    virtual bool held() = 0;
  };
  // Tries to take the lease `name` without waiting: nullptr when another process holds it.
  virtual absl::StatusOr<std::unique_ptr<Lease>> TryLease(absl::string_view name) = 0;
};

// Reads one value in one read transaction into `out`: `fn(tx)` returns an absl::StatusOr of it.
// For the use cases that take a single result out of a snapshot.
template <typename T, typename Fn>
absl::Status ReadInto(Database& db, T& out, Fn&& fn) {
  return db.Read([&](Transaction& tx) -> absl::Status {
    auto value = fn(tx);
    if (!value.ok()) return value.status();
    out = std::move(*value);
    return absl::OkStatus();
  });
}

// Expands the dialect tokens of a schema script:
//   {{id}}    an auto-increment 64-bit primary key column type
//   {{blob}}  a binary column type
//   {{without_rowid}}  after a CREATE TABLE's closing parenthesis: WITHOUT ROWID on SQLite
//             (the table is its primary key's B-tree), nothing on PostgreSQL
//   {{postgresql:STATEMENT}}  STATEMENT on PostgreSQL, nothing on SQLite (storage settings
//             that SQLite has no word for)
std::string ExpandDialect(absl::string_view sql, absl::string_view backend);

}  // namespace parkline::store

#endif  // PARKLINE_STORE_DATABASE_H_
