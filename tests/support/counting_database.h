// A Database that counts what its write transactions are asked to run at once (Query, Execute,
// QueryAll, QueryAllAtThenCommit, ExecuteScript): on PostgreSQL each such call is one round trip
// (the first carries BEGIN), and so is a COMMIT that did not go with the last of them, counted
// apart (`commits_alone`; every commit on SQLite, which has no round trips). For tests that pin
// how many round trips a use case costs.
#ifndef PARKLINE_TESTS_SUPPORT_COUNTING_DATABASE_H_
#define PARKLINE_TESTS_SUPPORT_COUNTING_DATABASE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace parkline::testing {

class CountingTransaction : public store::Transaction {
 public:
  CountingTransaction(store::Transaction& tx, std::atomic<int>& calls) : tx_(tx), calls_(calls) {}
  // Whether a QueryAllAtThenCommit committed.
  bool committed() const { return committed_; }
  absl::StatusOr<std::vector<store::Row>> Query(absl::string_view sql,
                                                const store::Params& params) override {
    ++calls_;
    return tx_.Query(sql, params);
  }
  absl::StatusOr<int64_t> Execute(absl::string_view sql, const store::Params& params) override {
    ++calls_;
    return tx_.Execute(sql, params);
  }
  absl::StatusOr<std::vector<std::vector<store::Row>>> QueryAllAt(
      const std::vector<store::Statement>& statements, size_t* failed) override {
    ++calls_;
    return tx_.QueryAllAt(statements, failed);
  }
  absl::StatusOr<std::vector<std::vector<store::Row>>> QueryAllAtThenCommit(
      const std::vector<store::Statement>& statements, size_t* failed, bool* committed) override {
    ++calls_;
    auto out = tx_.QueryAllAtThenCommit(statements, failed, committed);
    committed_ = *committed;
    return out;
  }
  absl::Status ExecuteScript(absl::string_view sql) override {
    ++calls_;
    return tx_.ExecuteScript(sql);
  }

 private:
  store::Transaction& tx_;
  std::atomic<int>& calls_;
  bool committed_ = false;
};

class CountingDatabase : public store::Database {
 public:
  explicit CountingDatabase(store::Database& db) : db_(db) {}
  absl::Status Transact(const std::function<absl::Status(store::Transaction&)>& fn) override {
    return db_.Transact([&](store::Transaction& tx) {
      CountingTransaction counting(tx, calls);
      absl::Status status = fn(counting);
      if (status.ok() && !counting.committed()) ++commits_alone;
      return status;
    });
  }
  absl::Status TransactWithoutFlush(
      const std::function<absl::Status(store::Transaction&)>& fn) override {
    return db_.TransactWithoutFlush(fn);
  }
  absl::Status Read(const std::function<absl::Status(store::Transaction&)>& fn) override {
    return db_.Read(fn);
  }
  absl::string_view backend() const override { return db_.backend(); }
  std::string ExclusiveLockSql() const override { return db_.ExclusiveLockSql(); }
  absl::StatusOr<std::unique_ptr<Lease>> TryLease(absl::string_view name) override {
    return db_.TryLease(name);
  }

  std::atomic<int> calls{0};
  // Transactions that returned OK without their COMMIT going with their last call.
  std::atomic<int> commits_alone{0};

 private:
  store::Database& db_;
};

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_COUNTING_DATABASE_H_
