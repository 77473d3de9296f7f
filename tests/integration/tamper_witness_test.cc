// The adversarial tests' witness (tests/support/tamper_witness.h) must see every kind of change
// an attempt could make, or those tests could not fail: a row added, changed or removed in any
// table, and an event reaching the topic (through the outbox and the witness's relay).
#include "tests/support/tamper_witness.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "events/outbox.h"
#include "google/rpc/error_details.pb.h"
#include "tests/support/backend_test.h"

namespace parkline::testing {
namespace {

constexpr char kTopic[] = "parkline.witness.v1";

absl::Status NoSchema(store::Database&) { return absl::OkStatus(); }

class TamperWitnessTest : public BackendTest<NoSchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db_->Transact([](store::Transaction& tx) -> absl::Status {
                     if (auto s = tx.ExecuteScript("CREATE TABLE victims (name TEXT, n BIGINT)");
                         !s.ok()) {
                       return s;
                     }
                     return tx.Execute("INSERT INTO victims VALUES ('a', 1), ('b', 2)").status();
                   })
                    .ok());
    // An event published before the mark is not a change.
    Append();
    witness_ = std::make_unique<TamperWitness>(*db_, std::vector<std::string>{kTopic});
    witness_->Mark();
  }

  void Execute(const std::string& sql) {
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return tx.Execute(sql).status(); }).ok());
  }

  void Append() {
    ASSERT_TRUE(db_->Transact([](store::Transaction& tx) {
                     google::rpc::BadRequest message;
                     return events::AppendToOutbox(
                         tx, events::NewEvent(kTopic, "/parkline/test", "k", message, absl::Now()));
                   })
                    .ok());
  }

  // What ExpectUnchanged would report, every failure's message joined.
  std::string Reported(const std::string& what) {
    ::testing::TestPartResultArray results;
    {
      ::testing::ScopedFakeTestPartResultReporter capture(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
      witness_->ExpectUnchanged(what);
    }
    std::string all;
    for (int i = 0; i < results.size(); ++i) all += results.GetTestPartResult(i).message();
    return all;
  }

  std::unique_ptr<TamperWitness> witness_;
};

using ::testing::HasSubstr;

TEST_P(TamperWitnessTest, NothingDoneIsNothingChanged) { EXPECT_EQ(Reported("nothing"), ""); }

TEST_P(TamperWitnessTest, SeesARowAdded) {
  Execute("INSERT INTO victims VALUES ('c', 3)");
  EXPECT_THAT(Reported("insert"), HasSubstr("insert: table victims changed"));
}

TEST_P(TamperWitnessTest, SeesARowChanged) {
  Execute("UPDATE victims SET n = 5 WHERE name = 'b'");
  EXPECT_THAT(Reported("update"), HasSubstr("rows now there:\n    ('b', 5)"));
}

TEST_P(TamperWitnessTest, SeesARowRemoved) {
  Execute("DELETE FROM victims WHERE name = 'a'");
  EXPECT_THAT(Reported("delete"), HasSubstr("rows gone:\n    ('a', 1)"));
}

TEST_P(TamperWitnessTest, SeesAnEventOnTheTopic) {
  Append();
  std::string reported = Reported("publish");
  EXPECT_THAT(reported, HasSubstr("publish: table outbox changed"));
  EXPECT_THAT(reported, HasSubstr("records were published to parkline.witness.v1 (its end moved 2 "
                                  "offsets: records and commit markers)"));
}

PARKLINE_BACKEND_TESTS(TamperWitnessTest);

}  // namespace
}  // namespace parkline::testing
