// Service requests on both backends: a provider is known by its registry roles, a request goes
// from filed to routed (respond_by on the working-day calendar) to answered and rated; supervision
// marks a routed request overdue once its committed time passed, once, with an event; the figures
// count on-time answers and ratings per category; a provider not routed a request cannot see or
// answer it.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "residents/residents.h"
#include "store/group_commit.h"
#include "support/request_desk.h"
#include "support/schema.h"
#include "tests/support/backend_test.h"

namespace parkline::support {
namespace {

namespace ev = enterprises::v1;
using google::protobuf::util::TimeUtil;

const std::string kSeller = testing::NumberedUscc(1);
const std::string kBank = testing::NumberedUscc(2);
const std::string kOtherBank = testing::NumberedUscc(3);
const std::string kLawFirm = testing::NumberedUscc(4);

// Monday 2026-06-01 10:00 park time.
const absl::Time kMonday = absl::FromUnixSeconds(1780279200);

class SupportRequestTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<RequestDesk>(*db_, *writer_, nullptr, calendar::WorkingCalendar(),
                                          [this] { return now_; });
    Admit(kSeller, ev::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
    Admit(kBank, ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION);
    Admit(kOtherBank, ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION);
    Admit(kLawFirm, ev::ENTERPRISE_ROLE_SERVICE_PROVIDER);
  }

  void Admit(const std::string& uscc, ev::EnterpriseRole role) {
    ev::EnterpriseAdmitted admitted;
    admitted.mutable_enterprise()->set_uscc(uscc);
    admitted.mutable_enterprise()->add_roles(role);
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return residents::OnAdmitted(tx, admitted); })
            .ok());
  }

  static auth::Viewer Of(const std::string& uscc) {
    auth::Viewer v{uscc + "-erp", false, uscc};
    v.codes = {uscc};
    return v;
  }

  v1::ServiceRequest FileAndRoute(const std::string& provider, int days) {
    v1::FileServiceRequestRequest f;
    f.set_request_id("file-" + provider + std::to_string(days));
    f.set_enterprise_uscc(kSeller);
    f.set_category(v1::SERVICE_CATEGORY_FINANCE);
    f.set_description("A supply-chain credit line against our bonded stock.");
    auto filed = desk_->File(f);
    EXPECT_TRUE(filed.ok()) << filed.status();
    v1::RouteServiceRequestRequest r;
    r.set_service_request_id(filed->service_request_id());
    r.set_provider_uscc(provider);
    r.set_response_working_days(days);
    auto routed = desk_->Route(r);
    EXPECT_TRUE(routed.ok()) << routed.status();
    return routed.ok() ? *routed : v1::ServiceRequest();
  }

  absl::Time now_ = kMonday;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<RequestDesk> desk_;
};

TEST_P(SupportRequestTest, OnlyAProviderWithTheCategorysRolePublishesOrIsRouted) {
  v1::PublishOfferingRequest p;
  p.set_request_id("offer-1");
  p.set_provider_uscc(kSeller);
  p.set_category(v1::SERVICE_CATEGORY_FINANCE);
  p.set_title("Cross-border settlement");
  auto refused = desk_->Publish(p);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("NOT_PROVIDER"), absl::string_view::npos);
  p.set_provider_uscc(kBank);
  auto offered = desk_->Publish(p);
  ASSERT_TRUE(offered.ok()) << offered.status();
  p.set_request_id("offer-2");
  p.set_category(v1::SERVICE_CATEGORY_LEGAL);
  EXPECT_EQ(desk_->Publish(p).status().code(), absl::StatusCode::kFailedPrecondition);

  // A request for the bank's offering goes to the bank when staff name nobody.
  v1::FileServiceRequestRequest f;
  f.set_request_id("file-offer");
  f.set_enterprise_uscc(kSeller);
  f.set_category(v1::SERVICE_CATEGORY_FINANCE);
  f.set_offering_id(offered->offering_id());
  f.set_description("Settle our EUR receipts weekly.");
  auto filed = desk_->File(f);
  ASSERT_TRUE(filed.ok()) << filed.status();
  v1::RouteServiceRequestRequest r;
  r.set_service_request_id(filed->service_request_id());
  r.set_response_working_days(2);
  r.set_provider_uscc(kSeller);
  EXPECT_EQ(desk_->Route(r).status().code(), absl::StatusCode::kInvalidArgument);  // the filer
  r.clear_provider_uscc();
  auto routed = desk_->Route(r);
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->provider_uscc(), kBank);
  // Monday + 2 working days: due by Wednesday 24:00, park time.
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(routed->respond_by()),
            absl::ToUnixMicros(
                absl::FromCivil(absl::CivilDay(2026, 6, 4), absl::FixedTimeZone(8 * 3600))));
}

TEST_P(SupportRequestTest, TheRoutedProviderAnswersTheFilerRatesAndTheFiguresCountIt) {
  v1::ServiceRequest req = FileAndRoute(kBank, 3);
  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(req.service_request_id());
  a.set_provider_uscc(kOtherBank);
  a.set_answer("We can do it cheaper.");
  EXPECT_EQ(desk_->Answer(a, Of(kOtherBank)).status().code(), absl::StatusCode::kNotFound);
  v1::GetServiceRequestRequest g;
  g.set_service_request_id(req.service_request_id());
  EXPECT_EQ(desk_->Get(g, Of(kOtherBank)).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(desk_->Answer(a, Of(kSeller)).status().code(), absl::StatusCode::kNotFound);

  now_ = kMonday + absl::Hours(26);
  a.set_provider_uscc(kBank);
  a.set_answer("Approved: a 2M CNY line against the bonded stock.");
  auto answered = desk_->Answer(a, Of(kBank));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->status(), v1::REQUEST_STATUS_ANSWERED);

  v1::RateServiceRequestRequest rate;
  rate.set_service_request_id(req.service_request_id());
  rate.set_enterprise_uscc(kBank);
  rate.set_rating(1);
  EXPECT_EQ(desk_->Rate(rate, Of(kBank)).status().code(), absl::StatusCode::kNotFound);
  rate.set_enterprise_uscc(kSeller);
  rate.set_rating(4);
  ASSERT_TRUE(desk_->Rate(rate, Of(kSeller)).ok());
  EXPECT_EQ(desk_->Rate(rate, Of(kSeller)).status().code(), absl::StatusCode::kFailedPrecondition);

  v1::GetRequestFiguresRequest f;
  f.set_year(2026);
  auto figures = desk_->Figures(f);
  ASSERT_TRUE(figures.ok()) << figures.status();
  ASSERT_EQ(figures->categories_size(), 1);
  const auto& finance = figures->categories(0);
  EXPECT_EQ(finance.filed(), 1);
  EXPECT_EQ(finance.answered(), 1);
  EXPECT_EQ(finance.answered_on_time(), 1);
  EXPECT_EQ(finance.rated(), 1);
  EXPECT_EQ(finance.rating_sum(), 4);

  // Filed, routed, answered, rated: one event each, keyed by the request.
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 4u);
  for (const auto& e : outbox) {
    EXPECT_EQ(e.type, "parkline.support.v1.ServiceRequestChanged");
    EXPECT_EQ(e.subject, req.service_request_id());
    EXPECT_EQ(e.payload.find("bonded stock"), std::string::npos) << "an event carries the text";
  }
}

TEST_P(SupportRequestTest, SupervisionMarksARequestPastItsTimeOnceAndItsAnswerIsLate) {
  v1::ServiceRequest req = FileAndRoute(kBank, 1);  // due Tuesday 24:00
  now_ = absl::FromCivil(absl::CivilSecond(2026, 6, 2, 23, 59, 0), absl::FixedTimeZone(8 * 3600));
  auto none = desk_->Supervise();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  now_ += absl::Minutes(2);
  auto marked = desk_->Supervise();
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(*desk_->Supervise(), 0);  // once
  EXPECT_EQ(Outbox().back().type, "parkline.support.v1.ServiceRequestOverdue");

  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(req.service_request_id());
  a.set_provider_uscc(kBank);
  a.set_answer("Sorry for the delay: approved.");
  auto answered = desk_->Answer(a, Of(kBank));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_TRUE(answered->overdue());
  v1::GetRequestFiguresRequest f;
  f.set_year(2026);
  auto figures = desk_->Figures(f);
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->categories_size(), 1);
  EXPECT_EQ(figures->categories(0).answered(), 1);
  EXPECT_EQ(figures->categories(0).answered_on_time(), 0);
  EXPECT_EQ(figures->categories(0).overdue(), 1);
}

TEST_P(SupportRequestTest, EachPartyListsOnlyWhatItFiledOrWasRouted) {
  FileAndRoute(kBank, 2);
  v1::ListServiceRequestsRequest l;
  l.set_party_uscc(kBank);
  auto bank = desk_->List(l, Of(kBank));
  ASSERT_TRUE(bank.ok());
  EXPECT_EQ(bank->requests_size(), 1);
  l.set_party_uscc(kOtherBank);
  auto other = desk_->List(l, Of(kOtherBank));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->requests_size(), 0);
}

TEST_P(SupportRequestTest, AWithdrawnOfferingLeavesTheDirectoryButWhatWasRoutedStaysAnswerable) {
  v1::PublishOfferingRequest p;
  p.set_request_id("offer-1");
  p.set_provider_uscc(kBank);
  p.set_category(v1::SERVICE_CATEGORY_FINANCE);
  p.set_title("Cross-border settlement");
  auto offered = desk_->Publish(p);
  ASSERT_TRUE(offered.ok()) << offered.status();
  v1::FileServiceRequestRequest f;
  f.set_request_id("file-before");
  f.set_enterprise_uscc(kSeller);
  f.set_category(v1::SERVICE_CATEGORY_FINANCE);
  f.set_offering_id(offered->offering_id());
  f.set_description("Settle our EUR receipts weekly.");
  auto routed_before = desk_->File(f);
  ASSERT_TRUE(routed_before.ok());
  v1::RouteServiceRequestRequest route;
  route.set_service_request_id(routed_before->service_request_id());
  route.set_response_working_days(3);
  ASSERT_TRUE(desk_->Route(route).ok());
  f.set_request_id("file-filed");
  auto filed_before = desk_->File(f);
  ASSERT_TRUE(filed_before.ok());

  v1::WithdrawOfferingRequest w;
  w.set_offering_id(offered->offering_id());
  w.set_provider_uscc(kOtherBank);
  EXPECT_EQ(desk_->Withdraw(w, Of(kOtherBank)).status().code(), absl::StatusCode::kNotFound);
  w.set_provider_uscc(kBank);
  auto withdrawn = desk_->Withdraw(w, Of(kBank));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_TRUE(withdrawn->withdrawn());
  EXPECT_EQ(Outbox().back().type, "parkline.support.v1.OfferingWithdrawn");
  EXPECT_EQ(Outbox().back().subject, offered->offering_id());
  auto again = desk_->Withdraw(w, Of(kBank));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("WITHDRAWN"), absl::string_view::npos);

  auto listed = desk_->ListOfferings(v1::ListOfferingsRequest());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->offerings_size(), 0);
  v1::ListOfferingsRequest record;
  record.set_include_withdrawn(true);
  EXPECT_EQ(desk_->ListOfferings(record)->offerings_size(), 1);
  f.set_request_id("file-after");
  EXPECT_EQ(desk_->File(f).status().code(), absl::StatusCode::kFailedPrecondition);
  // Filed before: the park names a provider now (the withdrawn offering's is no default).
  route.set_service_request_id(filed_before->service_request_id());
  EXPECT_EQ(desk_->Route(route).status().code(), absl::StatusCode::kInvalidArgument);
  route.set_provider_uscc(kOtherBank);
  EXPECT_TRUE(desk_->Route(route).ok());
  // Routed before: the bank still answers it.
  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(routed_before->service_request_id());
  a.set_provider_uscc(kBank);
  a.set_answer("Done: weekly settlement from next Monday.");
  EXPECT_TRUE(desk_->Answer(a, Of(kBank)).ok());
}

TEST_P(SupportRequestTest, AReroutedRequestKeepsItsDeadlineAndItsRecordAndChangesHands) {
  v1::ServiceRequest req = FileAndRoute(kBank, 2);  // due Wednesday 24:00
  now_ = kMonday + absl::Hours(30);
  v1::RerouteServiceRequestRequest r;
  r.set_service_request_id(req.service_request_id());
  r.set_provider_uscc(kLawFirm);
  r.set_reason("The bank's desk is closed this week.");
  auto moved = desk_->Reroute(r, auth::Viewer{"staff-li", true, ""});
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->provider_uscc(), kLawFirm);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(moved->respond_by()),
            TimeUtil::TimestampToMicroseconds(req.respond_by()));
  ASSERT_EQ(moved->routings_size(), 2);
  EXPECT_EQ(moved->routings(0).provider_uscc(), kBank);
  EXPECT_EQ(moved->routings(1).provider_uscc(), kLawFirm);
  EXPECT_EQ(moved->routings(1).reason(), "The bank's desk is closed this week.");
  auto outbox = Outbox();
  EXPECT_EQ(outbox.back().type, "parkline.support.v1.ServiceRequestRerouted");
  v1::ServiceRequestRerouted e;
  ASSERT_TRUE(e.ParseFromString(outbox.back().payload));
  EXPECT_EQ(e.from_provider_uscc(), kBank);
  EXPECT_EQ(e.to_provider_uscc(), kLawFirm);

  // The bank lost it at once, the law firm holds it.
  v1::GetServiceRequestRequest g;
  g.set_service_request_id(req.service_request_id());
  EXPECT_EQ(desk_->Get(g, Of(kBank)).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(desk_->Get(g, Of(kLawFirm)).ok());
  v1::ListServiceRequestsRequest l;
  l.set_party_uscc(kBank);
  EXPECT_EQ(desk_->List(l, Of(kBank))->requests_size(), 0);

  // Past the deadline kept from the first routing, supervision marks it, whoever holds it.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 6, 4, 0, 1, 0), absl::FixedTimeZone(8 * 3600));
  EXPECT_EQ(*desk_->Supervise(), 1);
  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(req.service_request_id());
  a.set_provider_uscc(kLawFirm);
  a.set_answer("Reviewed: the credit contract is sound.");
  auto answered = desk_->Answer(a, Of(kLawFirm));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_TRUE(answered->overdue());
  r.set_provider_uscc(kOtherBank);
  auto late = desk_->Reroute(r, auth::Viewer{"staff-li", true, ""});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("REQUEST_STATUS_ANSWERED"), absl::string_view::npos);
}

PARKLINE_BACKEND_TESTS(SupportRequestTest);

}  // namespace
}  // namespace parkline::support
