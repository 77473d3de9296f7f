// GroupCommitter on every backend (SQLite always; PostgreSQL when the test server is up): many
// callers share commits, a failing function is undone alone, a retried transaction starts every
// function afresh, reads ahead run together and only where nothing before may have written what
// they read, results are committed before Transact returns, the destructor finishes the queue. To
// put chosen functions into one transaction, in a chosen order, a Gate holds the writer thread
// while the callers queue up.
#include "store/group_commit.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tests/support/counting_database.h"
#include "tests/support/test_env.h"

namespace parkline::store {
namespace {

using namespace std::chrono_literals;
using Fn = std::function<absl::Status(Transaction&)>;

const std::vector<Migration> kMigrations = {
    {1, "items", "CREATE TABLE items (id {{id}}, name TEXT NOT NULL UNIQUE)"},
};

absl::Status Insert(Transaction& tx, const std::string& name) {
  return tx.Execute("INSERT INTO items (name) VALUES ($1)", {name}).status();
}

// Polls `done` for up to ten seconds (tests only: the committer itself never polls).
bool WaitUntil(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// A caller whose function inserts "gate" and holds the committer's writer thread until Open():
// callers started meanwhile queue up and share the next transaction, in the order they started.
class Gate {
 public:
  explicit Gate(GroupCommitter& committer) {
    result_ = std::async(std::launch::async, [this, &committer] {
      return committer.Transact([this](Transaction& tx) {
        entered_ = true;
        while (!open_) std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(hold_after_open_.load());
        return Insert(tx, "gate");
      });
    });
    EXPECT_TRUE(WaitUntil([this] { return entered_.load(); }));
  }
  ~Gate() { open_ = true; }  // a test that failed early must not hang

  // Lets the gate's function finish after `hold` more.
  void Open(std::chrono::milliseconds hold = 0ms) {
    hold_after_open_ = hold;
    open_ = true;
  }
  absl::Status Result() { return result_.get(); }

 private:
  std::atomic<bool> entered_{false}, open_{false};
  std::atomic<std::chrono::milliseconds> hold_after_open_{0ms};
  std::future<absl::Status> result_;  // last: its destructor waits for the caller
};

// Starts a caller of `committer` and waits until its function is queued (behind a Gate).
std::future<absl::Status> Enqueue(GroupCommitter& committer, Fn fn) {
  size_t before = committer.pending();
  auto result = std::async(std::launch::async,
                           [&committer, fn = std::move(fn)] { return committer.Transact(fn); });
  EXPECT_TRUE(WaitUntil([&] { return committer.pending() == before + 1; }));
  return result;
}

// Enqueue, with reads to run ahead of `fn`; `ahead` must outlive the result.
std::future<absl::Status> EnqueueAhead(GroupCommitter& committer, Fn fn,
                                       GroupCommitter::ReadAhead& ahead) {
  size_t before = committer.pending();
  auto result = std::async(std::launch::async, [&committer, &ahead, fn = std::move(fn)] {
    return committer.Transact(fn, ahead);
  });
  EXPECT_TRUE(WaitUntil([&] { return committer.pending() == before + 1; }));
  return result;
}

// Reads ahead the count of items, under `keys`.
GroupCommitter::ReadAhead CountAhead(std::vector<std::string> keys) {
  GroupCommitter::ReadAhead ahead;
  ahead.statements = {{"SELECT COUNT(*) FROM items", {}}};
  ahead.keys = std::move(keys);
  return ahead;
}

// A function that counts the items (from the rows read ahead when there are some, else by a read
// of its own), keeps the count and whether it was read ahead, then inserts `name`.
Fn CountingThenInserting(GroupCommitter::ReadAhead& ahead, const std::string& name,
                         std::atomic<int64_t>& count, std::atomic<bool>& read_ahead) {
  return [&ahead, name, &count, &read_ahead](Transaction& tx) -> absl::Status {
    read_ahead = ahead.rows.has_value();
    if (ahead.rows) {
      count = ahead.rows->front().front().Int(0);
    } else {
      auto rows = tx.Query("SELECT COUNT(*) FROM items");
      if (!rows.ok()) return rows.status();
      count = rows->front().Int(0);
    }
    return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {name});
  };
}

Fn Inserting(const std::string& name) {
  return [name](Transaction& tx) { return Insert(tx, name); };
}

class GroupCommitTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (database_.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
    auto db = Database::Open(database_.url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  }

  // Read through `db` (by default the test's own handle).
  int64_t Count(const std::string& where = "", const Params& params = {}, Database* db = nullptr) {
    int64_t n = -1;
    absl::Status s = (db ? db : db_.get())->Read([&](Transaction& tx) -> absl::Status {
      auto rows = tx.Query("SELECT COUNT(*) FROM items" + where, params);
      if (!rows.ok()) return rows.status();
      n = rows->front().Int(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }
  bool Has(const std::string& name, Database* db = nullptr) {
    return Count(" WHERE name = $1", {name}, db) == 1;
  }

  testing::TestDatabase database_{GetParam()};
  std::unique_ptr<Database> db_;
};

TEST_P(GroupCommitTest, ConcurrentCallersAllLandInFewerTransactions) {
  constexpr int kThreads = 16, kEach = 50;
  GroupCommitter committer(*db_);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::Status s = committer.Transact(Inserting(std::to_string(t) + "-" + std::to_string(i)));
        if (!s.ok()) {
          ADD_FAILURE() << s;
          failures++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count(), kThreads * kEach);
  EXPECT_GE(committer.batches(), 1);
  EXPECT_LT(committer.batches(), kThreads * kEach);
  RecordProperty("items", kThreads * kEach);
  RecordProperty("transactions", static_cast<int>(committer.batches()));
}

// Operators find the one writer by name in `top -H` and profiles (docs/operations.md), and the
// thread that answers callers by its own.
TEST_P(GroupCommitTest, TheWriterAndTheFinisherAreNamed) {
  auto name_of_this_thread = [] {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof(name));
    return std::string(name);
  };
  GroupCommitter committer(*db_);
  std::string writer;
  std::promise<std::string> finisher;
  std::function<absl::Status(Transaction&)> fn = [&](Transaction&) {
    writer = name_of_this_thread();
    return absl::OkStatus();
  };
  committer.Submit(fn, nullptr, [&](absl::Status) { finisher.set_value(name_of_this_thread()); });
  EXPECT_EQ(finisher.get_future().get(), "pl-finish");
  EXPECT_EQ(writer, "pl-writer");
}

TEST_P(GroupCommitTest, AFailingFunctionIsUndoneAloneAndGetsItsOwnError) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  // One shared transaction, in this order: the failures sit between functions that succeed.
  auto a = Enqueue(committer, Inserting("a"));
  auto duplicate = Enqueue(committer, [](Transaction& tx) {
    if (auto s = Insert(tx, "duplicate's own"); !s.ok()) return s;
    return Insert(tx, "gate");  // a unique violation
  });
  auto refused = Enqueue(committer, [](Transaction& tx) {
    if (auto s = Insert(tx, "refused"); !s.ok()) return s;
    return absl::FailedPreconditionError("changed my mind");
  });
  auto b = Enqueue(committer, Inserting("b"));
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_EQ(duplicate.get().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(refused.get().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(b.get().ok());          // on PostgreSQL, the unique violation did not abort the rest
  EXPECT_EQ(committer.batches(), 2);  // the gate's, then one shared by the four
  EXPECT_TRUE(Has("a"));
  EXPECT_TRUE(Has("b"));
  EXPECT_FALSE(Has("duplicate's own"));
  EXPECT_FALSE(Has("refused"));
  EXPECT_EQ(Count(), 3);
}

// The observer (Options::committed, which feeds a service's /metrics) hears of each committed
// transaction once it committed, with every function it carried: the ones that failed alone too.
TEST_P(GroupCommitTest, TheObserverHearsOfEachCommitWithItsFunctions) {
  std::mutex mu;
  std::vector<std::pair<size_t, absl::Duration>> heard;
  GroupCommitter::Options options;
  options.committed = [&](size_t functions, absl::Duration took) {
    std::lock_guard<std::mutex> lock(mu);
    // Committed: a read from another connection sees the transaction's rows already.
    EXPECT_EQ(Count(), functions == 1 ? 1 : 3);
    heard.push_back({functions, took});
  };
  GroupCommitter committer(*db_, options);
  Gate gate(committer);
  auto a = Enqueue(committer, Inserting("a"));
  auto refused = Enqueue(committer, [](Transaction& tx) {
    if (auto s = Insert(tx, "refused"); !s.ok()) return s;
    return absl::FailedPreconditionError("changed my mind");
  });
  auto b = Enqueue(committer, Inserting("b"));
  gate.Open(5ms);
  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_FALSE(refused.get().ok());
  EXPECT_TRUE(b.get().ok());

  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0].first, 1u);                      // the gate's
  EXPECT_GE(heard[0].second, absl::Milliseconds(5));  // it held the writer 5 ms after opening
  EXPECT_EQ(heard[1].first, 3u);  // the three queued behind it, the refused one too
  EXPECT_GT(heard[1].second, absl::ZeroDuration());
}

// Writes held back (ExecuteLater) travel with the function's next statement or its release: a
// read sees them, and one that fails is its function's error and undone with it alone, even
// when the function itself returned OK.
TEST_P(GroupCommitTest, WritesHeldBackAreSeenInOrderAndFailAsTheirFunctions) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  int64_t seen = -1;
  auto reads = Enqueue(committer, [&seen](Transaction& tx) -> absl::Status {
    if (auto s = tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {std::string("r")});
        !s.ok()) {
      return s;
    }
    auto rows = tx.Query("SELECT COUNT(*) FROM items WHERE name = $1", {std::string("r")});
    if (!rows.ok()) return rows.status();
    seen = rows->front().Int(0);
    return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {std::string("r2")});
  });
  auto duplicate = Enqueue(committer, [](Transaction& tx) -> absl::Status {
    if (auto s = tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {std::string("own")});
        !s.ok()) {
      return s;
    }
    // A unique violation that only the release finds out.
    return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {std::string("gate")});
  });
  auto refused = Enqueue(committer, [](Transaction& tx) -> absl::Status {
    if (auto s = tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {std::string("no")});
        !s.ok()) {
      return s;
    }
    return absl::FailedPreconditionError("changed my mind before anything was sent");
  });
  auto b = Enqueue(committer, Inserting("b"));
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(reads.get().ok());
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(duplicate.get().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(refused.get().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(b.get().ok());
  EXPECT_EQ(committer.batches(), 2);
  EXPECT_TRUE(Has("r"));
  EXPECT_TRUE(Has("r2"));  // sent with the release
  EXPECT_FALSE(Has("own"));
  EXPECT_FALSE(Has("no"));
  EXPECT_TRUE(Has("b"));
  EXPECT_EQ(Count(), 4);
}

// What a function leaves unsent when it returns (its held writes, its release, or the undo of a
// failure) goes with the next function's first statement. A carried write that fails is still
// its own function's error, undone alone, and what followed it runs again: the next function's
// read sees the state without it.
TEST_P(GroupCommitTest, CarriedWritesFailAsTheirFunctionsAndTheNextReadRunsWithoutThem) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  auto later = [](Transaction& tx, const std::string& name) {
    return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {name});
  };
  auto duplicate = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    if (auto s = later(tx, "a1"); !s.ok()) return s;
    return later(tx, "gate");  // a unique violation: found only by the next function's read
  });
  auto blind = Enqueue(committer, [&](Transaction& tx) { return later(tx, "x"); });
  int64_t seen = -1;
  auto reads = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    auto rows = tx.Query("SELECT COUNT(*) FROM items WHERE name IN ($1, $2)",
                         {std::string("a1"), std::string("x")});
    if (!rows.ok()) return rows.status();
    seen = rows->front().Int(0);
    return later(tx, "c");
  });
  auto undone = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    if (auto s = Insert(tx, "d"); !s.ok()) return s;
    return Insert(tx, "c");  // fails at once, after "d" was sent: its undo is carried
  });
  int64_t d_seen = -1;
  auto after = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    auto rows = tx.Query("SELECT COUNT(*) FROM items WHERE name = $1", {std::string("d")});
    if (!rows.ok()) return rows.status();
    d_seen = rows->front().Int(0);
    return later(tx, "e");
  });
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_EQ(duplicate.get().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(blind.get().ok());
  EXPECT_TRUE(reads.get().ok());
  EXPECT_EQ(seen, 1);  // "x", sent again after "a1" was undone; not "a1"
  EXPECT_EQ(undone.get().code(), absl::StatusCode::kAlreadyExists);
  absl::Status after_status = after.get();
  EXPECT_TRUE(after_status.ok()) << after_status;
  EXPECT_EQ(d_seen, 0);
  EXPECT_EQ(committer.batches(), 2);
  EXPECT_FALSE(Has("a1"));
  EXPECT_FALSE(Has("d"));
  for (const char* name : {"gate", "x", "c", "e"}) EXPECT_TRUE(Has(name)) << name;
  EXPECT_EQ(Count(), 4);
}

// Functions that each read, then write what they read: one call each (its read carries the
// writes and release of the one before), and one for the last one's, rather than two each.
TEST_P(GroupCommitTest, EachReadCarriesTheWritesOfTheFunctionBefore) {
  testing::CountingDatabase counting(*db_);
  GroupCommitter committer(counting);
  Gate gate(committer);
  std::vector<std::future<absl::Status>> results;
  constexpr int kFunctions = 5;
  for (int i = 0; i < kFunctions; ++i) {
    results.push_back(Enqueue(committer, [i](Transaction& tx) -> absl::Status {
      auto rows = tx.Query("SELECT COUNT(*) FROM items");
      if (!rows.ok()) return rows.status();
      // Each sees the gate and the ones before it.
      if (rows->front().Int(0) != i + 1) return absl::InternalError("a write before was not seen");
      return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {absl::StrCat("n", i)});
    }));
  }
  int before = counting.calls.load();
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  EXPECT_EQ(committer.batches(), 2);
  // The gate's three (its savepoint, its insert whose count it asks for, its release), then one
  // per function and one for the last release.
  EXPECT_EQ(counting.calls.load() - before, 3 + kFunctions + 1);
  EXPECT_EQ(Count(), kFunctions + 1);
}

// Functions whose keys do not meet read ahead, all in the transaction's first round trip, and
// see the state the transaction began with; their writes go together in one more.
TEST_P(GroupCommitTest, ReadsAheadGoTogetherInTheFirstRoundTrip) {
  testing::CountingDatabase counting(*db_);
  GroupCommitter committer(counting);
  Gate gate(committer);
  constexpr int kFunctions = 5;
  std::vector<GroupCommitter::ReadAhead> aheads;
  for (int i = 0; i < kFunctions; ++i) aheads.push_back(CountAhead({absl::StrCat("key", i)}));
  std::vector<std::atomic<int64_t>> counts(kFunctions);
  std::vector<std::atomic<bool>> read_ahead(kFunctions);
  std::vector<std::future<absl::Status>> results;
  for (int i = 0; i < kFunctions; ++i) {
    results.push_back(EnqueueAhead(
        committer, CountingThenInserting(aheads[i], absl::StrCat("n", i), counts[i], read_ahead[i]),
        aheads[i]));
  }
  int before = counting.calls.load();
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  for (int i = 0; i < kFunctions; ++i) {
    EXPECT_TRUE(read_ahead[i]) << i;
    EXPECT_EQ(counts[i], 1) << i;  // the gate's item: what the transaction began with
  }
  EXPECT_EQ(committer.batches(), 2);
  // The gate's three, then the reads ahead and everything the functions held back, with the
  // COMMIT on PostgreSQL: no commit of either transaction cost a round trip of its own there.
  EXPECT_EQ(counting.calls.load() - before, 3 + 2);
  EXPECT_EQ(counting.commits_alone.load(), db_->backend() == "postgresql" ? 0 : 2);
  EXPECT_EQ(Count(), kFunctions + 1);
}

// The last round trip carries the functions' held-back writes and the COMMIT together: a write
// there that fails is still its own function's error, undone alone, and the rest commits.
TEST_P(GroupCommitTest, AWriteThatFailsBesideTheCommitIsUndoneAlone) {
  testing::CountingDatabase counting(*db_);
  GroupCommitter committer(counting);
  Gate gate(committer);
  auto later = [](const std::string& name) {
    return [name](Transaction& tx) {
      return tx.ExecuteLater("INSERT INTO items (name) VALUES ($1)", {name});
    };
  };
  auto first = Enqueue(committer, later("p"));
  auto duplicate = Enqueue(committer, later("gate"));
  auto last = Enqueue(committer, later("q"));
  int before = counting.calls.load();
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(first.get().ok());
  EXPECT_EQ(duplicate.get().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(last.get().ok());
  EXPECT_EQ(committer.batches(), 2);
  // The gate's three; then the writes with the COMMIT, and again without the one that failed.
  EXPECT_EQ(counting.calls.load() - before, 3 + 2);
  EXPECT_EQ(counting.commits_alone.load(), db_->backend() == "postgresql" ? 0 : 2);
  for (const char* name : {"gate", "p", "q"}) EXPECT_TRUE(Has(name)) << name;
  EXPECT_EQ(Count(), 3);
}

// A function reads ahead only when nothing before it in the transaction may have written what
// it reads: not after a function that named one of its keys, nor after one that named none
// (plain Transact); it then reads in its turn and sees their writes.
TEST_P(GroupCommitTest, AFunctionReadsInItsTurnAfterOneThatMayHaveWrittenWhatItReads) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  std::vector<GroupCommitter::ReadAhead> aheads = {CountAhead({"order:1", "shared"}),
                                                   CountAhead({"shared"}), CountAhead({"order:3"}),
                                                   CountAhead({"order:4"})};
  std::vector<std::atomic<int64_t>> counts(4);
  std::vector<std::atomic<bool>> read_ahead(4);
  std::vector<std::future<absl::Status>> results;
  auto enqueue = [&](int i) {
    results.push_back(EnqueueAhead(
        committer, CountingThenInserting(aheads[i], absl::StrCat("n", i), counts[i], read_ahead[i]),
        aheads[i]));
  };
  enqueue(0);
  enqueue(1);  // meets the first's "shared"
  enqueue(2);  // meets nobody's
  results.push_back(Enqueue(committer, Inserting("plain")));
  enqueue(3);  // after a function that named no keys
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  EXPECT_TRUE(read_ahead[0]);
  EXPECT_EQ(counts[0], 1);
  EXPECT_FALSE(read_ahead[1]);
  EXPECT_EQ(counts[1], 2);  // the gate's and the first's
  EXPECT_TRUE(read_ahead[2]);
  EXPECT_EQ(counts[2], 1);
  EXPECT_FALSE(read_ahead[3]);
  EXPECT_EQ(counts[3], 5);  // the gate's, n0, n1, n2 and the plain one's
  EXPECT_EQ(committer.batches(), 2);
  EXPECT_EQ(Count(), 6);
}

// Reads ahead that fail (here a statement the database refuses) cost the transaction nothing but
// the attempt: the functions run again, each reading for itself, and commit.
TEST_P(GroupCommitTest, WhenReadsAheadFailEveryFunctionReadsForItself) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  GroupCommitter::ReadAhead broken;
  broken.statements = {{"SELECT nothing FROM nowhere", {}}};
  broken.keys = {"a"};
  GroupCommitter::ReadAhead fine = CountAhead({"b"});
  std::atomic<int64_t> count_a{-1}, count_b{-1};
  std::atomic<bool> ahead_a{true}, ahead_b{true};
  auto a = EnqueueAhead(committer, CountingThenInserting(broken, "a", count_a, ahead_a), broken);
  auto b = EnqueueAhead(committer, CountingThenInserting(fine, "b", count_b, ahead_b), fine);
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_TRUE(b.get().ok());
  EXPECT_FALSE(ahead_a);
  EXPECT_FALSE(ahead_b);
  EXPECT_EQ(count_a, 1);
  EXPECT_EQ(count_b, 2);
  EXPECT_TRUE(Has("a"));
  EXPECT_TRUE(Has("b"));
}

TEST_P(GroupCommitTest, ARetriedTransactionRunsEveryFunctionAfresh) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  // First attempt: `flaky` fails on its own, then `conflicted` asks for a retry. Second attempt:
  // both succeed, and `flaky`'s error from the first attempt must be forgotten.
  int flaky_runs = 0, conflicted_runs = 0;  // written by the writer thread only
  auto flaky = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    if (++flaky_runs == 1) {
      if (auto s = Insert(tx, "first attempt"); !s.ok()) return s;
      return absl::FailedPreconditionError("not yet");
    }
    return Insert(tx, "flaky");
  });
  auto conflicted = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    if (++conflicted_runs == 1) return absl::UnavailableError("serialization conflict");
    return Insert(tx, "conflicted");
  });
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(flaky.get().ok());
  EXPECT_TRUE(conflicted.get().ok());
  EXPECT_EQ(flaky_runs, 2);
  EXPECT_EQ(conflicted_runs, 2);
  EXPECT_EQ(committer.batches(), 2);
  EXPECT_TRUE(Has("flaky"));
  EXPECT_TRUE(Has("conflicted"));
  EXPECT_FALSE(Has("first attempt"));
}

TEST_P(GroupCommitTest, AFunctionThatStaysUnavailableFailsAlone) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  auto a = Enqueue(committer, Inserting("a"));
  auto stuck = Enqueue(committer, [](Transaction& tx) -> absl::Status {
    if (auto s = Insert(tx, "stuck"); !s.ok()) return s;
    return absl::UnavailableError("always busy");
  });
  auto b = Enqueue(committer, Inserting("b"));
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_EQ(stuck.get().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(b.get().ok());
  EXPECT_TRUE(Has("a"));
  EXPECT_TRUE(Has("b"));
  EXPECT_FALSE(Has("stuck"));
}

// An UNAVAILABLE that names its own retry delay (the full outbox's) is the client's to retry
// later: the function runs once, its changes are undone, the others commit in the same
// transaction, which is not run again.
TEST_P(GroupCommitTest, AnUnavailableWithRetryInfoIsNotRetriedAndFailsAlone) {
  GroupCommitter committer(*db_);
  Gate gate(committer);
  std::atomic<int> runs{0}, runs_of_a{0};
  auto a = Enqueue(committer, [&](Transaction& tx) {
    ++runs_of_a;
    return Insert(tx, "a");
  });
  auto refused = Enqueue(committer, [&](Transaction& tx) -> absl::Status {
    ++runs;
    if (auto s = Insert(tx, "refused"); !s.ok()) return s;
    absl::Status status = absl::UnavailableError("the outbox is full");
    status.SetPayload(kRetryInfoType, absl::Cord("\x0a\x02\x08\x0a"));
    return status;
  });
  auto b = Enqueue(committer, Inserting("b"));
  gate.Open();

  EXPECT_TRUE(gate.Result().ok());
  EXPECT_TRUE(a.get().ok());
  absl::Status got = refused.get();
  EXPECT_EQ(got.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(got.GetPayload(kRetryInfoType).has_value());
  EXPECT_TRUE(b.get().ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(runs_of_a, 1);
  EXPECT_TRUE(Has("a"));
  EXPECT_TRUE(Has("b"));
  EXPECT_FALSE(Has("refused"));
  EXPECT_FALSE(IsTransient(got));
  EXPECT_TRUE(IsTransient(absl::UnavailableError("busy")));
}

TEST_P(GroupCommitTest, MaxBatchBoundsATransaction) {
  GroupCommitter::Options options;
  options.max_batch = 2;
  GroupCommitter committer(*db_, options);
  Gate gate(committer);
  std::vector<std::future<absl::Status>> results;
  for (int i = 0; i < 5; ++i) results.push_back(Enqueue(committer, Inserting(std::to_string(i))));
  gate.Open();
  EXPECT_TRUE(gate.Result().ok());
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  EXPECT_EQ(committer.batches(), 1 + 3);  // the gate's, then 2 + 2 + 1
  EXPECT_EQ(Count(), 6);
}

TEST_P(GroupCommitTest, ChangesAreCommittedWhenTransactReturns) {
  // Another handle with connections of its own: what it reads is committed, not merely written.
  auto reader = Database::Open(database_.url());
  ASSERT_TRUE(reader.ok()) << reader.status();
  constexpr int kThreads = 8, kEach = 25;
  GroupCommitter committer(*db_);
  std::atomic<int> failures{0}, unseen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string name = std::to_string(t) + "-" + std::to_string(i);
        if (!committer.Transact(Inserting(name)).ok()) {
          failures++;
        } else if (!Has(name, reader->get())) {
          unseen++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(unseen, 0);
}

TEST_P(GroupCommitTest, DestructorFinishesTheQueuedWork) {
  auto committer = std::make_unique<GroupCommitter>(*db_);
  std::vector<std::future<absl::Status>> results;
  {
    Gate gate(*committer);
    for (int i = 0; i < 10; ++i)
      results.push_back(Enqueue(*committer, Inserting(std::to_string(i))));
    // The gate's function returns a while after the destructor began, the ten still queued.
    gate.Open(/*hold=*/100ms);
    committer.reset();
    // Committed before the destructor returned (the callers themselves may wake a little later).
    EXPECT_EQ(Count(), 11);
    EXPECT_TRUE(gate.Result().ok());
  }
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
}

// Submit: a caller that does not wait is told its result through `done`, once, after the
// transaction holding its changes committed (a read from another connection sees them then), or
// with its own error; it returns before the function ran.
TEST_P(GroupCommitTest, SubmitTellsEachCallerItsResultOnceCommitted) {
  auto reader = Database::Open(database_.url());
  ASSERT_TRUE(reader.ok()) << reader.status();
  GroupCommitter committer(*db_);
  std::mutex mu;
  std::vector<std::pair<std::string, absl::Status>> told;
  std::atomic<int> unseen{0};
  // Functions and reads must outlive their `done`: kept here until the end.
  std::vector<std::unique_ptr<Fn>> fns;
  {
    Gate gate(committer);
    for (const std::string name : {"a", "gate", "b"}) {  // "gate" is taken: a unique violation
      fns.push_back(std::make_unique<Fn>(Inserting(name)));
      committer.Submit(*fns.back(), nullptr, [&, name](absl::Status status) {
        if (status.ok() && !Has(name, reader->get())) unseen++;
        std::lock_guard<std::mutex> lock(mu);
        told.emplace_back(name, std::move(status));
      });
    }
    // Submit returned at once: the writer is still held, nothing ran.
    {
      std::lock_guard<std::mutex> lock(mu);
      EXPECT_TRUE(told.empty());
    }
    gate.Open();
    EXPECT_TRUE(gate.Result().ok());
  }
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard<std::mutex> lock(mu);
    return told.size() == 3;
  }));
  std::this_thread::sleep_for(20ms);  // a second call of any `done` would land here
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(told.size(), 3u);
  for (const auto& [name, status] : told) {
    if (name == "gate") {
      EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
    } else {
      EXPECT_TRUE(status.ok()) << name << ": " << status;
    }
  }
  EXPECT_EQ(unseen, 0);
  EXPECT_EQ(Count(), 3);  // the gate's, "a" and "b"
}

// The callers' results are handed out by a thread of their own, not the writer: the next
// transaction commits while a `done` still runs (whose results then wait their turn).
TEST_P(GroupCommitTest, ASlowDoneHoldsUpNoLaterCommit) {
  GroupCommitter committer(*db_);
  Fn first = Inserting("first"), second = Inserting("second");
  std::atomic<bool> release{false}, first_told{false}, second_told{false};
  committer.Submit(first, nullptr, [&](absl::Status status) {
    EXPECT_TRUE(status.ok()) << status;
    while (!release) std::this_thread::sleep_for(1ms);
    first_told = true;
  });
  ASSERT_TRUE(WaitUntil([&] { return Has("first"); }));
  committer.Submit(second, nullptr, [&](absl::Status status) {
    EXPECT_TRUE(status.ok()) << status;
    second_told = true;
  });
  EXPECT_TRUE(WaitUntil([&] { return Has("second"); }));
  EXPECT_FALSE(first_told);
  EXPECT_FALSE(second_told);
  release = true;
  EXPECT_TRUE(WaitUntil([&] { return first_told && second_told; }));
}

// Not an assertion: a figure for the notes. 16 callers x 200 single-row inserts, one
// transaction each through Database::Transact, then through one GroupCommitter.
TEST_P(GroupCommitTest, ThroughputAgainstOneTransactionPerRequest) {
  constexpr int kThreads = 16, kEach = 200;
  auto measure = [&](const std::string& prefix, const std::function<absl::Status(const Fn&)>& run) {
    std::atomic<int> failures{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          if (!run(Inserting(prefix + std::to_string(t) + "-" + std::to_string(i))).ok()) {
            failures++;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(failures, 0);
    return kThreads * kEach / took.count();
  };
  double direct = measure("direct ", [&](const Fn& fn) { return db_->Transact(fn); });
  GroupCommitter committer(*db_);
  double grouped = measure("grouped ", [&](const Fn& fn) { return committer.Transact(fn); });
  EXPECT_EQ(Count(), 2 * kThreads * kEach);
  std::printf(
      "[%s] %d threads x %d inserts: Database::Transact %.0f items/s, GroupCommitter "
      "%.0f items/s (%lld transactions)\n",
      GetParam().c_str(), kThreads, kEach, direct, grouped,
      static_cast<long long>(committer.batches()));
  RecordProperty("direct_items_per_s", static_cast<int>(direct));
  RecordProperty("grouped_items_per_s", static_cast<int>(grouped));
  RecordProperty("grouped_transactions", static_cast<int>(committer.batches()));
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitTest, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace parkline::store
