// The store's conformance suite, run on every backend (SQLite always; PostgreSQL when the test
// server is up): migrations, transactions, parameters, constraint errors, statements sent
// together (QueryAll), concurrent writers.
// The same SQL, the same answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/sqlite_database.h"
#include "tests/support/plaintext_scan.h"
#include "tests/support/test_env.h"

namespace parkline::store {
namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (database_.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
    auto db = Database::Open(database_.url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Transaction& tx) -> absl::Status {
                     auto rows = tx.Query("SELECT COUNT(*) FROM " + table);
                     if (!rows.ok()) return rows.status();
                     n = rows->front().Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::string NewName() { return "item-" + std::to_string(next_name_++); }

  // The names in `items`, in order.
  std::vector<std::string> ItemNames() {
    return testing::ColumnOf(*db_, "SELECT name FROM items ORDER BY name");
  }

  testing::TestDatabase database_{GetParam()};
  std::unique_ptr<Database> db_;
  std::atomic<int> next_name_{0};
};

const std::vector<Migration> kMigrations = {
    {1, "items", "CREATE TABLE items (id {{id}}, name TEXT NOT NULL UNIQUE, data {{blob}})"},
    {2, "items.qty", "ALTER TABLE items ADD COLUMN qty BIGINT NOT NULL DEFAULT 0 CHECK (qty >= 0)"},
};

TEST_P(StoreTest, MigrationsApplyOnceAndAreRecorded) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());  // a restart: nothing to do
  EXPECT_EQ(Count("schema_migrations"), 2);
  // A later release adds migration 3 only.
  auto more = kMigrations;
  more.push_back({3, "index", "CREATE INDEX items_qty ON items (qty)"});
  ASSERT_TRUE(ApplyMigrations(*db_, "test", more).ok());
  EXPECT_EQ(Count("schema_migrations"), 3);
}

TEST_P(StoreTest, AFailingMigrationLeavesTheSchemaAtTheLastWholeVersion) {
  std::vector<Migration> broken = {kMigrations[0],
                                   {2, "broken", "CREATE TABLE t2 (a BIGINT); SELECT nonsense("}};
  absl::Status s = ApplyMigrations(*db_, "test", broken);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("migration 2 (broken)"), std::string::npos) << s;
  EXPECT_EQ(Count("schema_migrations"), 1);
  // t2 was created inside the failed migration's transaction and rolled back with it.
  EXPECT_FALSE(
      db_->Read([](Transaction& tx) { return tx.Query("SELECT * FROM t2").status(); }).ok());
}

// A C++ step runs after its migration's SQL, in its transaction: what it writes is recorded with
// the version, and when it fails the SQL before it is undone too.
TEST_P(StoreTest, AMigrationsStepRunsInItsTransaction) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  auto more = kMigrations;
  more.push_back({3, "step fails", "INSERT INTO items (name, qty) VALUES ('sql', 1)",
                  [](Transaction& tx) -> absl::Status {
                    auto r = tx.Execute("UPDATE items SET qty = 2 WHERE name = 'sql'");
                    if (!r.ok()) return r.status();
                    return absl::DataLossError("a payload does not parse");
                  }});
  absl::Status s = ApplyMigrations(*db_, "test", more);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("migration 3 (step fails)"), std::string::npos) << s;
  EXPECT_EQ(Count("items"), 0);
  EXPECT_EQ(Count("schema_migrations"), 2);

  more.back() = {3, "step", "INSERT INTO items (name, qty) VALUES ('sql', 1)",
                 [](Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT qty FROM items WHERE name = 'sql'");
                   if (!rows.ok()) return rows.status();
                   return tx
                       .Execute("UPDATE items SET qty = $1 WHERE name = 'sql'",
                                {rows->front().Int(0) + 1})
                       .status();
                 }};
  ASSERT_TRUE(ApplyMigrations(*db_, "test", more).ok());
  ASSERT_TRUE(ApplyMigrations(*db_, "test", more).ok());  // once only
  EXPECT_EQ(Count("schema_migrations"), 3);
  ASSERT_TRUE(db_->Read([](Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT qty FROM items");
                   if (!rows.ok()) return rows.status();
                   EXPECT_EQ(rows->size(), 1u);
                   if (!rows->empty()) {
                     EXPECT_EQ(rows->front().Int(0), 2);
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  // A step alone, without SQL.
  more.push_back({4, "step only", "",
                  [](Transaction& tx) { return tx.Execute("DELETE FROM items").status(); }});
  ASSERT_TRUE(ApplyMigrations(*db_, "test", more).ok());
  EXPECT_EQ(Count("items"), 0);
}

// An older release started on a database a newer one migrated (a rollback, an old pod restarting
// during a rolling upgrade) must not run: its code does not know what the newer migrations did.
TEST_P(StoreTest, AnOlderBinaryRefusesASchemaNewerThanItKnowsAndWritesNothing) {
  auto newer = kMigrations;
  newer.push_back({3, "items by qty", "CREATE INDEX items_qty ON items (qty)"});
  ASSERT_TRUE(ApplyMigrations(*db_, "test", newer).ok());

  absl::Status refused = ApplyMigrations(*db_, "test", kMigrations);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(IsSchemaNewerThanBinary(refused)) << refused;
  EXPECT_NE(refused.message().find("test schema is at version 3 (items by qty)"), std::string::npos)
      << refused;
  EXPECT_NE(refused.message().find("this binary knows (version 2)"), std::string::npos) << refused;
  EXPECT_EQ(Count("schema_migrations"), 3);

  // The same release, a later one, and another component at its own version all still start.
  EXPECT_TRUE(ApplyMigrations(*db_, "test", newer).ok());
  newer.push_back({4, "step only", "", [](Transaction&) { return absl::OkStatus(); }});
  EXPECT_TRUE(ApplyMigrations(*db_, "test", newer).ok());
  EXPECT_TRUE(
      ApplyMigrations(*db_, "other", {{1, "others", "CREATE TABLE others (id {{id}})"}}).ok());
  EXPECT_EQ(Count("schema_migrations"), 5);
}

TEST_P(StoreTest, OtherMigrationFailuresAreNotTakenForANewerSchema) {
  std::vector<Migration> broken = {{1, "broken", "CREATE TABLE"}};
  absl::Status s = ApplyMigrations(*db_, "broken", broken);
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(IsSchemaNewerThanBinary(s)) << s;
  EXPECT_FALSE(IsSchemaNewerThanBinary(absl::FailedPreconditionError("schema")));
}

TEST_P(StoreTest, MigrationVersionsMustBeContiguous) {
  std::vector<Migration> gap = {{1, "a", "SELECT 1"}, {3, "c", "SELECT 1"}};
  EXPECT_EQ(ApplyMigrations(*db_, "gap", gap).code(), absl::StatusCode::kInternal);
}

TEST_P(StoreTest, ErrorRollsBackTheWholeTransaction) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  absl::Status s = db_->Transact([](Transaction& tx) -> absl::Status {
    auto r = tx.Execute("INSERT INTO items (name) VALUES ($1)", {std::string("a")});
    if (!r.ok()) return r.status();
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("items"), 0);
}

// A transaction that need not wait for the disk commits and rolls back as any other, and the
// ordinary transactions after it on the same connections wait for the disk again.
TEST_P(StoreTest, ATransactionWithoutFlushLeavesTheOthersFlushed) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  const std::string setting =
      GetParam() == "sqlite" ? "PRAGMA synchronous" : "SHOW synchronous_commit";
  auto read_setting = [&](Transaction& tx, std::string* out) -> absl::Status {
    auto rows = tx.Query(setting);
    if (!rows.ok()) return rows.status();
    *out = rows->front().IsNull(0) ? "" : rows->front().Text(0);
    if (out->empty()) *out = std::to_string(rows->front().Int(0));
    return absl::OkStatus();
  };
  std::string during, after;
  ASSERT_TRUE(db_->TransactWithoutFlush([&](Transaction& tx) -> absl::Status {
                   auto r = tx.Execute("INSERT INTO items (name) VALUES ('a')");
                   if (!r.ok()) return r.status();
                   return read_setting(tx, &during);
                 })
                  .ok());
  EXPECT_EQ(db_->TransactWithoutFlush([](Transaction& tx) -> absl::Status {
                 auto r = tx.Execute("INSERT INTO items (name) VALUES ('b')");
                 if (!r.ok()) return r.status();
                 return absl::AbortedError("changed my mind");
               })
                .code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(db_->Transact([&](Transaction& tx) { return read_setting(tx, &after); }).ok());
  EXPECT_EQ(Count("items"), 1);
  if (GetParam() == "sqlite") {
    EXPECT_EQ(during, "1");  // NORMAL
    EXPECT_EQ(after, "2");   // FULL
  } else {
    EXPECT_EQ(during, "off");
    EXPECT_EQ(after, "on");
  }
}

TEST_P(StoreTest, ConstraintViolationsAreClearErrors) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  auto insert = [&](const std::string& name, int64_t qty) {
    return db_->Transact([&](Transaction& tx) {
      return tx.Execute("INSERT INTO items (name, qty) VALUES ($1, $2)", {name, qty}).status();
    });
  };
  ASSERT_TRUE(insert("a", 1).ok());
  EXPECT_EQ(insert("a", 1).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(insert("b", -1).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(StoreTest, ParametersAreBoundByNumberWhateverTheirOrder) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  std::string blob("\0\1\2", 3);
  ASSERT_TRUE(db_->Transact([&](Transaction& tx) {
                   return tx
                       .Execute("INSERT INTO items (qty, name, data) VALUES ($2, $1, $3)",
                                {std::string("x"), int64_t{7}, Blob{blob}})
                       .status();
                 })
                  .ok());
  ASSERT_TRUE(db_->Read([&](Transaction& tx) -> absl::Status {
                   auto rows = tx.Query("SELECT name, qty, data, NULL FROM items WHERE qty = $1",
                                        {int64_t{7}});
                   if (!rows.ok()) return rows.status();
                   EXPECT_EQ(rows->size(), 1u);
                   EXPECT_EQ(rows->front().Text(0), "x");
                   EXPECT_EQ(rows->front().Int(1), 7);
                   EXPECT_EQ(rows->front().Text(2), blob);
                   EXPECT_TRUE(rows->front().IsNull(3));
                   return absl::OkStatus();
                 })
                  .ok());
}

// PostgreSQL's "$N" is what every statement uses; SQLite is given "?N" (NumberedParameters), the
// same parameter by number, and the text around it as it was.
TEST(NumberedParametersTest, OnlyParametersChange) {
  EXPECT_EQ(NumberedParameters("INSERT INTO t (a, b) VALUES ($2, $10), ($1, $2)"),
            "INSERT INTO t (a, b) VALUES (?2, ?10), (?1, ?2)");
  EXPECT_EQ(NumberedParameters("SELECT '$1', 'it''s $2', \"$3\", a$4, $5 -- $6\n, $7 /* $8 */ $9"),
            "SELECT '$1', 'it''s $2', \"$3\", a$4, ?5 -- $6\n, ?7 /* $8 */ ?9");
  EXPECT_EQ(NumberedParameters("SELECT $ , $x, 'open $1"), "SELECT $ , $x, 'open $1");
}

TEST_P(StoreTest, AParameterNamedTwiceIsOneValueAndQuotedDollarsAreText) {
  ASSERT_TRUE(
      db_->Read([&](Transaction& tx) -> absl::Status {
           auto rows = tx.Query("SELECT $2 || '$1' || $2, $1 + $1", {int64_t{3}, std::string("a")});
           if (!rows.ok()) return rows.status();
           EXPECT_EQ(rows->front().Text(0), "a$1a");
           EXPECT_EQ(rows->front().Int(1), 6);
           return absl::OkStatus();
         })
          .ok());
}

// A statement run again and again on one PostgreSQL session is planned once, after PostgreSQL's
// five trial runs, not at every run (#25: planning was most of the database's CPU per document).
TEST_P(StoreTest, AStatementRunOftenKeepsOnePlan) {
  if (db_->backend() != "postgresql") GTEST_SKIP() << "plans are PostgreSQL's";
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  const std::string sql = "SELECT name FROM items WHERE qty = $1";
  int64_t generic = -1;
  // One transaction: one session, whose prepared statements pg_prepared_statements shows.
  ASSERT_TRUE(db_->Transact([&](Transaction& tx) -> absl::Status {
                   for (int64_t i = 0; i < 10; ++i) {
                     if (auto rows = tx.Query(sql, {i}); !rows.ok()) return rows.status();
                   }
                   auto rows = tx.Query(
                       "SELECT generic_plans FROM pg_prepared_statements WHERE statement = $1",
                       {sql});
                   if (!rows.ok()) return rows.status();
                   if (rows->size() != 1) return absl::InternalError("not prepared once");
                   generic = rows->front().Int(0);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_GE(generic, 4);  // runs 6 to 10
}

// Many statements in one call, the same text with other values, and reads that follow writes:
// each statement sees the ones before it.
TEST_P(StoreTest, QueryAllRunsEveryStatementInOrderAndReturnsEachOnesRows) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  std::string blob("\0\xff", 2);
  std::vector<Statement> statements;
  for (int i = 0; i < 20; ++i) {
    statements.push_back({"INSERT INTO items (name, qty, data) VALUES ($1, $2, $3)",
                          {"n" + std::to_string(i), int64_t{i}, Blob{blob}}});
    statements.push_back({"SELECT COUNT(*), MAX(qty) FROM items WHERE qty <= $1", {int64_t{i}}});
  }
  statements.push_back({"SELECT name, data FROM items WHERE qty = $1", {int64_t{19}}});
  std::vector<std::vector<Row>> results;
  ASSERT_TRUE(db_->Transact([&](Transaction& tx) -> absl::Status {
                   auto all = tx.QueryAll(statements);
                   if (!all.ok()) return all.status();
                   results = std::move(*all);
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_EQ(results.size(), statements.size());
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(results[2 * i].empty()) << i;
    ASSERT_EQ(results[2 * i + 1].size(), 1u) << i;
    EXPECT_EQ(results[2 * i + 1][0].Int(0), i + 1) << i;
    EXPECT_EQ(results[2 * i + 1][0].Int(1), i) << i;
  }
  ASSERT_EQ(results.back().size(), 1u);
  EXPECT_EQ(results.back()[0].Text(0), "n19");
  EXPECT_EQ(results.back()[0].Text(1), blob);
  EXPECT_EQ(Count("items"), 20);
}

// A failing statement is the caller's error, the ones after it do not run, and the savepoint
// around them undoes what ran before it; the transaction then goes on as after a failed Query.
TEST_P(StoreTest, QueryAllStopsAtTheFirstError) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  const std::string insert = "INSERT INTO items (name) VALUES ($1)";
  absl::Status failed;
  ASSERT_TRUE(db_->Transact([&](Transaction& tx) -> absl::Status {
                   if (auto s = tx.Execute(insert, {std::string("kept")}); !s.ok()) {
                     return s.status();
                   }
                   if (auto s = tx.Execute("SAVEPOINT q"); !s.ok()) return s.status();
                   failed = tx.QueryAll({{insert, {std::string("undone")}},
                                         {insert, {std::string("kept")}},
                                         {insert, {std::string("never")}}})
                                .status();
                   if (auto s = tx.Execute("ROLLBACK TO SAVEPOINT q"); !s.ok()) return s.status();
                   return tx.QueryAll({{insert, {std::string("after")}}}).status();
                 })
                  .ok());
  EXPECT_EQ(failed.code(), absl::StatusCode::kAlreadyExists) << failed;
  EXPECT_EQ(ItemNames(), (std::vector<std::string>{"after", "kept"}));
}

// Thousands of statements in one call, whose answers (12 MB) are more than the sockets' buffers
// hold: on PostgreSQL, one pipeline sent while its answers are taken in, so that neither side
// waits on the other for good; every answer comes back, in order.
TEST_P(StoreTest, APipelineOfAnySizeRunsInOneCall) {
  const std::string big(4096, 'x');
  std::vector<Statement> statements;
  constexpr int kStatements = 3000;
  for (int i = 0; i < kStatements; ++i) {
    statements.push_back({"SELECT CAST($1 AS TEXT) || CAST($2 AS TEXT)", {big, std::to_string(i)}});
  }
  std::vector<std::vector<Row>> results;
  absl::Status read = db_->Read([&](Transaction& tx) -> absl::Status {
    auto all = tx.QueryAll(statements);
    if (!all.ok()) return all.status();
    results = std::move(*all);
    return absl::OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read;
  ASSERT_EQ(results.size(), size_t{kStatements});
  for (int i = 0; i < kStatements; ++i) {
    ASSERT_EQ(results[i].size(), 1u) << i;
    ASSERT_EQ(results[i][0].Text(0), big + std::to_string(i)) << i;
  }
}

// A writer's last statements carry the COMMIT where that saves a round trip (PostgreSQL: the
// transaction is then committed, nothing is left for Transact to end); on SQLite the statements
// run and Transact commits. Either way their rows land; a call whose statement fails commits
// nothing, and the transaction goes on as after a failed QueryAll.
TEST_P(StoreTest, TheLastStatementsCarryTheCommit) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  const std::string insert = "INSERT INTO items (name) VALUES ($1)";
  absl::Status refused;
  size_t refused_at = 99, last_failed = 99;
  bool committed_after_refusal = true, committed = false;
  absl::Status status = db_->Transact([&](Transaction& tx) -> absl::Status {
    if (auto s = tx.Execute(insert, {std::string("a")}); !s.ok()) return s.status();
    if (auto s = tx.Execute("SAVEPOINT q"); !s.ok()) return s.status();
    refused = tx.QueryAllAtThenCommit({{insert, {std::string("b")}}, {insert, {std::string("a")}}},
                                      &refused_at, &committed_after_refusal)
                  .status();
    if (auto s = tx.Execute("ROLLBACK TO SAVEPOINT q"); !s.ok()) return s.status();
    return tx.QueryAllAtThenCommit({{insert, {std::string("c")}}}, &last_failed, &committed)
        .status();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(refused.code(), absl::StatusCode::kAlreadyExists) << refused;
  EXPECT_EQ(refused_at, 1u);
  EXPECT_FALSE(committed_after_refusal);
  EXPECT_EQ(committed, db_->backend() == "postgresql");
  EXPECT_EQ(ItemNames(), (std::vector<std::string>{"a", "c"}));
}

// A COMMIT that fails in the last statements' round trip (here a constraint checked at commit)
// is the transaction's error and none of the statements': nothing lands, and the connection
// serves the next transaction.
TEST_P(StoreTest, ACommitThatFailsWithTheLastStatementsLandsNothing) {
  if (db_->backend() != "postgresql") GTEST_SKIP() << "SQLite commits in Transact, not with them";
  ASSERT_TRUE(ApplyMigrations(*db_, "test",
                              {{1, "checked at commit",
                                "CREATE TABLE parents (id BIGINT PRIMARY KEY); CREATE TABLE "
                                "children (parent BIGINT REFERENCES parents (id) DEFERRABLE "
                                "INITIALLY DEFERRED)"}})
                  .ok());
  size_t failed = 99;
  bool committed = true;
  absl::Status status = db_->Transact([&](Transaction& tx) -> absl::Status {
    return tx
        .QueryAllAtThenCommit({{"INSERT INTO parents (id) VALUES (1)", {}},
                               {"INSERT INTO children (parent) VALUES (2)", {}}},
                              &failed, &committed)
        .status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(failed, 2u);
  EXPECT_FALSE(committed);
  EXPECT_EQ(Count("parents"), 0);
  EXPECT_EQ(Count("children"), 0);
  ASSERT_TRUE(db_->Transact([](Transaction& tx) {
                   return tx.Execute("INSERT INTO parents (id) VALUES (3)").status();
                 })
                  .ok());
  EXPECT_EQ(Count("parents"), 1);
}

// Writes run SERIALIZABLE and reads on one snapshot (PostgreSQL; SQLite's writers are
// serial); a transaction that runs nothing, or whose first statement fails, leaves the
// connection ready for the next; the first statement's changes belong to the transaction.
TEST_P(StoreTest, TransactionsRunAtTheirIsolationLevelFromTheFirstStatement) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  EXPECT_TRUE(db_->Transact([](Transaction&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(
      db_->Transact([](Transaction& tx) { return tx.Execute("SELECT nonsense(").status(); }).code(),
      absl::StatusCode::kInternal);
  if (db_->backend() == "postgresql") {
    auto isolation = [&](bool write) {
      std::string level;
      auto read = [&](Transaction& tx) -> absl::Status {
        auto rows = tx.Query("SHOW transaction_isolation");
        if (!rows.ok()) return rows.status();
        level = rows->front().Text(0);
        return absl::OkStatus();
      };
      EXPECT_TRUE((write ? db_->Transact(read) : db_->Read(read)).ok());
      return level;
    };
    EXPECT_EQ(isolation(true), "serializable");
    EXPECT_EQ(isolation(false), "repeatable read");
  }
  // Its first statement's changes are the transaction's: undone with it.
  EXPECT_FALSE(db_->Transact([](Transaction& tx) -> absl::Status {
                    if (auto s = tx.Execute("INSERT INTO items (name) VALUES ('undone')");
                        !s.ok()) {
                      return s.status();
                    }
                    return absl::AbortedError("no");
                  })
                   .ok());
  EXPECT_EQ(Count("items"), 0);
}

TEST(DialectTest, PostgresqlOnlyStatementsAreLeftOutOnSqlite) {
  const std::string script =
      "CREATE TABLE t (b {{blob}});{{postgresql:ALTER TABLE t ALTER COLUMN b SET STORAGE "
      "EXTERNAL}} SELECT 1";
  EXPECT_EQ(ExpandDialect(script, "sqlite"), "CREATE TABLE t (b BLOB); SELECT 1");
  EXPECT_EQ(ExpandDialect(script, "postgresql"),
            "CREATE TABLE t (b BYTEA);ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL SELECT 1");
  EXPECT_EQ(ExpandDialect("{{postgresql:unclosed", "sqlite"), "{{postgresql:unclosed");
}

// A migration whose every statement is PostgreSQL's alone is recorded on SQLite too.
TEST_P(StoreTest, AMigrationOfPostgresqlOnlyStatementsAppliesOnEveryBackend) {
  std::vector<Migration> migrations = {
      kMigrations[0],
      {2, "uncompressed",
       "{{postgresql:ALTER TABLE items ALTER COLUMN data SET STORAGE EXTERNAL}}"}};
  ASSERT_TRUE(ApplyMigrations(*db_, "test", migrations).ok());
  ASSERT_TRUE(ApplyMigrations(*db_, "test", migrations).ok());
  if (db_->backend() != "postgresql") return;
  std::string storage;
  ASSERT_TRUE(db_->Read([&](Transaction& tx) -> absl::Status {
                   auto rows = tx.Query(
                       "SELECT attstorage::text FROM pg_attribute WHERE attrelid = "
                       "'items'::regclass AND attname = 'data'");
                   if (!rows.ok()) return rows.status();
                   storage = rows->front().Text(0);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(storage, "e");
}

TEST_P(StoreTest, ConcurrentWritersAllLand) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  constexpr int kThreads = 4, kEach = 100;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::Status s = db_->Transact([&](Transaction& tx) {
          return tx
              .Execute("INSERT INTO items (name) VALUES ($1)",
                       {std::to_string(t) + "-" + std::to_string(i)})
              .status();
        });
        if (!s.ok()) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("items"), kThreads * kEach);
}

// Readers never wait for writers: not for the file (WAL on SQLite, MVCC on PostgreSQL), and not
// for a connection. On SQLite a writer that waits for the file holds a connection meanwhile, so
// readers have connections of their own; here six writers queue behind a long write transaction,
// more than there are writers' connections, and a read still runs while it lasts.
TEST_P(StoreTest, AReadRunsWhileWritersQueueBehindALongTransaction) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  std::atomic<bool> holding{false};
  std::atomic<bool> read_done{false};
  bool read_while_held = false;
  std::thread longest([&] {
    EXPECT_TRUE(db_->Transact([&](Transaction& tx) -> absl::Status {
                     if (auto w = tx.Execute("INSERT INTO items (name) VALUES ('long')"); !w.ok()) {
                       return w.status();
                     }
                     holding = true;
                     // Held until the read is done, or 5 s: a read that waited for a connection
                     // until this commit comes after it.
                     const absl::Time deadline = absl::Now() + absl::Seconds(5);
                     while (!read_done && absl::Now() < deadline) {
                       absl::SleepFor(absl::Milliseconds(1));
                     }
                     read_while_held = read_done;
                     return absl::OkStatus();
                   })
                    .ok());
  });
  const absl::Time began = absl::Now();
  while (!holding && absl::Now() < began + absl::Seconds(10)) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (!holding) {
    longest.join();
    FAIL() << "the long transaction never began";
  }
  std::vector<std::thread> writers;
  for (int i = 0; i < 6; ++i) {
    writers.emplace_back([&, i] {
      EXPECT_TRUE(db_->Transact([&](Transaction& tx) {
                       return tx
                           .Execute("INSERT INTO items (name) VALUES ($1)",
                                    {"queued-" + std::to_string(i)})
                           .status();
                     })
                      .ok());
    });
  }
  absl::SleepFor(absl::Milliseconds(100));  // the writers queue meanwhile
  // The read, which sees the database as it was before the long transaction.
  EXPECT_EQ(testing::ColumnOf(*db_, "SELECT name FROM items WHERE name = 'long'"),
            std::vector<std::string>{});
  read_done = true;
  longest.join();
  for (auto& w : writers) w.join();
  EXPECT_TRUE(read_while_held) << "the read waited for the long transaction to end";
  EXPECT_EQ(Count("items"), 7);
}

// What the retry observer (SetRetryObserver) was told, in order: cause and whether it gave up.
class Retries {
 public:
  Retries() {
    SetRetryObserver([this](absl::string_view cause, bool gave_up) {
      // Every cause told is one that those who count them know of.
      EXPECT_NE(std::find(std::begin(kTransientCauses), std::end(kTransientCauses), cause),
                std::end(kTransientCauses))
          << cause;
      std::lock_guard<std::mutex> lock(mu_);
      seen_.emplace_back(std::string(cause), gave_up);
    });
  }
  ~Retries() { SetRetryObserver(nullptr); }
  std::vector<std::pair<std::string, bool>> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, bool>> seen_;
};

TEST_P(StoreTest, ATransientFailureRunsTheTransactionAgainAndIsObserved) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  Retries retries;
  // Twice unavailable, then through: run three times, two retries told, nothing given up.
  int runs = 0;
  absl::Status s = db_->Transact([&](Transaction& tx) -> absl::Status {
    if (++runs <= 2) return absl::UnavailableError("not yet");
    return tx.Execute("INSERT INTO items (name) VALUES ('third time')").status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(runs, 3);
  using Seen = std::vector<std::pair<std::string, bool>>;
  EXPECT_EQ(retries.seen(), (Seen{{"other", false}, {"other", false}}));
  EXPECT_EQ(Count("items"), 1);

  // Always unavailable: every run but the last is a retry, the last gives up, and its error is
  // the caller's.
  runs = 0;
  s = db_->Transact([&](Transaction& tx) -> absl::Status {
    ++runs;
    if (auto w = tx.Execute("INSERT INTO items (name) VALUES ('never')"); !w.ok()) {
      return w.status();
    }
    return WithTransientCause(absl::UnavailableError("never"), "busy");
  });
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_EQ(TransientCause(s), "busy");
  Seen seen = retries.seen();
  ASSERT_EQ(seen.size(), 2 + static_cast<size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    EXPECT_EQ(seen[2 + i], std::make_pair(std::string("busy"), i + 1 == runs)) << i;
  }
  EXPECT_GE(runs, 2);
  EXPECT_EQ(Count("items"), 1);  // nothing of the runs that failed

  // An error that is not transient is neither retried nor told.
  s = db_->Transact([](Transaction&) { return absl::FailedPreconditionError("a rule"); });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(retries.seen().size(), seen.size());
}

// A SQLite writer that finds the file held by another waits in the busy handler: each sleep is
// told to the busy wait observer (SetBusyWaitObserver), the first of the wait marked so, and the
// time told is the time it waited. A writer alone is never told of a wait.
TEST_P(StoreTest, AWriterThatFindsTheFileLockedWaitsAndTheWaitIsObserved) {
  if (db_->backend() != "sqlite") GTEST_SKIP() << "PostgreSQL's writers wait inside the server";
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  std::mutex mu;
  int waits = 0, sleeps = 0;
  double slept = 0;
  SetBusyWaitObserver([&](bool first, double seconds) {
    std::lock_guard<std::mutex> lock(mu);
    waits += first ? 1 : 0;
    ++sleeps;
    slept += seconds;
  });
  struct Clear {
    ~Clear() { SetBusyWaitObserver(nullptr); }
  } clear;
  Retries retries;

  ASSERT_TRUE(db_->Transact([](Transaction& tx) {
                   return tx.Execute("INSERT INTO items (name) VALUES ('alone')").status();
                 })
                  .ok());
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(sleeps, 0) << "a writer alone waited";
  }

  // The first writer holds the file for 200 ms once it has written; the second begins then.
  constexpr absl::Duration kHeld = absl::Milliseconds(200);
  std::atomic<bool> holding{false};
  std::thread first([&] {
    absl::Status s = db_->Transact([&](Transaction& tx) -> absl::Status {
      if (auto w = tx.Execute("INSERT INTO items (name) VALUES ('first')"); !w.ok()) {
        return w.status();
      }
      holding = true;
      absl::SleepFor(kHeld);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  while (!holding.load()) absl::SleepFor(absl::Milliseconds(1));
  const absl::Time begun = absl::Now();
  absl::Status second = db_->Transact([](Transaction& tx) {
    return tx.Execute("INSERT INTO items (name) VALUES ('second')").status();
  });
  const absl::Duration waited = absl::Now() - begun;
  first.join();
  EXPECT_TRUE(second.ok()) << second;
  EXPECT_EQ(Count("items"), 3);

  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(waits, 1);
  EXPECT_GE(sleeps, 2);  // 1 ms, 2 ms, 5 ms, ... up to the 200 ms held
  // What was told is what the second writer spent: most of the 200 ms, never more than it took.
  EXPECT_GE(slept, absl::ToDoubleSeconds(kHeld) / 2) << waited;
  EXPECT_LE(slept, absl::ToDoubleSeconds(waited)) << waited;
  EXPECT_TRUE(retries.seen().empty()) << "the wait ended in time: nothing ran again";
}

// A migration that fails transiently is retried, and counted under its database's cause: the
// migration's name is added to the error without losing the cause.
TEST_P(StoreTest, AMigrationThatFailsTransientlyKeepsItsCause) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  Retries retries;
  int runs = 0;
  auto more = kMigrations;
  more.push_back({3, "busy once", "", [&runs](Transaction&) -> absl::Status {
                    if (++runs == 1)
                      return WithTransientCause(absl::UnavailableError("busy"), "busy");
                    return absl::OkStatus();
                  }});
  ASSERT_TRUE(ApplyMigrations(*db_, "test", more).ok());
  EXPECT_EQ(runs, 2);
  using Seen = std::vector<std::pair<std::string, bool>>;
  EXPECT_EQ(retries.seen(), (Seen{{"busy", false}}));
  EXPECT_EQ(Count("schema_migrations"), 3);
}

// Two writers that each read what the other writes (write skew): under SERIALIZABLE, PostgreSQL
// aborts one with a serialization failure, which runs again and lands; the observer is told why.
// SQLite's writers take turns (BEGIN IMMEDIATE) and never meet so.
TEST_P(StoreTest, WritersThatConflictAreToldAsSerializationFailures) {
  if (db_->backend() != "postgresql") GTEST_SKIP() << "SQLite's writers take turns";
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());
  Retries retries;
  std::atomic<int> read{0};
  auto writer = [&](const std::string& name) {
    bool first = true;
    return db_->Transact([&](Transaction& tx) -> absl::Status {
      auto rows = tx.Query("SELECT COUNT(*) FROM items");
      if (!rows.ok()) return rows.status();
      if (first) {
        // Both read before either writes, on the first run only.
        first = false;
        read++;
        absl::Time deadline = absl::Now() + absl::Seconds(10);
        while (read.load() < 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
      }
      return tx
          .Execute("INSERT INTO items (name, qty) VALUES ($1, $2)", {name, rows->front().Int(0)})
          .status();
    });
  };
  absl::Status a, b;
  std::thread other([&] { b = writer("b"); });
  a = writer("a");
  other.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  // Serially: one counted none, the other one.
  EXPECT_EQ(testing::ColumnOf(*db_, "SELECT CAST(qty AS TEXT) FROM items ORDER BY qty"),
            (std::vector<std::string>{"0", "1"}));
  auto seen = retries.seen();
  ASSERT_FALSE(seen.empty());
  for (const auto& [cause, gave_up] : seen) {
    EXPECT_EQ(cause, "serialization_failure");
    EXPECT_FALSE(gave_up);
  }
}

// Statements are prepared once per connection; a schema change made meanwhile (another replica
// migrating during a rolling upgrade) must not break them: the statement is prepared again.
TEST_P(StoreTest, AStatementRunBeforeASchemaChangeStillRunsAfterIt) {
  ASSERT_TRUE(ApplyMigrations(*db_, "test", {kMigrations[0]}).ok());
  auto columns = [&]() -> int64_t {
    int64_t n = -1;
    absl::Status s = db_->Transact([&](Transaction& tx) -> absl::Status {
      if (auto added = tx.Execute("INSERT INTO items (name) VALUES ($1)", {NewName()});
          !added.ok()) {
        return added.status();
      }
      auto rows = tx.Query("SELECT * FROM items WHERE name <> $1", {std::string("none")});
      if (!rows.ok()) return rows.status();
      n = static_cast<int64_t>(rows->front().size());
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  };
  // Every connection of the pool prepares it before the change.
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&] { EXPECT_EQ(columns(), 3); });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(ApplyMigrations(*db_, "test", kMigrations).ok());  // adds items.qty
  for (int i = 0; i < 8; ++i) EXPECT_EQ(columns(), 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const auto& info) { return info.param; });

TEST(Store, UnknownUrlSchemeIsRejected) {
  EXPECT_EQ(Database::Open("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Store, SqliteCreatesTheFoldersOfItsFile) {
  testing::TempDir dir;
  EXPECT_TRUE(Database::Open("sqlite://" + dir.path() + "/sub/dir/x.db").ok());
}

TEST(Store, UnreachablePostgresIsUnavailable) {
  auto db = Database::Open("postgresql://nobody@127.0.0.1:" + std::to_string(testing::FreePort()) +
                           "/none?connect_timeout=2");
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
}

}  // namespace
}  // namespace parkline::store
