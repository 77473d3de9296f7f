// Migration 7 of the events schema (#25): the outbox keeps only the indexes that its own reads
// use, so that on PostgreSQL the relay's claim, which numbers a pending row, updates the row in
// place (a HOT update) instead of adding an entry to every index of the table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "events/outbox.h"
#include "events/schema.h"
#include "google/rpc/error_details.pb.h"
#include "tests/support/backend_test.h"
#include "tests/support/plaintext_scan.h"

namespace parkline::events {
namespace {

class OutboxSchemaTest : public testing::BackendTest<ApplyEventsSchema> {
 protected:
  absl::Status Append(int n) {
    return db_->Transact([&](store::Transaction& tx) -> absl::Status {
      for (int i = 0; i < n; ++i) {
        google::rpc::BadRequest message;
        auto s = AppendToOutbox(
            tx, NewEvent("test.outbox-schema", "/parkline/test", "key", message, absl::Now()));
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }
};

PARKLINE_BACKEND_TESTS(OutboxSchemaTest);

TEST_P(OutboxSchemaTest, TheOutboxKeepsOnlyTheIndexesThatItsReadsUse) {
  std::vector<std::string> indexes = testing::ColumnOf(
      *db_, db_->backend() == "postgresql"
                ? "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND "
                  "tablename = 'outbox' ORDER BY 1"
                : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' "
                  "ORDER BY 1");
  // The pending rows in append order (the relay's reads, its claimed rows among them); the
  // published ones by age (pruning). SQLite keeps event_id's uniqueness (its autoindex): it
  // cannot drop a constraint without copying the table.
  if (db_->backend() == "postgresql") {
    EXPECT_EQ(indexes,
              (std::vector<std::string>{"outbox_pending", "outbox_pkey", "outbox_published"}));
  } else {
    EXPECT_EQ(indexes, (std::vector<std::string>{"outbox_pending", "outbox_published",
                                                 "sqlite_autoindex_outbox_1"}));
  }
}

TEST_P(OutboxSchemaTest, AClaimNumbersItsRowsInPlace) {
  if (db_->backend() != "postgresql") GTEST_SKIP() << "updates in place (HOT) are PostgreSQL's";
  ASSERT_TRUE(Append(5).ok());
  int64_t updated = -1, in_place = -1;
  size_t claimed = 0;
  ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) -> absl::Status {
                   auto rows = ClaimPending(tx, 100, "test-publisher");
                   if (!rows.ok()) return rows.status();
                   claimed = rows->size();
                   // This transaction's own counts, not yet reported to the statistics views.
                   auto counts = tx.Query(
                       "SELECT pg_stat_get_xact_tuples_updated('outbox'::regclass), "
                       "pg_stat_get_xact_tuples_hot_updated('outbox'::regclass)");
                   if (!counts.ok()) return counts.status();
                   updated = counts->front().Int(0);
                   in_place = counts->front().Int(1);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(claimed, 5u);
  EXPECT_EQ(updated, 5);
  EXPECT_EQ(in_place, 5);
}

}  // namespace
}  // namespace parkline::events
