// The registry, the support service and the statistics as processes on the real local Kafka
// broker: the registry admits two residents (a seller and a bank) and records the seller's
// self-reported trained staff; support holds a practical training whose attendance is confirmed
// after it ends, and the bank answers the seller's finance request on time and is rated; the
// statistics then show the training, the staff trained from both sources side by side, the
// request's on-time ratio and satisfaction over gRPC and on /metrics.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/sha256.h"
#include "events/envelope.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "parkline/support/v1/support.grpc.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace ev1 = enterprises::v1;
namespace sv1 = statistics::v1;
namespace uv1 = support::v1;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;
using Statistics = testing::ServiceUnderTest<sv1::StatisticsService>;
using Support = testing::ServiceUnderTest<uv1::SupportService>;
using Stub = uv1::SupportService::Stub;
constexpr char kSellerToken[] = "e2e-stat-seller-token";
constexpr char kBankToken[] = "e2e-stat-bank-token";

std::string Caller(const std::string& token, const std::string& name, const std::string& role,
                   const std::string& uscc) {
  return absl::StrCat(R"({"sha256":")", auth::Sha256Hex(token), R"(","principal":")", name,
                      R"(","roles":[")", role, R"("],"uscc":")", uscc, R"("})");
}

google::protobuf::Timestamp Stamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(60)) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(250));
  }
  return done();
}

// Retries `call` while it fails FAILED_PRECONDITION: support has not yet applied the registry's
// admission of the caller's enterprise.
absl::Status UntilResident(const std::function<absl::Status()>& call) {
  absl::Status s;
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    s = call();
    if (absl::IsFailedPrecondition(s)) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::IsFailedPrecondition(s) && absl::Now() < deadline);
  return s;
}

class StatisticsSupportE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* topic :
         {"parkline.enterprises.v1", "parkline.support.v1", "parkline.declarations.v1",
          "parkline.clearance.v1", "parkline.logistics.v1", "parkline.complaints.v1",
          "parkline.deadletter.v1", "parkline.statistics.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    std::ofstream(dir_.path() + "/tokens.json") << absl::StrCat(
        R"({"tokens":[)", Caller(testing::kAdminToken, "e2e-admin", "park-admin", ""), ",",
        Caller(kSellerToken, "seller-co", "enterprise", seller_), ",",
        Caller(kBankToken, "bank-co", "enterprise", bank_), "]}");
    std::map<std::string, std::string> env = {{"PARKLINE_TOPIC_PREFIX", prefix_}};
    registry_ = std::make_unique<Enterprises>(ENTERPRISES_BINARY, "enterprises", dir_.path(), env);
    support_ = std::make_unique<Support>(SUPPORT_BINARY, "support", dir_.path(), env);
    statistics_ = std::make_unique<Statistics>(STATISTICS_BINARY, "statistics", dir_.path(), env);
    for (testing::ServiceProcess* s : std::vector<testing::ServiceProcess*>{
             registry_.get(), support_.get(), statistics_.get()}) {
      ASSERT_EQ(s->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
    }
    for (const std::string& uscc : {seller_, bank_}) {
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

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  const std::string seller_ = testing::RandomUscc();
  const std::string bank_ = testing::RandomUscc();
  std::unique_ptr<Enterprises> registry_;
  std::unique_ptr<Support> support_;
  std::unique_ptr<Statistics> statistics_;
};

TEST_F(StatisticsSupportE2eTest, ConfirmedTrainingAndAnOnTimeRequestReachTheStatistics) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  // The training starts late enough for the registration (support must first see the seller's
  // admission) and ends within seconds; the statistics count it in the park's year of its end.
  absl::Time starts = absl::Now() + absl::Seconds(20);
  std::string year = absl::StrCat(absl::ToCivilYear(starts + absl::Seconds(1), shanghai).year());

  ev1::RecordTalentRequest talent;
  talent.mutable_talent()->set_uscc(seller_);
  talent.mutable_talent()->set_year(std::stoi(year));
  talent.mutable_talent()->set_employees(30);
  talent.mutable_talent()->set_trained_staff(7);
  ev1::TalentFigures recorded;
  ASSERT_TRUE(registry_->Call(&ev1::EnterpriseService::Stub::RecordTalent, talent, &recorded).ok());

  uv1::ScheduleActivityRequest schedule;
  schedule.set_request_id("e2e-schedule-" + events::NewUuid());
  schedule.set_kind(uv1::ACTIVITY_KIND_PRACTICAL_TRAINING);
  schedule.set_title("Listing products for the EU marketplace");
  schedule.set_organiser("park-training-office");
  schedule.set_partner_organisation("Zhejiang E-commerce Academy");
  schedule.set_online_url("https://meet.example.com/listing");
  schedule.set_capacity(10);
  *schedule.mutable_starts_time() = Stamp(starts);
  *schedule.mutable_ends_time() = Stamp(starts + absl::Seconds(1));
  uv1::Activity activity;
  ASSERT_TRUE(support_->Call(&Stub::ScheduleActivity, schedule, &activity).ok());

  support_->Connect({grpc::InsecureChannelCredentials(), kSellerToken});
  uv1::RegisterAttendeesRequest reg;
  reg.set_request_id("e2e-register-" + seller_);
  reg.set_activity_id(activity.activity_id());
  reg.set_enterprise_uscc(seller_);
  reg.set_head_count(3);
  uv1::Registration registration;
  ASSERT_TRUE(UntilResident([&] {
                return support_->Call(&Stub::RegisterAttendees, reg, &registration);
              }).ok());

  // The bank's offering, the seller's request, routed with 5 working days and answered at once.
  support_->Connect({grpc::InsecureChannelCredentials(), kBankToken});
  uv1::PublishOfferingRequest publish;
  publish.set_request_id("e2e-offer-" + bank_);
  publish.set_provider_uscc(bank_);
  publish.set_category(uv1::SERVICE_CATEGORY_FINANCE);
  publish.set_title("Settlement of marketplace payouts");
  uv1::Offering offering;
  ASSERT_TRUE(UntilResident([&] {
                return support_->Call(&Stub::PublishOffering, publish, &offering);
              }).ok());
  support_->Connect({grpc::InsecureChannelCredentials(), kSellerToken});
  uv1::FileServiceRequestRequest file;
  file.set_request_id("e2e-request-" + seller_);
  file.set_enterprise_uscc(seller_);
  file.set_category(uv1::SERVICE_CATEGORY_FINANCE);
  file.set_offering_id(offering.offering_id());
  file.set_description("Payouts in EUR to a CNY account.");
  uv1::ServiceRequest request;
  ASSERT_TRUE(support_->Call(&Stub::FileServiceRequest, file, &request).ok());
  support_->Connect({});
  uv1::RouteServiceRequestRequest route;
  route.set_service_request_id(request.service_request_id());
  route.set_response_working_days(5);
  ASSERT_TRUE(support_->Call(&Stub::RouteServiceRequest, route, &request).ok());
  support_->Connect({grpc::InsecureChannelCredentials(), kBankToken});
  uv1::AnswerServiceRequestRequest answer;
  answer.set_service_request_id(request.service_request_id());
  answer.set_provider_uscc(bank_);
  answer.set_answer("Done through our settlement account.");
  ASSERT_TRUE(support_->Call(&Stub::AnswerServiceRequest, answer, &request).ok());
  support_->Connect({grpc::InsecureChannelCredentials(), kSellerToken});
  uv1::RateServiceRequestRequest rate;
  rate.set_service_request_id(request.service_request_id());
  rate.set_enterprise_uscc(seller_);
  rate.set_rating(4);
  ASSERT_TRUE(support_->Call(&Stub::RateServiceRequest, rate, &request).ok());

  // Attendance is confirmed once the training has ended: 2 of the 3 came.
  absl::SleepFor(starts + absl::Seconds(1) - absl::Now() + absl::Milliseconds(200));
  support_->Connect({});
  uv1::ConfirmAttendanceRequest confirm;
  confirm.set_registration_id(registration.registration_id());
  confirm.set_attended(2);
  ASSERT_TRUE(support_->Call(&Stub::ConfirmAttendance, confirm, &registration).ok());

  // The seller's figures in the statistics: both sources of staff trained, labelled.
  sv1::GetEnterpriseFiguresRequest figures_request;
  figures_request.set_uscc(seller_);
  std::map<std::string, std::string> trained;
  ASSERT_TRUE(WaitFor([&] {
    sv1::EnterpriseFigures figures;
    if (!statistics_
             ->Call(&sv1::StatisticsService::Stub::GetEnterpriseFigures, figures_request, &figures)
             .ok()) {
      return false;
    }
    trained.clear();
    for (const auto& v : figures.values()) {
      if (v.indicator() == "staff_trained" && v.labels().at("year") == year) {
        trained[v.labels().at("source")] = v.value();
      }
    }
    return trained["confirmed_attendance"] == "2" && trained["self_reported"] == "7";
  })) << "confirmed_attendance="
      << trained["confirmed_attendance"] << " self_reported=" << trained["self_reported"];

  // The park's totals: the training held, the request on time and rated.
  std::map<std::string, std::string> year_to_date;
  ASSERT_TRUE(WaitFor([&] {
    sv1::Overview overview;
    if (!statistics_
             ->Call(&sv1::StatisticsService::Stub::GetOverview, sv1::GetOverviewRequest(),
                    &overview)
             .ok()) {
      return false;
    }
    year_to_date.clear();
    for (const auto& p : overview.totals()) {
      if (p.name() != "year_to_date") continue;
      for (const auto& v : p.values()) {
        std::string labels;
        for (const auto& [k, value] : v.labels()) labels += k + "=" + value;
        year_to_date[v.indicator() + "{" + labels + "}"] = v.value();
      }
    }
    return year_to_date["support_request_satisfaction_mean{category=finance}"] == "4.0000";
  }));
  EXPECT_EQ(year_to_date["support_activities_held{kind=practical_training}"], "1");
  EXPECT_EQ(year_to_date["support_attendance{kind=practical_training}"], "2");
  EXPECT_EQ(year_to_date["support_requests_filed{category=finance}"], "1");
  EXPECT_EQ(year_to_date["support_requests_on_time_ratio{category=finance}"], "1.0000");

  std::string metrics = testing::HttpGet(statistics_->metrics_port(), "/metrics");
  for (const std::string& line :
       {std::string(R"(parkline_support_activities_held_total{kind="practical_training"} 1)"),
        std::string(R"(parkline_support_requests_on_time_ratio{category="finance"} 1)"),
        absl::StrCat(R"(parkline_staff_trained{source="confirmed_attendance",year=")", year,
                     R"("} 2)"),
        absl::StrCat(R"(parkline_staff_trained{source="self_reported",year=")", year, R"("} 7)")}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line;
  }
  EXPECT_NE(metrics.find("GB/T 39678-2020 6.8.2"), std::string::npos);
}

}  // namespace
}  // namespace parkline
