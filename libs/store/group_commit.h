// Group commit: many threads' write functions share one transaction, so that a service can make
// every accepted request durable (committed; fsync'ed on SQLite with synchronous=FULL) before it
// replies, without paying one commit per request. While one transaction commits, the requests
// that arrive meanwhile wait in a queue and go together into the next one: there is no artificial
// delay, a lone request commits at once.
//
// Each function runs inside its own SAVEPOINT of the shared transaction, so an error (a unique
// violation, a rule the function checks) undoes that function's changes only and is returned to
// its caller alone; the others commit. This also keeps a PostgreSQL transaction usable after a
// failed statement.
//
// A function's transaction holds writes back (Transaction::ExecuteLater): its savepoint and such
// writes go with its next statement, and what is left with its release, in one round trip each
// on PostgreSQL. A held-back write that fails is the function's error, even when the function
// returned OK.
//
// A function may also name reads to run ahead of it (ReadAhead): the reads ahead of every function
// in the transaction go together in its first round trip, so that on PostgreSQL a batch of
// functions that read, check and write costs a round trip or two in all rather than one each. A
// function's reads run ahead only when no function before it in the transaction may have written
// what they read, as the keys that each function names say.
//
// Thread-safety: GroupCommitter is thread-safe. Its functions run one after the other on its one
// writer thread, so they must not call Transact themselves (that would wait for itself). A second
// thread hands the callers their results (wakes the ones waiting in Transact, calls the `done` of
// Submit), so that the writer goes on to the next transaction meanwhile.
#ifndef PARKLINE_STORE_GROUP_COMMIT_H_
#define PARKLINE_STORE_GROUP_COMMIT_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "store/database.h"

namespace parkline::store {

// The name of the group commit's writer thread (top -H, profiles, and the busy waits it is counted
// under in /metrics).
inline constexpr char kGroupCommitWriterThread[] = "pl-writer";

class GroupCommitter {
 public:
  struct Options {
    // The most functions that share one transaction; the rest wait for the next one. Values
    // below 1 count as 1.
    int max_batch = 64;
    // Called on the writer thread after each shared transaction committed, with how many
    // functions it carried and how long it took, retries and the commit (the fsync) included:
    // for metrics. Called before the transaction's callers learn their result, so that one
    // that sees its write committed sees it counted. Must not block or call Transact.
    std::function<void(size_t functions, absl::Duration took)> committed;
  };

  // `db` must outlive the committer. (Two constructors rather than `Options options = {}`: a
  // nested struct's default member initializers cannot be used in a default argument of the
  // enclosing class.)
  explicit GroupCommitter(Database& db) : GroupCommitter(db, Options()) {}
  GroupCommitter(Database& db, Options options);
  // Runs every function already queued, then joins the writer thread. Callers that entered
  // Transact before get their results; nobody may call Transact once destruction began.
  ~GroupCommitter();

  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `fn` inside a shared transaction, isolated from the other functions by a SAVEPOINT.
  //
  // When `fn` returns an error, only its own changes are rolled back and that error is returned
  // to this caller alone. When it returns OK, Transact returns once the transaction holding its
  // changes committed (durable), or with the error of that commit.
  //
  // As with Database::Transact, UNAVAILABLE (busy, a serialization conflict, a broken
  // connection) runs the whole transaction again, so `fn` may run more than once: it must have
  // no effect outside the transaction and must reset any output it fills. A function that keeps
  // returning UNAVAILABLE gets it back, and the others of its transaction run again without it.
  // `fn` runs on the committer's thread and must not throw.
  absl::Status Transact(const std::function<absl::Status(Transaction&)>& fn);

  // Reads that a function makes first, to run ahead of it, at the start of the shared
  // transaction together with the other functions' reads ahead.
  struct ReadAhead {
    // Statements without effects (reads).
    std::vector<Statement> statements;
    // Names of everything the function reads ahead or may write, in the caller's terms (say
    // "order:<key>"). The reads ahead of a function run only when every function before it in the
    // transaction named its keys too and none of theirs is one of its own; a function that runs
    // through plain Transact may write anything, so nobody after it reads ahead.
    std::vector<std::string> keys;
    // Set before each run of the function when its reads ran ahead: their rows, one vector per
    // statement. Unset when they did not: the function reads for itself.
    std::optional<std::vector<std::vector<Row>>> rows;
  };
  // Transact, with `ahead`'s reads run ahead of `fn` when they may (ReadAhead). `ahead` must
  // stay alive and untouched by the caller until Transact returns.
  absl::Status Transact(const std::function<absl::Status(Transaction&)>& fn, ReadAhead& ahead);

  // What a caller that does not wait is told: the result Transact would have returned. Called on
  // the committer's finishing thread, after the transaction committed (or failed), so it must be
  // quick, must not block and must not call Transact.
  using Done = std::function<void(absl::Status)>;

  // Transact without a waiting thread: queues `fn` (and `ahead`'s reads, when not null) and
  // returns at once; `done` gets the result. For a server whose handlers answer their calls
  // later (runtime/async_unary.h), so that no thread per call sleeps through the commit. `fn` and
  // `ahead` must stay alive and untouched by the caller until `done` is called.
  void Submit(const std::function<absl::Status(Transaction&)>& fn, ReadAhead* ahead, Done done);

  // How many shared transactions committed so far (for tests and metrics).
  int64_t batches() const { return batches_.load(); }
  // How many functions wait for a transaction right now, not counting the ones running.
  size_t pending() const;

 private:
  // Owned by the committer once queued. `done` is the last thing done with a request: a waiting
  // caller may return (and its stack go) as soon as it was called.
  struct Request {
    const std::function<absl::Status(Transaction&)>* fn;
    ReadAhead* ahead;  // null: none
    Done done;
  };

  // Queues a request and waits for its result.
  absl::Status Wait(const std::function<absl::Status(Transaction&)>& fn, ReadAhead* ahead);
  void Run();
  // Runs `batch` in as few transactions as it takes and hands every caller its result.
  void Commit(std::vector<Request> batch);
  // Hands results to the finishing thread, which calls their `done`: waking the callers (or
  // answering their calls) is work the writer need not wait for before the next transaction.
  using Results = std::vector<std::pair<Done, absl::Status>>;
  void Finish(Results results);
  void RunFinisher();

  Database& db_;
  const size_t max_batch_;
  const std::function<void(size_t, absl::Duration)> committed_;
  std::atomic<int64_t> batches_{0};

  mutable std::mutex mu_;
  std::condition_variable wake_;  // work arrived, or stopping
  std::deque<Request> queue_;     // guarded by mu_
  bool stopping_ = false;         // guarded by mu_

  std::mutex finish_mu_;
  std::condition_variable finish_wake_;  // results arrived, or the writer is done
  std::vector<Results> finishing_;       // guarded by finish_mu_
  bool writer_done_ = false;             // guarded by finish_mu_

  // Last: they start once everything above exists.
  std::thread finisher_;
  std::thread writer_;
};

}  // namespace parkline::store

#endif  // PARKLINE_STORE_GROUP_COMMIT_H_
