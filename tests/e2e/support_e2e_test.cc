// The support service as the park runs it: the real binary as a process beside the real
// registry, on the real local Kafka broker. Enterprises admitted in the registry become resident
// in the support service through its events; staff schedule a training; two enterprises register
// (one waits); a cancellation promotes the waiting one; another enterprise cannot cancel it;
// attendance is confirmed after the event and counted in the figures; the events are read back
// from the topic, the metrics from /metrics; SIGTERM is answered with exit code 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "events/envelope.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "parkline/support/v1/support.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace v1 = support::v1;
namespace ev1 = enterprises::v1;
using google::protobuf::util::TimeUtil;
using Support = testing::ServiceUnderTest<v1::SupportService>;
using Stub = v1::SupportService::Stub;
constexpr char kFirstToken[] = "e2e-enterprise-first-token";
constexpr char kSecondToken[] = "e2e-enterprise-second-token";
constexpr char kBankToken[] = "e2e-enterprise-bank-token";

std::string Caller(const std::string& token, const std::string& name, const std::string& role,
                   const std::string& uscc) {
  return absl::StrCat(R"({"sha256":")", auth::Sha256Hex(token), R"(","principal":")", name,
                      R"(","roles":[")", role, R"("],"uscc":")", uscc, R"("})");
}

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

class SupportE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* topic :
         {"parkline.support.v1", "parkline.enterprises.v1", "parkline.deadletter.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    std::ofstream(dir_.path() + "/tokens.json") << absl::StrCat(
        R"({"tokens":[)", Caller(testing::kAdminToken, "e2e-admin", "park-admin", ""), ",",
        Caller(kFirstToken, "first-co", "enterprise", first_), ",",
        Caller(kSecondToken, "second-co", "enterprise", second_), ",",
        Caller(kBankToken, "bank-co", "enterprise", bank_), "]}");
    registry_ = std::make_unique<testing::ServiceUnderTest<ev1::EnterpriseService>>(
        ENTERPRISES_BINARY, "enterprises", dir_.path(),
        std::map<std::string, std::string>{{"PARKLINE_TOPIC_PREFIX", prefix_}});
    ASSERT_EQ(registry_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
    service_ = std::make_unique<Support>(
        SUPPORT_BINARY, "support", dir_.path(),
        std::map<std::string, std::string>{{"PARKLINE_TOPIC_PREFIX", prefix_}});
    ASSERT_EQ(service_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
    for (const std::string& uscc : {first_, second_, bank_}) {
      ev1::AdmitEnterpriseRequest admit;
      admit.mutable_enterprise()->set_uscc(uscc);
      admit.mutable_enterprise()->set_name("E2E " + uscc);
      admit.mutable_enterprise()->add_roles(uscc == bank_
                                                ? ev1::ENTERPRISE_ROLE_FINANCIAL_INSTITUTION
                                                : ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
      admit.mutable_enterprise()->mutable_move_in_date()->set_year(2025);
      admit.mutable_enterprise()->mutable_move_in_date()->set_month(3);
      admit.mutable_enterprise()->mutable_move_in_date()->set_day(1);
      ev1::Enterprise admitted;
      ASSERT_TRUE(
          registry_->Call(&ev1::EnterpriseService::Stub::AdmitEnterprise, admit, &admitted).ok());
    }
  }

  // Registers as the enterprise of `token`, retrying while the support service has not yet
  // applied the registry's admission (NOT_RESIDENT).
  v1::Registration Register(const char* token, const std::string& uscc, int seats,
                            const std::string& activity_id) {
    service_->Connect({grpc::InsecureChannelCredentials(), token});
    v1::RegisterAttendeesRequest r;
    r.set_request_id("e2e-" + uscc);
    r.set_activity_id(activity_id);
    r.set_enterprise_uscc(uscc);
    r.set_head_count(seats);
    v1::Registration out;
    absl::Status s;
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    do {
      s = service_->Call(&Stub::RegisterAttendees, r, &out);
      if (absl::IsFailedPrecondition(s)) absl::SleepFor(absl::Milliseconds(200));
    } while (absl::IsFailedPrecondition(s) && absl::Now() < deadline);
    EXPECT_TRUE(s.ok()) << s;
    service_->Connect({});
    return out;
  }

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  const std::string first_ = testing::RandomUscc();
  const std::string second_ = testing::RandomUscc();
  const std::string bank_ = testing::RandomUscc();
  std::unique_ptr<testing::ServiceUnderTest<ev1::EnterpriseService>> registry_;
  std::unique_ptr<Support> service_;
};

TEST_F(SupportE2eTest, ATrainingFromScheduleToConfirmedAttendanceOverGrpcAndTheTopic) {
  // Close enough to start that the test waits for its end, far enough for the registrations.
  absl::Time starts = absl::Now() + absl::Seconds(20);
  v1::ScheduleActivityRequest s;
  s.set_request_id("e2e-schedule-" + events::NewUuid());
  s.set_kind(v1::ACTIVITY_KIND_SPECIAL_TRAINING);
  s.set_title("Cross-border returns and 9610 refunds");
  s.set_organiser("park-training-office");
  s.set_partner_organisation("Zhejiang E-commerce Academy");
  s.set_online_url("https://meet.example.com/returns");
  s.set_capacity(3);
  *s.mutable_starts_time() = Stamp(starts);
  *s.mutable_ends_time() = Stamp(starts + absl::Seconds(1));
  v1::Activity activity;
  ASSERT_TRUE(service_->Call(&Stub::ScheduleActivity, s, &activity).ok());

  v1::Registration first = Register(kFirstToken, first_, 2, activity.activity_id());
  EXPECT_EQ(first.status(), v1::REGISTRATION_STATUS_CONFIRMED);
  v1::Registration second = Register(kSecondToken, second_, 2, activity.activity_id());
  EXPECT_EQ(second.status(), v1::REGISTRATION_STATUS_WAITING);

  // The second enterprise cannot cancel the first's registration, whoever it names.
  service_->Connect({grpc::InsecureChannelCredentials(), kSecondToken});
  v1::CancelRegistrationRequest cancel;
  cancel.set_registration_id(first.registration_id());
  cancel.set_enterprise_uscc(second_);
  v1::Registration out;
  EXPECT_TRUE(absl::IsNotFound(service_->Call(&Stub::CancelRegistration, cancel, &out)));
  // The first cancels its own; the second's seats are promoted.
  service_->Connect({grpc::InsecureChannelCredentials(), kFirstToken});
  cancel.set_enterprise_uscc(first_);
  ASSERT_TRUE(service_->Call(&Stub::CancelRegistration, cancel, &out).ok());
  service_->Connect({});
  v1::ListRegistrationsRequest list;
  list.set_activity_id(activity.activity_id());
  v1::ListRegistrationsResponse listed;
  ASSERT_TRUE(service_->Call(&Stub::ListRegistrations, list, &listed).ok());
  ASSERT_EQ(listed.registrations_size(), 2);
  EXPECT_EQ(listed.registrations(1).registration_id(), second.registration_id());
  EXPECT_EQ(listed.registrations(1).status(), v1::REGISTRATION_STATUS_CONFIRMED);

  absl::SleepFor(starts + absl::Seconds(1) - absl::Now() + absl::Milliseconds(200));
  v1::ConfirmAttendanceRequest confirm;
  confirm.set_registration_id(second.registration_id());
  confirm.set_attended(2);
  ASSERT_TRUE(service_->Call(&Stub::ConfirmAttendance, confirm, &out).ok());
  EXPECT_EQ(out.status(), v1::REGISTRATION_STATUS_ATTENDED);

  // Scheduled, two registrations, the cancellation, the promotion, the attendance.
  auto records = testing::ReadTopic(
      prefix_ + "parkline.support.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) { return r.key == activity.activity_id(); },
      [](const auto& kept) { return kept.size() >= 6; });
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(testing::Header(records.back(), "ce_type"), "parkline.support.v1.AttendanceConfirmed");
  v1::AttendanceConfirmed confirmed;
  ASSERT_TRUE(confirmed.ParseFromString(records.back().value));
  EXPECT_EQ(confirmed.enterprise_uscc(), second_);
  EXPECT_EQ(confirmed.attended(), 2);

  v1::GetActivityFiguresRequest f;
  f.set_year(absl::ToCivilYear(starts, absl::FixedTimeZone(8 * 3600)).year());
  v1::ActivityFigures figures;
  ASSERT_TRUE(service_->Call(&Stub::GetActivityFigures, f, &figures).ok());
  bool counted = false;
  for (const auto& k : figures.kinds()) {
    if (k.kind() == v1::ACTIVITY_KIND_SPECIAL_TRAINING) counted = k.attendees_confirmed() >= 2;
  }
  EXPECT_TRUE(counted) << figures.DebugString();
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_support_attendees_confirmed_total{kind=\"special_training\"} 2"),
            std::string::npos);

  service_->process().Signal(SIGTERM);
  EXPECT_EQ(service_->process().Wait(absl::Seconds(10)), 0);
}

// The directory and a request end to end: the bank is a provider once the registry's event with
// its role arrived; the request is routed to its offering's provider, answered, rated; the
// enterprise not routed it cannot answer it; its four events are on the topic under its id.
TEST_F(SupportE2eTest, AServiceRequestFromFilingToRatingOverGrpcAndTheTopic) {
  service_->Connect({grpc::InsecureChannelCredentials(), kBankToken});
  v1::PublishOfferingRequest p;
  p.set_request_id("e2e-offer-" + bank_);
  p.set_provider_uscc(bank_);
  p.set_category(v1::SERVICE_CATEGORY_FINANCE);
  p.set_title("Supply-chain finance against bonded stock");
  v1::Offering offering;
  absl::Status published;
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    published = service_->Call(&Stub::PublishOffering, p, &offering);
    if (absl::IsFailedPrecondition(published)) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::IsFailedPrecondition(published) && absl::Now() < deadline);
  ASSERT_TRUE(published.ok()) << published;

  service_->Connect({grpc::InsecureChannelCredentials(), kFirstToken});
  v1::FileServiceRequestRequest f;
  f.set_request_id("e2e-request-" + first_);
  f.set_enterprise_uscc(first_);
  f.set_category(v1::SERVICE_CATEGORY_FINANCE);
  f.set_offering_id(offering.offering_id());
  f.set_description("A credit line for the autumn stock.");
  v1::ServiceRequest req;
  ASSERT_TRUE(service_->Call(&Stub::FileServiceRequest, f, &req).ok());

  service_->Connect({});
  v1::RouteServiceRequestRequest r;
  r.set_service_request_id(req.service_request_id());
  r.set_response_working_days(5);
  ASSERT_TRUE(service_->Call(&Stub::RouteServiceRequest, r, &req).ok());
  EXPECT_EQ(req.provider_uscc(), bank_);

  v1::AnswerServiceRequestRequest a;
  a.set_service_request_id(req.service_request_id());
  a.set_answer("Approved.");
  service_->Connect({grpc::InsecureChannelCredentials(), kSecondToken});
  a.set_provider_uscc(second_);
  EXPECT_TRUE(absl::IsNotFound(service_->Call(&Stub::AnswerServiceRequest, a, &req)));
  service_->Connect({grpc::InsecureChannelCredentials(), kBankToken});
  a.set_provider_uscc(bank_);
  ASSERT_TRUE(service_->Call(&Stub::AnswerServiceRequest, a, &req).ok());

  service_->Connect({grpc::InsecureChannelCredentials(), kFirstToken});
  v1::RateServiceRequestRequest rate;
  rate.set_service_request_id(req.service_request_id());
  rate.set_enterprise_uscc(first_);
  rate.set_rating(5);
  ASSERT_TRUE(service_->Call(&Stub::RateServiceRequest, rate, &req).ok());
  EXPECT_EQ(req.rating(), 5);

  auto records = testing::ReadTopic(
      prefix_ + "parkline.support.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& rec) { return rec.key == req.service_request_id(); },
      [](const auto& kept) { return kept.size() >= 4; });
  ASSERT_EQ(records.size(), 4u);
  v1::ServiceRequestChanged last;
  ASSERT_TRUE(last.ParseFromString(records.back().value));
  EXPECT_EQ(last.rating(), 5);
  EXPECT_TRUE(last.on_time());
}

}  // namespace
}  // namespace parkline
