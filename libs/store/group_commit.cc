#include "store/group_commit.h"

#include <pthread.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/time/clock.h"

namespace parkline::store {
namespace {

using Fn = std::function<absl::Status(Transaction&)>;
using ReadAhead = GroupCommitter::ReadAhead;

// One name for every function's savepoint: each is released (or rolled back to and released)
// before the next one is taken, so they never nest. A function may take savepoints of its own.
constexpr absl::string_view kSavepoint = "SAVEPOINT parkline_group_item";
constexpr absl::string_view kRelease = "RELEASE SAVEPOINT parkline_group_item";
constexpr absl::string_view kRollbackTo = "ROLLBACK TO SAVEPOINT parkline_group_item";

// What the functions of one attempt have left unsent, in their order: the writes a function held
// back (ExecuteLater) and its release, or the rollback of one that failed after it sent
// something. It goes with the next statement that any function sends (or the attempt's last
// round trip), so that on PostgreSQL one request's writes and the next one's reads share a
// round trip. A write that fails there is still its own function's error and undoes only that
// function: what came after it in the same round trip (PostgreSQL skips it) is sent again.
class Carry {
 public:
  // Owner of the statements that undo a failed function: their failure fails the attempt.
  static constexpr size_t kCleanup = static_cast<size_t>(-1);

  Carry(Transaction& tx, std::vector<absl::Status>& own) : tx_(tx), own_(own) {}

  void Add(Statement statement, size_t owner) {
    held_.push_back(std::move(statement));
    owners_.push_back(owner);
  }
  // A function that failed after it sent something: its savepoint is rolled back and released.
  void Undo() {
    Add({std::string(kRollbackTo), {}}, kCleanup);
    Add({std::string(kRelease), {}}, kCleanup);
  }

  // Sends what is carried, then `mine` (the statements of function `me`), in one round trip
  // while nothing fails, and returns the rows of `mine`. A carried write that fails becomes its
  // function's own result, that function is undone and the rest is sent again. An error of
  // `mine` is returned (`mine_failed`: whether one of its statements failed, rather than the
  // attempt). An error that fails the whole attempt is kept in fatal() and returned.
  //
  // `mine_failed` is set to the index in `mine` of the statement that failed, or mine.size().
  //
  // `commit`: the round trip that succeeds carries the transaction's COMMIT too, where the
  // backend can (Transaction::QueryAllAtThenCommit); committed() then says so. A COMMIT that
  // fails fails the attempt.
  absl::StatusOr<std::vector<std::vector<Row>>> Send(std::vector<Statement> mine, size_t me,
                                                     size_t& mine_failed, bool commit = false) {
    mine_failed = mine.size();
    if (!fatal_.ok()) return fatal_;
    while (true) {
      size_t carried = held_.size();
      std::vector<Statement> all = std::move(held_);
      std::vector<size_t> owners = std::move(owners_);
      held_.clear();
      owners_.clear();
      // Moved, not copied (they hold documents): taken back below when they must go again.
      all.insert(all.end(), std::make_move_iterator(mine.begin()),
                 std::make_move_iterator(mine.end()));
      size_t failed = all.size();
      auto results = commit ? tx_.QueryAllAtThenCommit(all, &failed, &committed_)
                            : tx_.QueryAllAt(all, &failed);
      if (results.ok()) {
        results->erase(results->begin(), results->begin() + static_cast<std::ptrdiff_t>(carried));
        return results;
      }
      absl::Status error = results.status();
      if (failed >= carried) {
        // One of mine (the carried ones all ran), or the connection broke.
        mine_failed = failed - carried;
        if (IsTransient(error) || failed >= all.size()) Fail(error, me);
        return error;
      }
      size_t owner = owners[failed];
      if (IsTransient(error) || owner == kCleanup) {
        // An undo that fails is nobody's own: the attempt fails.
        Fail(error, owner);
        return error;
      }
      // A carried write of function `owner` failed: it is undone alone (its release was carried
      // too and never ran), then what followed it goes again.
      own_[owner] = error;
      Undo();
      for (size_t k = failed + 1; k < carried; ++k) {
        if (owners[k] != owner) Add(std::move(all[k]), owners[k]);
      }
      mine.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(carried)),
                  std::make_move_iterator(all.end()));
    }
  }

  // One statement whose count the caller needs, on its own (what is carried went first).
  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params, size_t me) {
    if (!fatal_.ok()) return fatal_;
    auto count = tx_.Execute(sql, params);
    if (!count.ok() && IsTransient(count.status())) Fail(count.status(), me);
    return count;
  }
  absl::Status ExecuteScript(absl::string_view sql, size_t me) {
    if (!fatal_.ok()) return fatal_;
    absl::Status done = tx_.ExecuteScript(sql);
    if (IsTransient(done)) Fail(done, me);
    return done;
  }

  // The error that ends the attempt (OK while none), and the function it is charged to.
  const absl::Status& fatal() const { return fatal_; }
  // Whether a Send with `commit` committed the transaction.
  bool committed() const { return committed_; }
  size_t fatal_owner() const { return fatal_owner_; }

 private:
  void Fail(const absl::Status& error, size_t owner) {
    fatal_ = error;
    fatal_owner_ = owner;
  }

  Transaction& tx_;
  std::vector<absl::Status>& own_;
  std::vector<Statement> held_;
  std::vector<size_t> owners_;
  absl::Status fatal_;
  size_t fatal_owner_ = kCleanup;
  bool committed_ = false;
};

// What a function sees of the shared transaction: writes it does not need the outcome of
// (ExecuteLater: its savepoint, its inserts) wait and go with its next statement, so that on
// PostgreSQL a function that reads and then writes costs one round trip, not one per statement:
// what it still holds when it returns, and its release, go with the next function's first
// statement (Carry).
class HeldBack : public Transaction {
 public:
  HeldBack(Carry& carry, size_t index) : carry_(carry), index_(index) {}

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql, const Params& params) override {
    auto all = QueryAll({{std::string(sql), params}});
    if (!all.ok()) return all.status();
    return std::move(all->back());
  }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override {
    // The count is the caller's: what waits goes first, on its own.
    if (auto s = Send(); !s.ok()) return s;
    return carry_.Execute(sql, params, index_);
  }

  absl::Status ExecuteLater(absl::string_view sql, const Params& params) override {
    waiting_.push_back({std::string(sql), params});
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::vector<Row>>> QueryAllAt(const std::vector<Statement>& statements,
                                                           size_t* failed) override {
    size_t held = waiting_.size();
    std::vector<Statement> all = std::move(waiting_);
    waiting_.clear();
    all.insert(all.end(), statements.begin(), statements.end());
    size_t count = all.size();
    size_t at = count;
    auto results = carry_.Send(std::move(all), index_, at);
    // Ran, or one of its statements failed: either way the savepoint, which went first, was
    // taken.
    sent_ = sent_ || results.ok() || at < count;
    if (!results.ok()) {
      if (failed != nullptr) *failed = at >= held && at < count ? at - held : statements.size();
      return results.status();
    }
    results->erase(results->begin(), results->begin() + static_cast<std::ptrdiff_t>(held));
    return results;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    if (auto s = Send(); !s.ok()) return s;
    return carry_.ExecuteScript(sql, index_);
  }

  // Sends what waits (with what is carried); its first error.
  absl::Status Send() { return QueryAll({}).status(); }
  // Hands what waits to the carry, with the release: the function returned OK.
  void Finish() {
    for (Statement& s : waiting_) carry_.Add(std::move(s), index_);
    waiting_.clear();
    carry_.Add({std::string(kRelease), {}}, index_);
  }
  // Forgets what waits (the function failed: its savepoint is rolled back).
  void Drop() { waiting_.clear(); }
  // Whether its savepoint was sent (it went first).
  bool sent() const { return sent_; }

 private:
  Carry& carry_;
  const size_t index_;
  std::vector<Statement> waiting_;
  bool sent_ = false;
};

// Which functions' reads may run ahead (ReadAhead): those before which every function named its
// keys and none named one of theirs.
std::vector<bool> MayReadAhead(const std::vector<ReadAhead*>& aheads) {
  std::vector<bool> may(aheads.size(), false);
  std::set<absl::string_view> before;
  for (size_t i = 0; i < aheads.size(); ++i) {
    if (aheads[i] == nullptr) break;  // it may write anything: nobody after it reads ahead
    const std::vector<std::string>& keys = aheads[i]->keys;
    may[i] = std::none_of(keys.begin(), keys.end(),
                          [&](const std::string& k) { return before.count(k) > 0; });
    before.insert(keys.begin(), keys.end());
  }
  return may;
}

// Runs the reads ahead of the functions that may read ahead, in one round trip, and hands each
// its rows (the others' stay unset). Any failure fails the attempt.
absl::Status ReadAheadAll(Carry& carry, const std::vector<ReadAhead*>& aheads, size_t nobody) {
  for (ReadAhead* ahead : aheads) {
    if (ahead != nullptr) ahead->rows.reset();
  }
  std::vector<bool> may = MayReadAhead(aheads);
  std::vector<Statement> reads;
  for (size_t i = 0; i < aheads.size(); ++i) {
    if (!may[i]) continue;
    reads.insert(reads.end(), aheads[i]->statements.begin(), aheads[i]->statements.end());
  }
  size_t unused = 0;
  absl::StatusOr<std::vector<std::vector<Row>>> rows = std::vector<std::vector<Row>>();
  if (!reads.empty()) rows = carry.Send(std::move(reads), nobody, unused);
  if (!rows.ok()) return rows.status();
  size_t at = 0;
  for (size_t i = 0; i < aheads.size(); ++i) {
    if (!may[i]) continue;
    size_t n = aheads[i]->statements.size();
    auto first = rows->begin() + static_cast<std::ptrdiff_t>(at);
    aheads[i]->rows.emplace(std::make_move_iterator(first),
                            std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
    at += n;
  }
  return absl::OkStatus();
}

// One attempt of a shared transaction: every function in its own savepoint. Fills `own` with each
// function's own result (OK, or the error whose changes were undone). Returns an error, which
// fails the whole attempt, only when the transaction itself cannot go on; UNAVAILABLE makes
// Database::Transact run the attempt again, so `own` starts afresh here every time. `culprit` is
// the index of the function whose own UNAVAILABLE ended the attempt, or fns.size().
//
// `aheads` (one per function, null for none) are read ahead first; when that fails other than
// transiently, `ahead_failed` is set and the error returned, and the caller runs the functions
// again without reading ahead, each reading for itself.
absl::Status RunEach(Transaction& tx, const std::vector<const Fn*>& fns,
                     const std::vector<ReadAhead*>& aheads, std::vector<absl::Status>& own,
                     size_t& culprit, bool& ahead_failed) {
  std::fill(own.begin(), own.end(), absl::OkStatus());
  culprit = fns.size();
  Carry carry(tx, own);
  // A conflict (PostgreSQL's serialization failure dooms the whole transaction) or a broken
  // connection: the whole transaction runs again, as it would for the function it hit alone.
  auto fatal = [&]() {
    size_t owner = carry.fatal_owner();
    if (owner < fns.size()) {
      own[owner] = carry.fatal();
      culprit = owner;
    }
    return carry.fatal();
  };
  // A read ahead that fails is nobody's own: a transient failure runs the attempt again.
  if (auto s = ReadAheadAll(carry, aheads, fns.size()); !s.ok()) {
    if (!IsTransient(s)) ahead_failed = true;
    return s;
  }
  for (size_t i = 0; i < fns.size(); ++i) {
    HeldBack view(carry, i);
    // The savepoint goes with the function's first statement.
    if (auto s = view.ExecuteLater(kSavepoint, {}); !s.ok()) return s;
    absl::Status result = (*fns[i])(view);
    if (!carry.fatal().ok()) return fatal();
    if (IsTransient(result)) {
      own[i] = result;
      culprit = i;
      return result;
    }
    if (result.ok()) {
      // What still waits, and the release, go with the next statement sent: the first error
      // among them is the function's, as if it had run them itself (Carry::Send).
      view.Finish();
      continue;
    }
    // What still waits never ran. Nothing at all ran when even the savepoint still waits.
    view.Drop();
    if (view.sent()) carry.Undo();
    own[i] = result;
  }
  // What the last functions left, in one round trip, with the COMMIT where the backend can: the
  // writer waits for one round trip fewer per transaction.
  size_t unused = 0;
  if (!carry.Send({}, fns.size(), unused, /*commit=*/true).ok()) return fatal();
  return absl::OkStatus();
}

}  // namespace

GroupCommitter::GroupCommitter(Database& db, Options options)
    : db_(db),
      max_batch_(static_cast<size_t>(std::max(1, options.max_batch))),
      committed_(std::move(options.committed)),
      finisher_([this] { RunFinisher(); }),
      writer_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  {
    std::lock_guard<std::mutex> lock(finish_mu_);
    writer_done_ = true;
  }
  finish_wake_.notify_one();
  finisher_.join();
}

absl::Status GroupCommitter::Transact(const Fn& fn) { return Wait(fn, nullptr); }

absl::Status GroupCommitter::Transact(const Fn& fn, ReadAhead& ahead) { return Wait(fn, &ahead); }

absl::Status GroupCommitter::Wait(const Fn& fn, ReadAhead* ahead) {
  // On this stack: the finishing thread touches it last in `done`, under its mutex, so it outlives
  // that.
  struct Result {
    std::mutex mu;
    std::condition_variable set;
    std::optional<absl::Status> status;
  } result;
  Submit(fn, ahead, [&result](absl::Status status) {
    std::lock_guard<std::mutex> lock(result.mu);
    result.status = std::move(status);
    result.set.notify_one();
  });
  std::unique_lock<std::mutex> lock(result.mu);
  result.set.wait(lock, [&result] { return result.status.has_value(); });
  return *result.status;
}

void GroupCommitter::Submit(const Fn& fn, ReadAhead* ahead, Done done) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(Request{&fn, ahead, std::move(done)});
  // Notified under the lock: once it is released, the writer may run this request and the
  // committer may be destroyed before this thread touches it again.
  wake_.notify_one();
}

size_t GroupCommitter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void GroupCommitter::Run() {
  pthread_setname_np(pthread_self(), kGroupCommitWriterThread);  // for top -H and profiles
  while (true) {
    std::vector<Request> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      // Whatever waits, up to max_batch_: requests that arrive while this batch commits form
      // the next one.
      size_t n = std::min(queue_.size(), max_batch_);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Commit(std::move(batch));
  }
}

void GroupCommitter::Commit(std::vector<Request> batch) {
  bool read_ahead = true;
  while (!batch.empty()) {
    std::vector<const Fn*> fns;
    std::vector<ReadAhead*> aheads;
    fns.reserve(batch.size());
    aheads.reserve(batch.size());
    for (const Request& r : batch) {
      fns.push_back(r.fn);
      aheads.push_back(r.ahead);
    }
    if (!read_ahead) std::fill(aheads.begin(), aheads.end(), nullptr);
    std::vector<absl::Status> own(batch.size());
    size_t culprit = batch.size();
    bool ahead_failed = false;
    absl::Time start = absl::Now();
    absl::Status committed = db_.Transact(
        [&](Transaction& tx) { return RunEach(tx, fns, aheads, own, culprit, ahead_failed); });
    absl::Duration took = absl::Now() - start;
    if (committed.ok()) batches_.fetch_add(1);
    if (ahead_failed && read_ahead) {
      // Nothing ran but the reads: the functions run again, reading for themselves.
      read_ahead = false;
      continue;
    }
    if (!committed.ok() && culprit < batch.size()) {
      // Retries ran out on one function's own UNAVAILABLE: it gets that, the others try again
      // without it.
      Results alone;
      alone.emplace_back(std::move(batch[culprit].done), own[culprit]);
      Finish(std::move(alone));
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(culprit));
      continue;
    }
    // The observer first: a caller that finds its write committed finds it counted too.
    if (committed.ok() && committed_) committed_(batch.size(), took);
    Results results;
    results.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      results.emplace_back(std::move(batch[i].done), own[i].ok() ? committed : own[i]);
    }
    Finish(std::move(results));
    return;
  }
}

void GroupCommitter::Finish(Results results) {
  {
    std::lock_guard<std::mutex> lock(finish_mu_);
    finishing_.push_back(std::move(results));
  }
  finish_wake_.notify_one();
}

void GroupCommitter::RunFinisher() {
  pthread_setname_np(pthread_self(), "pl-finish");
  while (true) {
    std::vector<Results> ready;
    {
      std::unique_lock<std::mutex> lock(finish_mu_);
      finish_wake_.wait(lock, [this] { return writer_done_ || !finishing_.empty(); });
      if (finishing_.empty()) return;  // the writer is done, and so is everything it handed over
      ready.swap(finishing_);
    }
    for (Results& results : ready) {
      for (auto& [done, status] : results) done(std::move(status));
    }
  }
}

}  // namespace parkline::store
