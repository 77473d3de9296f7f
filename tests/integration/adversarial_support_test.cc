// The support service tried as a hostile tenant would: over gRPC, on both backends, every other
// tenant of the park tries every trick against one enterprise's registration of a named
// attendee and its service request routed to a bank (a rival provider tries to read, answer,
// rate or re-route it). Each attempt is refused (PERMISSION_DENIED or NOT_FOUND; a reused request
// id ALREADY_EXISTS, naming nothing of the registration it belongs to) and the witness shows that
// no row, no outbox event and no record on the topic changed.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "support/access_policy.h"
#include "support/schema.h"
#include "support/support_desk.h"
#include "support/support_service.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::support {
namespace {

using google::protobuf::util::TimeUtil;

const std::string kVictim = testing::NumberedUscc(1);
const std::string kRival = testing::NumberedUscc(2);
const std::string kBank = testing::NumberedUscc(3);
const std::string kNeighbour = testing::NumberedUscc(4);  // an enterprise, no provider
constexpr char kName[] = "Zhuang Xiaoyu";

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-victim", "victim-erp", "enterprise", kVictim, "", ""},
      {"t-rival", "rival-erp", "enterprise", kRival, "", ""},
      {"t-bank", "bank-gateway", "enterprise", kBank, "", ""},
      {"t-neighbour", "neighbour-erp", "enterprise", kNeighbour, "", ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "SF"},
      {"t-customs", "customs-gateway", "customs-gateway", "", "", ""},
      {"t-analyst", "analyst-bi", "analyst", "", "", ""},
      {"t-staff", "staff-li", "park-staff", "", "", ""},
  };
  return *callers;
}

using Stub = v1::SupportService::Stub;

class AdversarialSupportTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<SupportDesk>(*db_, *writer_, nullptr, secrets::KeyRing::Generate("k1"),
                                          nullptr);
    requests_ = std::make_unique<RequestDesk>(*db_, *writer_, nullptr, calendar::WorkingCalendar(),
                                              nullptr);
    for (const std::string& uscc : {kVictim, kRival, kBank, kNeighbour}) {
      enterprises::v1::EnterpriseAdmitted admitted;
      admitted.mutable_enterprise()->set_uscc(uscc);
      // Both the rival and the bank are providers of finance; only the bank is routed.
      bool seller = uscc == kVictim || uscc == kNeighbour;
      admitted.mutable_enterprise()->add_roles(
          seller ? enterprises::v1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE
                 : enterprises::v1::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION);
      ASSERT_TRUE(
          db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
              .ok());
    }
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
          return std::make_unique<SupportService>(*desk_, *requests_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::SupportService::NewStub(server_->channel());

    // The victim: a training next week, the victim's named attendee registered for it.
    v1::ScheduleActivityRequest s;
    s.set_request_id("adv-schedule");
    s.set_kind(v1::ACTIVITY_KIND_SPECIAL_TRAINING);
    s.set_title("Returns of 9610 parcels");
    s.set_organiser("park-training-office");
    s.set_online_url("https://meet.example.com/returns");
    s.set_capacity(2);
    absl::Time start = absl::Now() + absl::Hours(24 * 7);
    *s.mutable_starts_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
    *s.mutable_ends_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + absl::Hours(2)));
    grpc::ClientContext sctx;
    As(sctx, "staff");
    grpc::Status scheduled = stub_->ScheduleActivity(&sctx, s, &activity_);
    ASSERT_TRUE(scheduled.ok()) << scheduled.error_message();
    grpc::ClientContext rctx;
    As(rctx, "victim");
    grpc::Status registered = stub_->RegisterAttendees(&rctx, Registration(), &registration_);
    ASSERT_TRUE(registered.ok()) << registered.error_message();
    // The victim's service request, routed to the bank.
    v1::FileServiceRequestRequest f;
    f.set_request_id("victim-request-1");
    f.set_enterprise_uscc(kVictim);
    f.set_category(v1::SERVICE_CATEGORY_FINANCE);
    f.set_description("Credit against our bonded stock.");
    auto filed = requests_->File(f);
    ASSERT_TRUE(filed.ok()) << filed.status();
    v1::RouteServiceRequestRequest route;
    route.set_service_request_id(filed->service_request_id());
    route.set_provider_uscc(kBank);
    route.set_response_working_days(3);
    auto routed = requests_->Route(route);
    ASSERT_TRUE(routed.ok()) << routed.status();
    request_ = *routed;
    // The bank's offering in the directory.
    v1::PublishOfferingRequest p;
    p.set_request_id("bank-offer-1");
    p.set_provider_uscc(kBank);
    p.set_category(v1::SERVICE_CATEGORY_FINANCE);
    p.set_title("Supply-chain credit against bonded stock");
    auto offered = requests_->Publish(p);
    ASSERT_TRUE(offered.ok()) << offered.status();
    offering_ = *offered;
    witness_ = std::make_unique<testing::TamperWitness>(
        *db_, std::vector<std::string>{"parkline.support.v1"});
    witness_->Mark();
  }

  static void As(grpc::ClientContext& ctx, const std::string& who) {
    ctx.AddMetadata("authorization", "Bearer t-" + who);
  }

  v1::RegisterAttendeesRequest Registration() const {
    v1::RegisterAttendeesRequest r;
    r.set_request_id("victim-registration-1");
    r.set_activity_id(activity_.activity_id());
    r.set_enterprise_uscc(kVictim);
    auto* a = r.add_attendees();
    a->set_name(kName);
    a->set_consent(true);
    return r;
  }

  grpc::Status ExpectRefused(const std::string& who, const std::string& trick,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             std::vector<grpc::StatusCode> codes = {
                                 grpc::StatusCode::PERMISSION_DENIED,
                                 grpc::StatusCode::NOT_FOUND}) {
    grpc::ClientContext ctx;
    As(ctx, who);
    grpc::Status status = attempt(&ctx);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), status, codes);
    return status;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<SupportDesk> desk_;
  std::unique_ptr<RequestDesk> requests_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
  v1::Activity activity_;
  v1::Registration registration_;
  v1::ServiceRequest request_;
  v1::Offering offering_;
  std::unique_ptr<testing::TamperWitness> witness_;
};

const std::vector<std::string> kStrangers = {"rival", "carrier", "customs", "analyst"};

TEST_P(AdversarialSupportTest, NobodyElseCancelsTheRegistration) {
  for (const std::string& who : kStrangers) {
    for (const std::string& as : {kRival, kVictim, std::string()}) {
      ExpectRefused(who, "cancels the victim's registration naming " + as,
                    [&](grpc::ClientContext* c) {
                      v1::CancelRegistrationRequest r;
                      r.set_registration_id(registration_.registration_id());
                      r.set_enterprise_uscc(as);
                      v1::Registration out;
                      return stub_->CancelRegistration(c, r, &out);
                    });
    }
  }
}

TEST_P(AdversarialSupportTest, NobodyElseReadsTheNamesOrRegistersInTheVictimsName) {
  for (const std::string& who : kStrangers) {
    ExpectRefused(who, "lists the victim's registrations", [&](grpc::ClientContext* c) {
      v1::ListRegistrationsRequest r;
      r.set_enterprise_uscc(kVictim);
      v1::ListRegistrationsResponse out;
      return stub_->ListRegistrations(c, r, &out);
    });
    ExpectRefused(who, "registers attendees in the victim's name", [&](grpc::ClientContext* c) {
      v1::RegisterAttendeesRequest r = Registration();
      r.set_request_id("attacker-" + who);
      v1::Registration out;
      return stub_->RegisterAttendees(c, r, &out);
    });
    ExpectRefused(who, "confirms the victim's attendance", [&](grpc::ClientContext* c) {
      v1::ConfirmAttendanceRequest r;
      r.set_registration_id(registration_.registration_id());
      v1::Registration out;
      return stub_->ConfirmAttendance(c, r, &out);
    });
  }
  // The rival's own list, filtered on the activity, holds nothing of the victim's.
  grpc::ClientContext ctx;
  As(ctx, "rival");
  v1::ListRegistrationsRequest r;
  r.set_enterprise_uscc(kRival);
  r.set_activity_id(activity_.activity_id());
  v1::ListRegistrationsResponse out;
  ASSERT_TRUE(stub_->ListRegistrations(&ctx, r, &out).ok());
  EXPECT_EQ(out.registrations_size(), 0);
  EXPECT_EQ(out.DebugString().find(kName), std::string::npos);
}

TEST_P(AdversarialSupportTest, AReusedRequestIdNamesNothingOfTheRegistration) {
  grpc::Status refused = ExpectRefused("rival", "registers under the victim's request id",
                                       [&](grpc::ClientContext* c) {
                                         v1::RegisterAttendeesRequest r = Registration();
                                         r.set_enterprise_uscc(kRival);
                                         v1::Registration out;
                                         return stub_->RegisterAttendees(c, r, &out);
                                       },
                                       {grpc::StatusCode::ALREADY_EXISTS});
  EXPECT_EQ(refused.error_message().find(registration_.registration_id()), std::string::npos)
      << refused.error_message();
  EXPECT_EQ(refused.error_message().find(kName), std::string::npos) << refused.error_message();
}

TEST_P(AdversarialSupportTest, NoTenantRunsTheProgramme) {
  for (std::string who : {"victim", "rival", "carrier", "customs", "analyst"}) {
    ExpectRefused(who, "schedules an activity", [&](grpc::ClientContext* c) {
      v1::ScheduleActivityRequest r;
      r.set_request_id("attacker-schedule-" + who);
      v1::Activity out;
      return stub_->ScheduleActivity(c, r, &out);
    });
  }
}

TEST_P(AdversarialSupportTest, AProviderNotRoutedTheRequestNeitherReadsNorAnswersIt) {
  for (const std::string& as : {kRival, kBank, kVictim}) {
    ExpectRefused("rival", "answers the victim's request naming " + as,
                  [&](grpc::ClientContext* c) {
                    v1::AnswerServiceRequestRequest r;
                    r.set_service_request_id(request_.service_request_id());
                    r.set_provider_uscc(as);
                    r.set_answer("We offer better terms: call us.");
                    v1::ServiceRequest out;
                    return stub_->AnswerServiceRequest(c, r, &out);
                  });
    ExpectRefused("rival", "reads the victim's request naming " + as, [&](grpc::ClientContext* c) {
      v1::GetServiceRequestRequest r;
      r.set_service_request_id(request_.service_request_id());
      r.set_party_uscc(as);
      v1::ServiceRequest out;
      return stub_->GetServiceRequest(c, r, &out);
    });
  }
  for (std::string who : {"rival", "bank"}) {
    for (const std::string& as : {kRival, kBank, kVictim}) {
      ExpectRefused(who, "rates the victim's request naming " + as, [&](grpc::ClientContext* c) {
        v1::RateServiceRequestRequest r;
        r.set_service_request_id(request_.service_request_id());
        r.set_enterprise_uscc(as);
        r.set_rating(1);
        v1::ServiceRequest out;
        return stub_->RateServiceRequest(c, r, &out);
      });
    }
  }
  for (const std::string& who : kStrangers) {
    ExpectRefused(who, "routes the victim's request to itself", [&](grpc::ClientContext* c) {
      v1::RouteServiceRequestRequest r;
      r.set_service_request_id(request_.service_request_id());
      r.set_provider_uscc(kRival);
      r.set_response_working_days(30);
      v1::ServiceRequest out;
      return stub_->RouteServiceRequest(c, r, &out);
    });
  }
  // The bank, routed it, reads it.
  grpc::ClientContext ctx;
  As(ctx, "bank");
  v1::GetServiceRequestRequest r;
  r.set_service_request_id(request_.service_request_id());
  r.set_party_uscc(kBank);
  v1::ServiceRequest out;
  ASSERT_TRUE(stub_->GetServiceRequest(&ctx, r, &out).ok());
  EXPECT_EQ(out.enterprise_uscc(), kVictim);
}

// The operations of issue #23 against every kind of caller: the enterprise (victim), another
// enterprise (neighbour), the provider routed the request and owning the offering (bank), another
// provider (rival), the analyst, customs and the carrier. Each refusal changes nothing.
const std::vector<std::string> kEveryTenant = {"victim",  "neighbour", "bank",   "rival",
                                               "analyst", "customs",   "carrier"};

grpc::Status CancelTheActivity(Stub& stub, grpc::ClientContext* c, const std::string& id) {
  v1::CancelActivityRequest r;
  r.set_activity_id(id);
  r.set_reason("The trainer is ill.");
  v1::Activity out;
  return stub.CancelActivity(c, r, &out);
}

TEST_P(AdversarialSupportTest, OnlyTheParkCancelsAnActivityAndOnlyOnce) {
  for (const std::string& who : kEveryTenant) {
    ExpectRefused(who, "cancels the victim's training", [&](grpc::ClientContext* c) {
      return CancelTheActivity(*stub_, c, activity_.activity_id());
    });
  }
  grpc::ClientContext ctx;
  As(ctx, "staff");
  ASSERT_TRUE(CancelTheActivity(*stub_, &ctx, activity_.activity_id()).ok());
  witness_->Mark();
  grpc::Status twice = ExpectRefused(
      "staff", "cancels it again",
      [&](grpc::ClientContext* c) { return CancelTheActivity(*stub_, c, activity_.activity_id()); },
      {grpc::StatusCode::FAILED_PRECONDITION});
  EXPECT_NE(twice.error_message().find("CANCELLED"), std::string::npos) << twice.error_message();
  ExpectRefused("staff", "confirms attendance at the cancelled activity",
                [&](grpc::ClientContext* c) {
                  v1::ConfirmAttendanceRequest r;
                  r.set_registration_id(registration_.registration_id());
                  v1::Registration out;
                  return stub_->ConfirmAttendance(c, r, &out);
                },
                {grpc::StatusCode::FAILED_PRECONDITION});
  ExpectRefused("victim", "registers again at the cancelled activity",
                [&](grpc::ClientContext* c) {
                  v1::RegisterAttendeesRequest r = Registration();
                  r.set_request_id("victim-registration-2");
                  v1::Registration out;
                  return stub_->RegisterAttendees(c, r, &out);
                },
                {grpc::StatusCode::FAILED_PRECONDITION});
}

TEST_P(AdversarialSupportTest, OnlyTheProviderOrTheParkWithdrawsAnOffering) {
  for (std::string who : {"victim", "neighbour", "rival", "analyst", "customs", "carrier"}) {
    for (const std::string& as : {kBank, kRival, kVictim, std::string()}) {
      ExpectRefused(who, "withdraws the bank's offering naming " + as, [&](grpc::ClientContext* c) {
        v1::WithdrawOfferingRequest r;
        r.set_offering_id(offering_.offering_id());
        r.set_provider_uscc(as);
        v1::Offering out;
        return stub_->WithdrawOffering(c, r, &out);
      });
    }
  }
  auto withdraw = [&](grpc::ClientContext* c) {
    v1::WithdrawOfferingRequest r;
    r.set_offering_id(offering_.offering_id());
    r.set_provider_uscc(kBank);
    v1::Offering out;
    return stub_->WithdrawOffering(c, r, &out);
  };
  grpc::ClientContext ctx;
  As(ctx, "bank");
  ASSERT_TRUE(withdraw(&ctx).ok());
  witness_->Mark();
  for (std::string who : {"bank", "staff"}) {
    ExpectRefused(who, "withdraws it again", withdraw, {grpc::StatusCode::FAILED_PRECONDITION});
  }
  ExpectRefused("victim", "files a request naming the withdrawn offering",
                [&](grpc::ClientContext* c) {
                  v1::FileServiceRequestRequest f;
                  f.set_request_id("victim-request-2");
                  f.set_enterprise_uscc(kVictim);
                  f.set_category(v1::SERVICE_CATEGORY_FINANCE);
                  f.set_offering_id(offering_.offering_id());
                  f.set_description("Credit, please.");
                  v1::ServiceRequest out;
                  return stub_->FileServiceRequest(c, f, &out);
                },
                {grpc::StatusCode::FAILED_PRECONDITION});
}

TEST_P(AdversarialSupportTest, OnlyTheParkReroutesAndTheOldProviderLosesSightAtOnce) {
  auto reroute = [&](const std::string& to) {
    return [this, to](grpc::ClientContext* c) {
      v1::RerouteServiceRequestRequest r;
      r.set_service_request_id(request_.service_request_id());
      r.set_provider_uscc(to);
      r.set_reason("The bank has not answered.");
      v1::ServiceRequest out;
      return stub_->RerouteServiceRequest(c, r, &out);
    };
  };
  for (const std::string& who : kEveryTenant) {
    ExpectRefused(who, "re-routes the victim's request to the rival", reroute(kRival));
  }
  ExpectRefused("staff", "re-routes it to a non-provider", reroute(kNeighbour),
                {grpc::StatusCode::FAILED_PRECONDITION});
  ExpectRefused("staff", "re-routes it to the filer", reroute(kVictim),
                {grpc::StatusCode::INVALID_ARGUMENT});
  ExpectRefused("staff", "re-routes it to the provider holding it", reroute(kBank),
                {grpc::StatusCode::INVALID_ARGUMENT});
  grpc::ClientContext ctx;
  As(ctx, "staff");
  ASSERT_TRUE(reroute(kRival)(&ctx).ok());
  witness_->Mark();
  // The bank, no longer holding it, neither reads nor answers it.
  ExpectRefused("bank", "reads the request re-routed away", [&](grpc::ClientContext* c) {
    v1::GetServiceRequestRequest r;
    r.set_service_request_id(request_.service_request_id());
    r.set_party_uscc(kBank);
    v1::ServiceRequest out;
    return stub_->GetServiceRequest(c, r, &out);
  });
  ExpectRefused("bank", "answers the request re-routed away", [&](grpc::ClientContext* c) {
    v1::AnswerServiceRequestRequest r;
    r.set_service_request_id(request_.service_request_id());
    r.set_provider_uscc(kBank);
    r.set_answer("Approved after all.");
    v1::ServiceRequest out;
    return stub_->AnswerServiceRequest(c, r, &out);
  });
  grpc::ClientContext list_ctx;
  As(list_ctx, "bank");
  v1::ListServiceRequestsRequest l;
  l.set_party_uscc(kBank);
  v1::ListServiceRequestsResponse listed;
  ASSERT_TRUE(stub_->ListServiceRequests(&list_ctx, l, &listed).ok());
  EXPECT_EQ(listed.requests_size(), 0);
  // The rival, holding it now, answers; then nobody re-routes it.
  grpc::ClientContext answer_ctx;
  As(answer_ctx, "rival");
  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(request_.service_request_id());
  a.set_provider_uscc(kRival);
  a.set_answer("Approved: a line of 1M CNY.");
  v1::ServiceRequest answered;
  ASSERT_TRUE(stub_->AnswerServiceRequest(&answer_ctx, a, &answered).ok());
  witness_->Mark();
  ExpectRefused("staff", "re-routes the answered request", reroute(kBank),
                {grpc::StatusCode::FAILED_PRECONDITION});
}

PARKLINE_BACKEND_TESTS(AdversarialSupportTest);

}  // namespace
}  // namespace parkline::support
