#include "store/group_commit.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace parkline::store {
namespace {

using Fn = std::function<absl::Status(Transaction&)>;

// One name for every function's savepoint: each is released (or rolled back to and released)
// before the next one is taken, so they never nest. A function may take savepoints of its own.
constexpr absl::string_view kSavepoint = "SAVEPOINT parkline_group_item";
constexpr absl::string_view kRelease = "RELEASE SAVEPOINT parkline_group_item";
constexpr absl::string_view kRollbackTo = "ROLLBACK TO SAVEPOINT parkline_group_item";

absl::Status Exec(Transaction& tx, absl::string_view sql) { return tx.Execute(sql).status(); }

// What a function sees of the shared transaction: writes it does not need the outcome of
// (ExecuteLater: its savepoint, its inserts) wait and go with its next statement, so that on
// PostgreSQL a function that reads and then writes costs two round trips, not one per
// statement. Nothing waits past the function: its release carries what is left.
class HeldBack : public Transaction {
 public:
  explicit HeldBack(Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::vector<Row>> Query(absl::string_view sql, const Params& params) override {
    if (waiting_.empty()) {
      sent_ = true;
      return tx_.Query(sql, params);
    }
    auto all = QueryAll({{std::string(sql), params}});
    if (!all.ok()) return all.status();
    return std::move(all->back());
  }

  absl::StatusOr<int64_t> Execute(absl::string_view sql, const Params& params) override {
    // The count is the caller's: what waits goes first, on its own.
    if (auto s = Send(); !s.ok()) return s;
    sent_ = true;
    return tx_.Execute(sql, params);
  }

  absl::Status ExecuteLater(absl::string_view sql, const Params& params) override {
    waiting_.push_back({std::string(sql), params});
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::vector<Row>>> QueryAll(
      const std::vector<Statement>& statements) override {
    sent_ = true;
    if (waiting_.empty()) return tx_.QueryAll(statements);
    size_t held = waiting_.size();
    std::vector<Statement> all = std::move(waiting_);
    waiting_.clear();
    all.insert(all.end(), statements.begin(), statements.end());
    auto results = tx_.QueryAll(all);
    if (!results.ok()) return results.status();
    results->erase(results->begin(), results->begin() + static_cast<std::ptrdiff_t>(held));
    return results;
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    if (auto s = Send(); !s.ok()) return s;
    sent_ = true;
    return tx_.ExecuteScript(sql);
  }

  // Sends what waits; its first error.
  absl::Status Send() {
    if (waiting_.empty()) return absl::OkStatus();
    return QueryAll({}).status();
  }
  // Forgets what waits (the function failed: its savepoint is rolled back).
  void Drop() { waiting_.clear(); }
  // Whether anything was sent (and so the savepoint, which went first).
  bool sent() const { return sent_; }

 private:
  Transaction& tx_;
  std::vector<Statement> waiting_;
  bool sent_ = false;
};

// One attempt of a shared transaction: every function in its own savepoint. Fills `own` with each
// function's own result (OK, or the error whose changes were undone). Returns an error, which
// fails the whole attempt, only when the transaction itself cannot go on; UNAVAILABLE makes
// Database::Transact run the attempt again, so `own` starts afresh here every time. `culprit` is
// the index of the function whose own UNAVAILABLE ended the attempt, or fns.size().
absl::Status RunEach(Transaction& tx, const std::vector<const Fn*>& fns,
                     std::vector<absl::Status>& own, size_t& culprit) {
  std::fill(own.begin(), own.end(), absl::OkStatus());
  culprit = fns.size();
  for (size_t i = 0; i < fns.size(); ++i) {
    HeldBack view(tx);
    // The savepoint goes with the function's first statement.
    if (auto s = view.ExecuteLater(kSavepoint, {}); !s.ok()) return s;
    absl::Status result = (*fns[i])(view);
    if (IsTransient(result)) {
      // A conflict (PostgreSQL's serialization failure dooms the whole transaction) or a broken
      // connection: the whole transaction runs again, as it would for this function alone.
      own[i] = result;
      culprit = i;
      return result;
    }
    if (result.ok()) {
      // The release carries the writes that still wait; the first error among them is the
      // function's, as if it had run them itself.
      result = view.QueryAll({{std::string(kRelease), {}}}).status();
      if (result.ok()) continue;
      if (IsTransient(result)) {
        own[i] = result;
        culprit = i;
        return result;
      }
      // A write that waited failed, or PostgreSQL refused to release after a failed statement
      // that the function ignored: its changes go, like those of a function that failed.
    }
    // What still waits never ran. Nothing at all ran when even the savepoint still waits.
    bool ran = view.sent();
    view.Drop();
    if (ran) {
      if (auto s = Exec(tx, kRollbackTo); !s.ok()) return s;
      if (auto s = Exec(tx, kRelease); !s.ok()) return s;
    }
    own[i] = result;
  }
  return absl::OkStatus();
}

}  // namespace

GroupCommitter::GroupCommitter(Database& db, Options options)
    : db_(db),
      max_batch_(static_cast<size_t>(std::max(1, options.max_batch))),
      committed_(std::move(options.committed)),
      writer_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

absl::Status GroupCommitter::Transact(const Fn& fn) {
  Request request{&fn, {}};
  std::future<absl::Status> result = request.done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(request));
    // Notified under the lock: once it is released, the writer may run this request and the
    // committer may be destroyed before this thread touches it again.
    wake_.notify_one();
  }
  return result.get();
}

size_t GroupCommitter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void GroupCommitter::Run() {
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
  while (!batch.empty()) {
    std::vector<const Fn*> fns;
    fns.reserve(batch.size());
    for (const Request& r : batch) fns.push_back(r.fn);
    std::vector<absl::Status> own(batch.size());
    size_t culprit = batch.size();
    absl::Time start = absl::Now();
    absl::Status committed =
        db_.Transact([&](Transaction& tx) { return RunEach(tx, fns, own, culprit); });
    absl::Duration took = absl::Now() - start;
    if (committed.ok()) batches_.fetch_add(1);
    if (!committed.ok() && culprit < batch.size()) {
      // Retries ran out on one function's own UNAVAILABLE: it gets that, the others try again
      // without it.
      batch[culprit].done.set_value(own[culprit]);
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(culprit));
      continue;
    }
    // The observer first: a caller that finds its write committed finds it counted too.
    if (committed.ok() && committed_) committed_(batch.size(), took);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done.set_value(own[i].ok() ? committed : own[i]);
    }
    return;
  }
}

}  // namespace parkline::store
