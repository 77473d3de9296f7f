#include "support/request_rules.h"

#include <gtest/gtest.h>

#include "calendar/calendar_data.h"

namespace parkline::support {
namespace {

namespace ev = enterprises::v1;
constexpr char kUscc[] = "91350100M000100Y43";
constexpr char kProvider[] = "91110000100000000R";

TEST(Providers, EachCategoryNeedsItsRoleAndAServiceProviderOffersAny) {
  std::set<ev::EnterpriseRole> bank = {ev::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION};
  std::set<ev::EnterpriseRole> carrier = {ev::ENTERPRISE_ROLE_LOGISTICS};
  std::set<ev::EnterpriseRole> firm = {ev::ENTERPRISE_ROLE_SERVICE_PROVIDER};
  std::set<ev::EnterpriseRole> seller = {ev::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE};
  EXPECT_TRUE(MayProvide(bank, v1::SERVICE_CATEGORY_FINANCE));
  EXPECT_FALSE(MayProvide(bank, v1::SERVICE_CATEGORY_LEGAL));
  EXPECT_TRUE(MayProvide(carrier, v1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS));
  EXPECT_FALSE(MayProvide(carrier, v1::SERVICE_CATEGORY_FINANCE));
  for (auto c : {v1::SERVICE_CATEGORY_FINANCE, v1::SERVICE_CATEGORY_LOGISTICS_SOLUTIONS,
                 v1::SERVICE_CATEGORY_TECHNOLOGY_IP, v1::SERVICE_CATEGORY_LEGAL}) {
    EXPECT_TRUE(MayProvide(firm, c));
    EXPECT_FALSE(MayProvide(seller, c));
  }
}

// Routed on Wednesday 2026-09-30, three working days skip the National Day break (1-8 October
// 2026 on the built-in calendar), whatever the hour of routing: due at the end of the third
// working day after it.
TEST(Deadline, WorkingDaysOnTheParksCalendarSkipHolidaysAndTheRoutingDay) {
  auto calendar = calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  absl::TimeZone park = absl::FixedTimeZone(8 * 3600);
  absl::Time routed = absl::FromCivil(absl::CivilSecond(2026, 9, 30, 23, 50, 0), park);
  absl::CivilDay third = calendar->AddWorkingDays(absl::CivilDay(2026, 9, 30), 3);
  EXPECT_GT(third, absl::CivilDay(2026, 10, 8));
  EXPECT_EQ(RespondBy(*calendar, park, routed, 3), absl::FromCivil(third + 1, park));
  // An ordinary week: Monday + 2 working days is due by Wednesday 24:00.
  absl::Time monday = absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), park);
  EXPECT_EQ(RespondBy(calendar::WorkingCalendar(), park, monday, 2),
            absl::FromCivil(absl::CivilDay(2026, 6, 4), park));
}

v1::ServiceRequest Stored(v1::RequestStatus status, int rating = 0) {
  v1::ServiceRequest r;
  r.set_enterprise_uscc(kUscc);
  r.set_provider_uscc(kProvider);
  r.set_status(status);
  r.set_rating(rating);
  return r;
}

TEST(StateMachine, RoutedOnceAnsweredOnceRatedOnceAnswered) {
  EXPECT_TRUE(CheckRoutable(Stored(v1::REQUEST_STATUS_FILED)).ok());
  EXPECT_FALSE(CheckRoutable(Stored(v1::REQUEST_STATUS_ROUTED)).ok());
  EXPECT_TRUE(CheckAnswerable(Stored(v1::REQUEST_STATUS_ROUTED)).ok());
  EXPECT_FALSE(CheckAnswerable(Stored(v1::REQUEST_STATUS_FILED)).ok());
  EXPECT_FALSE(CheckAnswerable(Stored(v1::REQUEST_STATUS_ANSWERED)).ok());
  EXPECT_TRUE(CheckRateable(Stored(v1::REQUEST_STATUS_ANSWERED)).ok());
  EXPECT_FALSE(CheckRateable(Stored(v1::REQUEST_STATUS_ANSWERED, 4)).ok());
  EXPECT_FALSE(CheckRateable(Stored(v1::REQUEST_STATUS_ROUTED)).ok());
}

TEST(TenantRules, TheFilerRatesTheProviderAnswersBothSeeNobodyElse) {
  auth::Viewer filer{"filer", false, kUscc};
  filer.codes = {kUscc};
  auth::Viewer provider{"provider", false, kProvider};
  provider.codes = {kProvider};
  auth::Viewer other{"other", false, "91330000MA2XXXXX0X"};
  other.codes = {"91330000MA2XXXXX0X"};
  auth::Viewer staff{"staff", true, ""};
  auto r = Stored(v1::REQUEST_STATUS_ROUTED);
  EXPECT_TRUE(MaySee(filer, r) && MaySee(provider, r) && MaySee(staff, r));
  EXPECT_FALSE(MaySee(other, r));
  EXPECT_TRUE(MayAnswer(provider, r));
  EXPECT_FALSE(MayAnswer(filer, r));
  EXPECT_FALSE(MayAnswer(other, r));
  EXPECT_TRUE(MayRate(filer, r));
  EXPECT_FALSE(MayRate(provider, r));
  // Not yet routed: the empty provider is nobody's.
  auto filed = Stored(v1::REQUEST_STATUS_FILED);
  filed.clear_provider_uscc();
  auth::Viewer nobody{"x", false, ""};
  EXPECT_FALSE(MaySee(nobody, filed));
}

constexpr char kOtherProvider[] = "91330000MA2XXXXX0X";

TEST(Rerouting, OnlyARoutedUnansweredRequestMovesAndOnlyToAnotherProviderThanTheFiler) {
  auto routed = Stored(v1::REQUEST_STATUS_ROUTED);
  EXPECT_TRUE(CheckReroutable(routed, kOtherProvider).ok());
  EXPECT_EQ(CheckReroutable(routed, kProvider).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckReroutable(routed, kUscc).code(), absl::StatusCode::kInvalidArgument);
  for (auto status : {v1::REQUEST_STATUS_FILED, v1::REQUEST_STATUS_ANSWERED}) {
    absl::Status refused = CheckReroutable(Stored(status), kOtherProvider);
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(refused.message().find(v1::RequestStatus_Name(status)), absl::string_view::npos);
  }
}

TEST(Rerouting, TheNewProviderHoldsItTheOldLosesSightTheDeadlineAndTheRecordStay) {
  auto r = Stored(v1::REQUEST_STATUS_FILED);
  r.clear_provider_uscc();
  absl::Time first = absl::FromUnixSeconds(1'780'000'000);
  RecordRouting(r, kProvider, first, "");
  r.mutable_respond_by()->set_seconds(1'780'500'000);
  r.set_overdue(true);
  RecordRouting(r, kOtherProvider, first + absl::Hours(30), "no answer from the first bank");
  EXPECT_EQ(r.provider_uscc(), kOtherProvider);
  EXPECT_EQ(r.respond_by().seconds(), 1'780'500'000);  // the commitment made at the first routing
  EXPECT_TRUE(r.overdue());
  ASSERT_EQ(r.routings_size(), 2);
  EXPECT_EQ(r.routings(0).provider_uscc(), kProvider);
  EXPECT_EQ(r.routings(0).routed_time().seconds(), 1'780'000'000);
  EXPECT_EQ(r.routings(1).reason(), "no answer from the first bank");
  auth::Viewer old_provider{"old", false, kProvider};
  old_provider.codes = {kProvider};
  auth::Viewer new_provider{"new", false, kOtherProvider};
  new_provider.codes = {kOtherProvider};
  EXPECT_FALSE(MaySee(old_provider, r));
  EXPECT_FALSE(MayAnswer(old_provider, r));
  EXPECT_TRUE(MaySee(new_provider, r));
  EXPECT_TRUE(MayAnswer(new_provider, r));
}

TEST(Withdrawal, AWithdrawnOfferingIsNeitherWithdrawnAgainNorNamedAndOnlyItsProviderWithdraws) {
  v1::Offering o;
  o.set_offering_id("OFR-1");
  o.set_provider_uscc(kProvider);
  EXPECT_TRUE(CheckOfferingActive(o, "offering_id").ok());
  o.set_withdrawn(true);
  absl::Status refused = CheckOfferingActive(o, "offering_id");
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("WITHDRAWN"), absl::string_view::npos);
  auth::Viewer provider{"provider", false, kProvider};
  provider.codes = {kProvider};
  auth::Viewer other{"other", false, kOtherProvider};
  other.codes = {kOtherProvider};
  auth::Viewer staff{"staff", true, ""};
  EXPECT_TRUE(MayWithdraw(provider, o));
  EXPECT_TRUE(MayWithdraw(staff, o));
  EXPECT_FALSE(MayWithdraw(other, o));
  EXPECT_FALSE(MayWithdraw(auth::Viewer{"analyst", false, ""}, o));
}

TEST(Input, ARerouteNamesAProviderAndAReasonAWithdrawalAnOffering) {
  v1::RerouteServiceRequestRequest reroute;
  reroute.set_service_request_id("SRQ-1");
  reroute.set_provider_uscc("not-a-uscc");
  errors::Violations v;
  CheckRerouting(reroute, v);
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].field, "provider_uscc");
  EXPECT_EQ(v.list()[1].field, "reason");
  errors::Violations w;
  CheckWithdrawal(v1::WithdrawOfferingRequest(), w);
  ASSERT_EQ(w.list().size(), 1u);
  EXPECT_EQ(w.list()[0].field, "offering_id");
}

TEST(Input, RoutingDaysRatingAndDescriptionAreBounded) {
  v1::RouteServiceRequestRequest route;
  route.set_service_request_id("SRQ-1");
  route.set_response_working_days(kMaxResponseWorkingDays + 1);
  errors::Violations v;
  CheckRouting(route, v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "response_working_days");
  v1::RateServiceRequestRequest rate;
  rate.set_service_request_id("SRQ-1");
  rate.set_rating(6);
  errors::Violations w;
  CheckRating(rate, w);
  ASSERT_EQ(w.list().size(), 1u);
  EXPECT_EQ(w.list()[0].field, "rating");
  v1::FileServiceRequestRequest file;
  file.set_request_id("f-1");
  file.set_enterprise_uscc(kUscc);
  file.set_category(v1::SERVICE_CATEGORY_LEGAL);
  errors::Violations x;
  CheckFiling(file, x);
  ASSERT_EQ(x.list().size(), 1u);
  EXPECT_EQ(x.list()[0].field, "description");
}

}  // namespace
}  // namespace parkline::support
