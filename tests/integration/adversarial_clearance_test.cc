// Clearance tried as a hostile tenant would (#18 item 2): over gRPC, on both backends, every
// other tenant of the park tries every trick against an e-commerce enterprise's clearance cases
// and mandates: opening in its name, retrying its (ebc_code, cop_no) to read its case, submitting
// its case, rewriting the agent, the buyer or the goods, granting or revoking its mandates. The
// attackers: another e-commerce enterprise, a broker without a mandate, a broker whose mandate
// was revoked, one whose mandate expired, the platform and the logistics enterprise of the order,
// and a carrier. Each attempt is refused (PERMISSION_DENIED or NOT_FOUND) and the witness shows
// that no row, no outbox event and no record on the topic changed. The enterprise and its broker
// under a mandate in force then do what the attackers could not.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clearance/access_policy.h"
#include "clearance/clearance_desk.h"
#include "clearance/clearance_service.h"
#include "clearance/guidance.h"
#include "clearance/inventory_rules.h"
#include "clearance/sample_cases.h"
#include "clearance/schema.h"
#include "google/protobuf/util/time_util.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::clearance {
namespace {

namespace dv1 = ::parkline::declarations::v1;

constexpr char kPlatform[] = "3301960001";
constexpr char kVictim[] = "3301960002";  // the e-commerce enterprise
constexpr char kBroker[] = "3301960003";  // its broker, mandate in force
constexpr char kLogistics[] = "3301960004";
constexpr char kOtherEbc[] = "4401960009";
constexpr char kRogue[] = "3301960006";    // a broker nobody mandated
constexpr char kRevoked[] = "3301960007";  // mandated, then revoked
constexpr char kExpired[] = "3301960008";  // mandated, then its period ended

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-ecommerce", "victim-erp", "enterprise", testing::NumberedUscc(1), kVictim, ""},
      {"t-broker", "broker", "enterprise", testing::NumberedUscc(2), kBroker, ""},
      {"t-other-ecommerce", "other-erp", "enterprise", testing::NumberedUscc(3), kOtherEbc, ""},
      {"t-rogue-broker", "rogue", "enterprise", testing::NumberedUscc(4), kRogue, ""},
      {"t-revoked-broker", "revoked", "enterprise", testing::NumberedUscc(5), kRevoked, ""},
      {"t-expired-broker", "expired", "enterprise", testing::NumberedUscc(6), kExpired, ""},
      {"t-platform", "platform", "enterprise", testing::NumberedUscc(7), kPlatform, ""},
      {"t-logistics", "logistics", "enterprise", testing::NumberedUscc(8), kLogistics, ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "SF"},
  };
  return *callers;
}

// Each attacker and the code it names as its own.
const std::vector<std::pair<std::string, std::string>> kAttackers = {
    {"other-ecommerce", kOtherEbc},
    {"rogue-broker", kRogue},
    {"revoked-broker", kRevoked},
    {"expired-broker", kExpired},
    {"platform", kPlatform},
    {"logistics", kLogistics},
    {"carrier", "SF"},
};

auth::Viewer Enterprise(const std::string& code) {
  auth::Viewer v;
  v.name = code;
  v.codes = {code};
  return v;
}

google::protobuf::Timestamp At(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

using Stub = v1::ClearanceService::Stub;

class AdversarialClearanceTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    DeskOptions options;
    options.clock = [this] { return now_; };
    desk_ = std::make_unique<ClearanceDesk>(*db_, *writer_, signer_, options, nullptr,
                                            secrets::KeyRing::Generate("test-1"));
    auto book = LoadGuidanceBook();
    ASSERT_TRUE(book.ok());
    book_ = *book;
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
          return std::make_unique<ClearanceService>(*desk_, book_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::ClearanceService::NewStub(server_->channel());

    // The victim mandates three brokers; each opens a case of its own while it may.
    const auth::Viewer victim = Enterprise(kVictim);
    for (const char* broker : {kBroker, kRevoked, kExpired}) {
      v1::GrantMandateRequest grant;
      grant.set_ebc_code(kVictim);
      grant.set_agent_code(broker);
      *grant.mutable_valid_from() = At(now_ - absl::Hours(1));
      *grant.mutable_valid_until() =
          At(now_ + (broker == std::string(kExpired) ? absl::Minutes(30) : absl::Hours(24)));
      auto granted = desk_->GrantMandate(grant, victim);
      ASSERT_TRUE(granted.ok()) << granted.status();
      mandates_[broker] = granted->mandate_id();
    }
    victim_case_ = Open(Request(1, kBroker), kBroker);
    revoked_case_ = Open(Request(2, kRevoked), kRevoked);
    expired_case_ = Open(Request(3, kExpired), kExpired);
    v1::RevokeMandateRequest revoke;
    revoke.set_mandate_id(mandates_[kRevoked]);
    ASSERT_TRUE(desk_->RevokeMandate(revoke, victim).ok());
    now_ += absl::Hours(1);  // the third mandate has ended

    witness_ = std::make_unique<testing::TamperWitness>(
        *db_, std::vector<std::string>{"parkline.clearance.v1"});
    witness_->Mark();
  }

  // An import inventory of the victim (the buyer's identity in it), declared by `agent`.
  static v1::OpenCaseRequest Request(int n, const std::string& agent) {
    SampleCodes codes;
    codes.platform = kPlatform;
    codes.enterprise = kVictim;
    codes.logistics = kLogistics;
    InventoryDefaults defaults;
    defaults.agent_code = agent;
    v1::OpenCaseRequest r;
    r.set_business_mode("9610");
    r.set_direction(dv1::DIRECTION_IMPORT);
    *r.mutable_inventory() = CompleteDraft(
        DraftFromDeclaration(SampleDeclaration(dv1::DIRECTION_IMPORT, "9610", n, codes), defaults),
        dv1::DIRECTION_IMPORT, n);
    r.mutable_inventory()->set_cop_no(absl::StrCat("VICTIM-", n));
    return r;
  }

  std::string Open(const v1::OpenCaseRequest& request, const std::string& as) {
    auto c = desk_->Open(request, Enterprise(as));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? c->case_id() : "";
  }

  static void As(grpc::ClientContext& ctx, const std::string& who) {
    ctx.AddMetadata("authorization", "Bearer t-" + who);
  }

  // Runs `attempt` as `who`, expects PERMISSION_DENIED or NOT_FOUND, and that nothing changed.
  void ExpectRefused(const std::string& who, const std::string& trick,
                     const std::function<grpc::Status(grpc::ClientContext*)>& attempt) {
    grpc::ClientContext ctx;
    As(ctx, who);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), attempt(&ctx));
  }

  // The tries at submitting `case_id` (whose request was `opened`) naming `code`: as it stands,
  // and with the agent, the buyer or the goods rewritten.
  void TrySubmits(const std::string& who, const std::string& code, const std::string& case_id,
                  const v1::OpenCaseRequest& opened) {
    std::vector<std::pair<std::string, std::function<void(v1::Inventory&)>>> rewrites = {
        {"submits it as it stands", nullptr},
        {"rewrites the agent to itself", [&](v1::Inventory& i) { i.set_agent_code(code); }},
        {"rewrites the buyer",
         [](v1::Inventory& i) {
           i.set_buyer_id_number("110101199003070022");
           i.set_buyer_name("冒名");
         }},
        {"rewrites the goods", [](v1::Inventory& i) { i.mutable_lines(0)->set_qty("99"); }},
    };
    for (const auto& [trick, rewrite] : rewrites) {
      for (const std::string& as : {code, std::string(kVictim), std::string()}) {
        ExpectRefused(who, absl::StrCat(trick, " naming \"", as, "\" (case ", case_id, ")"),
                      [&](grpc::ClientContext* c) {
                        v1::SubmitCaseRequest r;
                        r.set_case_id(case_id);
                        r.set_enterprise_code(as);
                        if (rewrite) {
                          *r.mutable_inventory() = opened.inventory();
                          rewrite(*r.mutable_inventory());
                        }
                        v1::ClearanceCase out;
                        return stub_->SubmitCase(c, r, &out);
                      });
      }
    }
  }

  absl::Time now_ = absl::Now();
  testing::TempDir dir_;
  std::unique_ptr<store::GroupCommitter> writer_;
  UnsignedSigner signer_;
  std::unique_ptr<ClearanceDesk> desk_;
  v1::GuidanceBook book_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
  std::map<std::string, std::string> mandates_;
  std::string victim_case_, revoked_case_, expired_case_;
  std::unique_ptr<testing::TamperWitness> witness_;
};

PARKLINE_BACKEND_TESTS(AdversarialClearanceTest);

TEST_P(AdversarialClearanceTest, NobodyOpensACaseInTheEnterprisesName) {
  for (const auto& [who, code] : kAttackers) {
    for (const std::string& agent : {code, std::string(kVictim), std::string(kBroker)}) {
      ExpectRefused(who, "opens a case of the victim with agent " + agent,
                    [&](grpc::ClientContext* c) {
                      v1::OpenCaseRequest r = Request(10, agent);
                      r.mutable_inventory()->set_cop_no("ATK-" + who);
                      v1::ClearanceCase out;
                      return stub_->OpenCase(c, r, &out);
                    });
    }
  }
}

TEST_P(AdversarialClearanceTest, ARetryOfTheVictimsKeyGivesNobodyElseTheCase) {
  struct Key {
    const char* name;
    v1::OpenCaseRequest request;
  };
  std::vector<Key> keys = {{"the victim's case", Request(1, kBroker)},
                           {"the revoked broker's case", Request(2, kRevoked)},
                           {"the expired broker's case", Request(3, kExpired)}};
  for (const auto& [who, code] : kAttackers) {
    for (const Key& key : keys) {
      // The very request that opened it, and the same key with the attacker as agent.
      for (bool as_agent : {false, true}) {
        grpc::ClientContext ctx;
        As(ctx, who);
        v1::OpenCaseRequest r = key.request;
        if (as_agent) r.mutable_inventory()->set_agent_code(code);
        v1::ClearanceCase out;
        grpc::Status s = stub_->OpenCase(&ctx, r, &out);
        witness_->ExpectRefused(
            absl::StrCat(who, " retries ", key.name, as_agent ? " as its agent" : ""), s);
        EXPECT_TRUE(out.case_id().empty()) << who << " was given " << key.name;
        EXPECT_EQ(s.error_message().find("110101199003070014"), std::string::npos);
      }
    }
  }
}

TEST_P(AdversarialClearanceTest, NobodyElseSubmitsOrRewritesTheCase) {
  for (const auto& [who, code] : kAttackers) {
    TrySubmits(who, code, victim_case_, Request(1, kBroker));
  }
  // The brokers whose mandates ended, on the cases they opened while they could.
  TrySubmits("revoked-broker", kRevoked, revoked_case_, Request(2, kRevoked));
  TrySubmits("expired-broker", kExpired, expired_case_, Request(3, kExpired));
}

TEST_P(AdversarialClearanceTest, NobodyElseReadsTheCase) {
  for (const auto& [who, code] : kAttackers) {
    if (who == "platform" || who == "logistics") continue;  // parties: read it, buyer masked
    std::vector<std::string> cases = {victim_case_};
    if (who == "revoked-broker") cases.push_back(revoked_case_);
    if (who == "expired-broker") cases.push_back(expired_case_);
    for (const std::string& id : cases) {
      for (const std::string& as : {code, std::string(kVictim)}) {
        ExpectRefused(who, absl::StrCat("reads case ", id, " naming ", as),
                      [&](grpc::ClientContext* c) {
                        v1::GetCaseRequest r;
                        r.set_case_id(id);
                        r.set_enterprise_code(as);
                        v1::ClearanceCase out;
                        return stub_->GetCase(c, r, &out);
                      });
      }
    }
    ExpectRefused(who, "lists the victim's cases", [&](grpc::ClientContext* c) {
      v1::ListCasesRequest r;
      r.set_enterprise_code(kVictim);
      v1::ListCasesResponse out;
      return stub_->ListCases(c, r, &out);
    });
    // Its own list holds none of the victim's drafts.
    grpc::ClientContext ctx;
    As(ctx, who);
    v1::ListCasesRequest mine;
    mine.set_enterprise_code(code);
    v1::ListCasesResponse out;
    grpc::Status s = stub_->ListCases(&ctx, mine, &out);
    if (s.ok()) {
      EXPECT_EQ(out.cases_size(), 0) << who;
    }
  }
}

TEST_P(AdversarialClearanceTest, NobodyElseGrantsOrRevokesTheEnterprisesMandates) {
  for (const auto& [who, code] : kAttackers) {
    for (const std::string& agent : {code, std::string(kRogue)}) {
      ExpectRefused(who, "grants itself a mandate of the victim", [&](grpc::ClientContext* c) {
        v1::GrantMandateRequest r;
        r.set_ebc_code(kVictim);
        r.set_agent_code(agent);
        *r.mutable_valid_from() = At(now_);
        *r.mutable_valid_until() = At(now_ + absl::Hours(24));
        v1::Mandate out;
        return stub_->GrantMandate(c, r, &out);
      });
    }
    for (const std::string& as : {code, std::string(kVictim), std::string()}) {
      ExpectRefused(who, "revokes the victim's mandate naming " + as, [&](grpc::ClientContext* c) {
        v1::RevokeMandateRequest r;
        r.set_mandate_id(mandates_[kBroker]);
        r.set_enterprise_code(as);
        v1::Mandate out;
        return stub_->RevokeMandate(c, r, &out);
      });
    }
    ExpectRefused(who, "lists the victim's mandates", [&](grpc::ClientContext* c) {
      v1::ListMandatesRequest r;
      r.set_enterprise_code(kVictim);
      v1::ListMandatesResponse out;
      return stub_->ListMandates(c, r, &out);
    });
  }
}

TEST_P(AdversarialClearanceTest, TheEnterpriseAndItsMandatedBrokerStillDoTheirWork) {
  // The broker gets its own case back on a retry and submits it; the enterprise revokes the
  // broker's mandate, after which the broker opens nothing more.
  grpc::ClientContext retry;
  As(retry, "broker");
  v1::ClearanceCase out;
  ASSERT_TRUE(stub_->OpenCase(&retry, Request(1, kBroker), &out).ok());
  EXPECT_EQ(out.case_id(), victim_case_);
  EXPECT_FALSE(out.buyer_identity_masked());
  grpc::ClientContext submit_ctx;
  As(submit_ctx, "broker");
  v1::SubmitCaseRequest submit;
  submit.set_case_id(victim_case_);
  submit.set_enterprise_code(kBroker);
  grpc::Status submitted = stub_->SubmitCase(&submit_ctx, submit, &out);
  ASSERT_TRUE(submitted.ok()) << submitted.error_message();

  grpc::ClientContext revoke_ctx;
  As(revoke_ctx, "ecommerce");
  v1::RevokeMandateRequest revoke;
  revoke.set_mandate_id(mandates_[kBroker]);
  revoke.set_enterprise_code(kVictim);
  v1::Mandate revoked;
  ASSERT_TRUE(stub_->RevokeMandate(&revoke_ctx, revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());
  witness_->Mark();
  ExpectRefused("broker", "opens after its mandate was revoked", [&](grpc::ClientContext* c) {
    v1::OpenCaseRequest r = Request(11, kBroker);
    return stub_->OpenCase(c, r, &out);
  });
  // What it submitted it still reads (it answers to customs for it).
  grpc::ClientContext read;
  As(read, "broker");
  v1::GetCaseRequest get;
  get.set_case_id(victim_case_);
  get.set_enterprise_code(kBroker);
  EXPECT_TRUE(stub_->GetCase(&read, get, &out).ok());
}

}  // namespace
}  // namespace parkline::clearance
