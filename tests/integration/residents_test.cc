// The resident-enterprises projection (libs/residents) on both backends: found by either code,
// codes replaced by an update, forgotten on departure, and created beside a service's own table.
#include "residents/residents.h"

#include <gtest/gtest.h>

#include "events/schema.h"
#include "tests/support/backend_test.h"
#include "tests/support/test_env.h"

namespace parkline::residents {
namespace {

namespace ev = ::parkline::enterprises::v1;

constexpr char kUscc[] = "91350100M000100Y43";

ev::Enterprise Enterprise(const std::string& customs_code,
                          ev::EnterpriseStatus status = ev::ENTERPRISE_STATUS_RESIDENT) {
  ev::Enterprise e;
  e.set_uscc(kUscc);
  e.set_customs_code(customs_code);
  e.set_status(status);
  return e;
}

class ResidentsTest : public testing::BackendTest<ApplySchema> {
 protected:
  template <typename Event>
  void Apply(absl::Status (*on)(store::Transaction&, const Event&), const ev::Enterprise& e) {
    Event event;
    *event.mutable_enterprise() = e;
    ASSERT_TRUE(db_->Transact([&](store::Transaction& tx) { return on(tx, event); }).ok());
  }

  std::set<std::string> Among(const std::set<std::string>& codes) {
    std::set<std::string> out;
    EXPECT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                     auto found = ResidentAmong(tx, codes);
                     if (!found.ok()) return found.status();
                     out = *found;
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }
};

TEST_P(ResidentsTest, AResidentIsFoundByEitherCodeUntilItDeparts) {
  Apply(OnAdmitted, Enterprise("3301960001"));
  EXPECT_EQ(Among({kUscc, "3301960001", "3301960002"}),
            (std::set<std::string>{kUscc, "3301960001"}));
  // A new customs code replaces the old one.
  Apply(OnUpdated, Enterprise("3301960002"));
  EXPECT_EQ(Among({kUscc, "3301960001", "3301960002"}),
            (std::set<std::string>{kUscc, "3301960002"}));
  Apply(OnDeparted, Enterprise("3301960002"));
  EXPECT_TRUE(Among({kUscc, "3301960002"}).empty());
}

TEST_P(ResidentsTest, AnUpdateToTheDepartedStatusForgetsTheEnterprise) {
  Apply(OnAdmitted, Enterprise("3301960001"));
  Apply(OnUpdated, Enterprise("3301960001", ev::ENTERPRISE_STATUS_DEPARTED));
  EXPECT_TRUE(Among({kUscc, "3301960001"}).empty());
}

// The projection's migration creates its table only where it does not exist: applied over a
// table that holds residents (as over declarations' own, made by its migration 1, which every
// declarations desk test opens), it fails on nothing and loses nothing.
TEST_P(ResidentsTest, ItsMigrationAppliedOverAnExistingTableKeepsTheResidents) {
  Apply(OnAdmitted, Enterprise("3301960001"));
  ASSERT_TRUE(db_->Transact([](store::Transaction& tx) {
                   return tx.Execute("DELETE FROM schema_migrations WHERE component = 'residents'")
                       .status();
                 })
                  .ok());
  ASSERT_TRUE(ApplySchema(*db_).ok());
  EXPECT_EQ(Among({kUscc}), (std::set<std::string>{kUscc}));
}

TEST_P(ResidentsTest, TheRolesFollowTheRegistryAndADepartureForgetsThem) {
  auto roles = [&] {
    std::set<ev::EnterpriseRole> out;
    EXPECT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                     auto found = RolesOf(tx, kUscc);
                     if (!found.ok()) return found.status();
                     out = *found;
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  };
  ev::Enterprise e = Enterprise("");
  e.add_roles(ev::ENTERPRISE_ROLE_SERVICE_PROVIDER);
  e.add_roles(ev::ENTERPRISE_ROLE_LOGISTICS);
  Apply(OnAdmitted, e);
  EXPECT_EQ(roles(), (std::set<ev::EnterpriseRole>{ev::ENTERPRISE_ROLE_LOGISTICS,
                                                   ev::ENTERPRISE_ROLE_SERVICE_PROVIDER}));
  e.clear_roles();
  e.add_roles(ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION);
  Apply(OnUpdated, e);
  EXPECT_EQ(roles(), (std::set<ev::EnterpriseRole>{ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION}));
  Apply(OnDeparted, e);
  EXPECT_TRUE(roles().empty());
}

PARKLINE_BACKEND_TESTS(ResidentsTest);

}  // namespace
}  // namespace parkline::residents
