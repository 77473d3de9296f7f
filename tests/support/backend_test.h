// The fixture of a test that runs once per store backend (SQLite, and PostgreSQL where
// PARKLINE_TEST_POSTGRES_URL names a server) on a fresh database of its own, opened with the
// events schema and a service's (`kApplySchema`) as the service's main opens it: `db_`. Where a
// backend is not available here its cases are skipped, saying why.
//
// A fixture that needs more calls BackendTest::SetUp() first and stops when it skipped or failed:
//
//   class DeskTest : public testing::BackendTest<ApplySchema> {
//     void SetUp() override {
//       BackendTest::SetUp();
//       if (IsSkipped() || HasFatalFailure()) return;
//       desk_ = ...;
//     }
//   };
//   PARKLINE_BACKEND_TESTS(DeskTest);
#ifndef PARKLINE_TESTS_SUPPORT_BACKEND_TEST_H_
#define PARKLINE_TESTS_SUPPORT_BACKEND_TEST_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "events/outbox.h"
#include "store/database.h"
#include "tests/support/test_env.h"

namespace parkline::testing {

template <absl::Status (*kApplySchema)(store::Database&)>
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (database_.url().empty()) GTEST_SKIP() << "PARKLINE_TEST_POSTGRES_URL is not set";
    auto db = OpenServiceDatabase(database_.url(), kApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  // The events in the outbox, oldest first (not yet published: no relay runs in these tests
  // unless the test starts one).
  std::vector<events::PendingEvent> Pending() {
    std::vector<events::PendingEvent> out;
    EXPECT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                     auto pending = events::ReadPending(tx, 100000);
                     if (!pending.ok()) return pending.status();
                     out = std::move(*pending);
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }
  std::vector<events::Envelope> Outbox() {
    std::vector<events::Envelope> out;
    for (auto& p : Pending()) out.push_back(std::move(p.envelope));
    return out;
  }

  TestDatabase database_{GetParam()};
  std::unique_ptr<store::Database> db_;
};

}  // namespace parkline::testing

// Runs every TEST_P of `suite` on each backend, named ".../sqlite" and ".../postgresql".
#define PARKLINE_BACKEND_TESTS(suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                           \
                           ::testing::ValuesIn(::parkline::testing::StoreBackends()), \
                           [](const auto& info) { return std::string(info.param); })

#endif  // PARKLINE_TESTS_SUPPORT_BACKEND_TEST_H_
