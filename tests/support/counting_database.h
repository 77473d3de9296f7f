// A Database that counts what its write transactions are asked to run at once (Query, Execute,
// QueryAll, ExecuteScript): on PostgreSQL each such call is one round trip (the first carries
// BEGIN), besides the COMMIT. For tests that pin how many round trips a use case costs.
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
  absl::Status ExecuteScript(absl::string_view sql) override {
    ++calls_;
    return tx_.ExecuteScript(sql);
  }

 private:
  store::Transaction& tx_;
  std::atomic<int>& calls_;
};

class CountingDatabase : public store::Database {
 public:
  explicit CountingDatabase(store::Database& db) : db_(db) {}
  absl::Status Transact(const std::function<absl::Status(store::Transaction&)>& fn) override {
    return db_.Transact([&](store::Transaction& tx) {
      CountingTransaction counting(tx, calls);
      return fn(counting);
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

 private:
  store::Database& db_;
};

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_COUNTING_DATABASE_H_
