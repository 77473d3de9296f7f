// The support service's events (6.4-6.9) through the statistics' aggregator and store on both
// backends: each fact counted once across batches and redeliveries, the per-category ratios,
// staff trained from confirmed attendance beside the self-reported figure in an enterprise's
// figures and in the closed days' snapshots (a late confirmation revises them), and the 6.8.2
// verdict over whole quarters.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "statistics/aggregator.h"
#include "statistics/day_closer.h"
#include "statistics/schema.h"
#include "statistics/statistics_desk.h"
#include "statistics/statistics_repository.h"
#include "tests/support/backend_test.h"

namespace parkline::statistics {
namespace {

namespace ent = parkline::enterprises::v1;
namespace sup = parkline::support::v1;

constexpr char kUscc[] = "91330100MA2BBBBB2Y";

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

absl::Time Noon(int month, int day) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, 12, 0, 0), Shanghai());
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

v1::Period Period(int m1, int d1, int m2, int d2) {
  v1::Period p;
  p.mutable_from()->set_year(2026);
  p.mutable_from()->set_month(m1);
  p.mutable_from()->set_day(d1);
  p.mutable_to()->set_year(2026);
  p.mutable_to()->set_month(m2);
  p.mutable_to()->set_day(d2);
  return p;
}

events::Envelope Admitted() {
  ent::EnterpriseAdmitted m;
  m.mutable_enterprise()->set_uscc(kUscc);
  m.mutable_enterprise()->set_customs_code("3301960XYZ");
  m.mutable_enterprise()->set_name("Trained Seller");
  m.mutable_enterprise()->add_roles(ent::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
  return events::NewEvent("parkline.enterprises.v1", "/t", kUscc, m, Noon(1, 2));
}

events::Envelope Talent(int trained) {
  ent::TalentRecorded m;
  m.mutable_talent()->set_uscc(kUscc);
  m.mutable_talent()->set_year(2026);
  m.mutable_talent()->set_employees(40);
  m.mutable_talent()->set_trained_staff(trained);
  return events::NewEvent("parkline.enterprises.v1", "/t", kUscc, m, Noon(1, 3));
}

events::Envelope Confirmed(const std::string& registration, const std::string& activity,
                           sup::ActivityKind kind, int attended, absl::Time ended,
                           absl::Time confirmed) {
  sup::AttendanceConfirmed m;
  m.set_registration_id(registration);
  m.set_activity_id(activity);
  m.set_kind(kind);
  m.set_enterprise_uscc(kUscc);
  m.set_attended(attended);
  *m.mutable_activity_ended_time() = Ts(ended);
  *m.mutable_confirmed_time() = Ts(confirmed);
  return events::NewEvent("parkline.support.v1", "/t", activity, m, confirmed);
}

events::Envelope Request(const std::string& id, sup::ServiceCategory category,
                         sup::RequestStatus status, bool on_time, int rating, absl::Time when) {
  sup::ServiceRequestChanged m;
  m.set_service_request_id(id);
  m.set_enterprise_uscc(kUscc);
  m.set_category(category);
  m.set_status(status);
  m.set_on_time(on_time);
  m.set_rating(rating);
  *m.mutable_changed_time() = Ts(when);
  return events::NewEvent("parkline.support.v1", "/t", id, m, when);
}

class StatisticsSupportTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    desk_ = std::make_unique<StatisticsDesk>(*db_, Shanghai(), [this] { return now_; });
  }

  void Apply(const std::vector<events::Envelope>& batch) {
    Aggregator aggregator(Shanghai(), {}, [this] { return now_; });
    std::vector<events::EventView> views;
    for (const events::Envelope& e : batch) views.push_back(events::ViewOf(e));
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return aggregator.Apply(tx, views); }).ok());
  }

  // The total of `indicator` {filter} over 2026-01-01..06-30 ("none" without a series).
  std::string Total(const std::string& indicator, const std::map<std::string, std::string>& f) {
    v1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    *request.mutable_period() = Period(1, 1, 6, 30);
    request.set_granularity(v1::GRANULARITY_YEAR);
    for (const auto& [k, v] : f) (*request.mutable_label_filter())[k] = v;
    auto series = desk_->TimeSeries(request);
    EXPECT_TRUE(series.ok()) << series.status();
    if (!series.ok() || series->series_size() == 0 || series->series(0).total().empty()) {
      return "none";
    }
    return series->series(0).total();
  }

  absl::Time now_ = Noon(7, 10);
  std::unique_ptr<StatisticsDesk> desk_;
};

TEST_P(StatisticsSupportTest, EachFactCountsOnceAndRatiosArePerCategory) {
  Apply({Admitted(), Talent(9),
         Confirmed("REG-1", "ACT-1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 3, Noon(2, 10),
                   Noon(2, 11)),
         Confirmed("REG-2", "ACT-1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 2, Noon(2, 10),
                   Noon(2, 11)),
         Request("SR-1", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_FILED, false, 0,
                 Noon(3, 2)),
         Request("SR-1", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, true, 0,
                 Noon(3, 4))});
  // A later batch: the same confirmation and answer published again (new event ids), a rating,
  // a second legal request answered late, and a finance request filed only.
  Apply({Confirmed("REG-1", "ACT-1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 3, Noon(2, 10),
                   Noon(2, 11)),
         Request("SR-1", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, true, 0,
                 Noon(3, 4)),
         Request("SR-1", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, true, 5,
                 Noon(3, 6)),
         Request("SR-2", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, false, 2,
                 Noon(3, 9)),
         Request("SR-3", sup::SERVICE_CATEGORY_FINANCE, sup::REQUEST_STATUS_FILED, false, 0,
                 Noon(3, 9))});
  EXPECT_EQ(Total("support_activities_held", {{"kind", "special_training"}}), "1");
  EXPECT_EQ(Total("support_attendance", {{"kind", "special_training"}}), "5");
  EXPECT_EQ(Total("support_staff_trained", {}), "5");
  EXPECT_EQ(Total("support_requests_filed", {{"category", "legal"}}), "2");
  EXPECT_EQ(Total("support_requests_answered", {{"category", "legal"}}), "2");
  EXPECT_EQ(Total("support_requests_on_time_ratio", {{"category", "legal"}}), "0.5000");
  EXPECT_EQ(Total("support_request_satisfaction_mean", {{"category", "legal"}}), "3.5000");
  EXPECT_EQ(Total("support_requests_on_time_ratio", {{"category", "finance"}}), "none");

  // The enterprise's figures: the support counters and staff trained from both sources.
  v1::GetEnterpriseFiguresRequest request;
  request.set_uscc(kUscc);
  *request.mutable_period() = Period(1, 1, 6, 30);
  auto figures = desk_->EnterpriseFigures(request);
  ASSERT_TRUE(figures.ok()) << figures.status();
  std::map<std::string, std::string> trained;
  std::string staff_trained_counter;
  for (const auto& v : figures->values()) {
    if (v.indicator() == "staff_trained") {
      EXPECT_EQ(v.labels().at("year"), "2026");
      trained[v.labels().at("source")] = v.value();
    }
    if (v.indicator() == "support_staff_trained") staff_trained_counter = v.value();
  }
  EXPECT_EQ(trained, (std::map<std::string, std::string>{{"confirmed_attendance", "5"},
                                                         {"self_reported", "9"}}));
  EXPECT_EQ(staff_trained_counter, "5");
}

TEST_P(StatisticsSupportTest, ClosedDaysShowStaffTrainedAndALateConfirmationRevisesThem) {
  now_ = Noon(2, 9);
  Apply({Admitted(), Talent(9)});
  DayCloser::Options options;
  options.zone = Shanghai();
  options.grace = absl::Minutes(10);
  DayCloser closer(*db_, options, [this] { return now_; });
  now_ = Noon(2, 12);
  ASSERT_TRUE(closer.CloseDue().ok());
  auto snapshot = [&](const std::string& day) {
    std::map<std::string, int64_t> out;
    EXPECT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                     auto rows = LoadSnapshots(tx, "staff_trained", day, day);
                     if (!rows.ok()) return rows.status();
                     for (const DailyValue& d : *rows) out[d.labels] = d.value;
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  };
  EXPECT_EQ(snapshot("2026-02-10"),
            (std::map<std::string, int64_t>{{"source=confirmed_attendance,year=2026", 0},
                                            {"source=self_reported,year=2026", 9}}));
  // The training of 02-10 confirmed on 02-12, after 02-10 and 02-11 were closed.
  Apply({Confirmed("REG-1", "ACT-1", sup::ACTIVITY_KIND_PRACTICAL_TRAINING, 4, Noon(2, 10),
                   Noon(2, 12))});
  EXPECT_EQ(snapshot("2026-02-09")["source=confirmed_attendance,year=2026"], 0);
  EXPECT_EQ(snapshot("2026-02-10")["source=confirmed_attendance,year=2026"], 4);
  EXPECT_EQ(snapshot("2026-02-11")["source=confirmed_attendance,year=2026"], 4);
}

TEST_P(StatisticsSupportTest, Clause682IsJudgedOnTheQuartersOfThePeriod) {
  Apply({Confirmed("R1", "A1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 1, Noon(1, 20), Noon(1, 21)),
         Confirmed("R2", "A2", sup::ACTIVITY_KIND_PRACTICAL_TRAINING, 1, Noon(3, 20), Noon(3, 21)),
         Confirmed("R3", "A3", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 1, Noon(4, 20), Noon(4, 21))});
  auto verdict = [&](const v1::Period& period) {
    v1::GetConformanceRequest request;
    *request.mutable_period() = period;
    auto c = desk_->Conformance(request);
    EXPECT_TRUE(c.ok()) << c.status();
    for (const auto& v : c->clauses()) {
      if (v.clause() == "6.8.2") return v;
    }
    ADD_FAILURE() << "no 6.8.2";
    return v1::ClauseVerdict();
  };
  EXPECT_EQ(verdict(Period(1, 1, 3, 31)).verdict(), v1::VERDICT_MET);
  // Q2 had no practical training.
  v1::ClauseVerdict half = verdict(Period(1, 1, 6, 30));
  EXPECT_EQ(half.verdict(), v1::VERDICT_NOT_MET);
  EXPECT_NE(half.explanation().find("practical trainings in 2026-Q2"), std::string::npos)
      << half.explanation();
  EXPECT_EQ(verdict(Period(2, 1, 3, 31)).verdict(), v1::VERDICT_NOT_EVALUATED);
}

// Asked without a category, a per-category rate is one series per category, never one over all:
// legal answered 1 of 2 on time, finance 2 of 2.
TEST_P(StatisticsSupportTest, APerCategoryRateIsASeriesPerCategory) {
  Apply({Request("SR-1", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, true, 4,
                 Noon(3, 2)),
         Request("SR-2", sup::SERVICE_CATEGORY_LEGAL, sup::REQUEST_STATUS_ANSWERED, false, 2,
                 Noon(3, 3)),
         Request("SR-3", sup::SERVICE_CATEGORY_FINANCE, sup::REQUEST_STATUS_ANSWERED, true, 5,
                 Noon(3, 3)),
         Request("SR-4", sup::SERVICE_CATEGORY_FINANCE, sup::REQUEST_STATUS_ANSWERED, true, 5,
                 Noon(4, 8))});
  auto series = [&](const std::string& indicator) {
    v1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    *request.mutable_period() = Period(3, 1, 4, 30);
    request.set_granularity(v1::GRANULARITY_MONTH);
    auto out = desk_->TimeSeries(request);
    EXPECT_TRUE(out.ok()) << out.status();
    // category -> total, then each month's point.
    std::map<std::string, std::vector<std::string>> by_category;
    for (const auto& s : out->series()) {
      EXPECT_EQ(s.labels_size(), 1) << s.DebugString();
      auto category = s.labels().find("category");
      std::vector<std::string>& values =
          by_category[category == s.labels().end() ? "(none)" : category->second];
      values.push_back(s.total());
      for (const auto& p : s.points()) values.push_back(p.value());
    }
    return by_category;
  };
  EXPECT_EQ(series("support_requests_on_time_ratio"),
            (std::map<std::string, std::vector<std::string>>{
                {"finance", {"1.0000", "1.0000", "1.0000"}}, {"legal", {"0.5000", "0.5000", ""}}}));
  EXPECT_EQ(series("support_request_satisfaction_mean"),
            (std::map<std::string, std::vector<std::string>>{
                {"finance", {"5.0000", "5.0000", "5.0000"}}, {"legal", {"3.0000", "3.0000", ""}}}));
  // A park-wide rate stays one series.
  v1::GetTimeSeriesRequest request;
  request.set_indicator("declaration_match_rate");
  *request.mutable_period() = Period(3, 1, 4, 30);
  auto park = desk_->TimeSeries(request);
  ASSERT_TRUE(park.ok()) << park.status();
  EXPECT_EQ(park->series_size(), 1);
}

// "Regularly" is judged on the quarters that have ended: at noon on 03-31, the last day of Q1, the
// year to date holds no ended quarter (Q1's practical training is held that afternoon), and a
// period reaching into the future judges only its quarters already over.
TEST_P(StatisticsSupportTest, AQuarterIsNotJudgedBeforeItEnds) {
  Apply(
      {Confirmed("R1", "A1", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 1, Noon(1, 20), Noon(1, 21)),
       Confirmed("R3", "A3", sup::ACTIVITY_KIND_SPECIAL_TRAINING, 1, Noon(4, 20), Noon(4, 21)),
       Confirmed("R4", "A4", sup::ACTIVITY_KIND_PRACTICAL_TRAINING, 1, Noon(5, 20), Noon(5, 21))});
  auto verdict = [&](const v1::Period* period) {
    v1::GetConformanceRequest request;
    if (period != nullptr) *request.mutable_period() = *period;
    auto c = desk_->Conformance(request);
    EXPECT_TRUE(c.ok()) << c.status();
    for (const auto& v : c->clauses()) {
      if (v.clause() == "6.8.2") return v;
    }
    ADD_FAILURE() << "no 6.8.2";
    return v1::ClauseVerdict();
  };
  now_ = Noon(3, 31);
  EXPECT_EQ(verdict(nullptr).verdict(), v1::VERDICT_NOT_EVALUATED)
      << verdict(nullptr).DebugString();
  absl::Time afternoon = Noon(3, 31) + absl::Hours(3);
  Apply({Confirmed("R2", "A2", sup::ACTIVITY_KIND_PRACTICAL_TRAINING, 1, afternoon,
                   afternoon + absl::Hours(1))});
  now_ = Noon(4, 1);
  EXPECT_EQ(verdict(nullptr).verdict(), v1::VERDICT_MET) << "Q1 has ended";
  now_ = Noon(7, 10);
  v1::Period year = Period(1, 1, 12, 31);
  v1::ClauseVerdict whole_year = verdict(&year);
  EXPECT_EQ(whole_year.verdict(), v1::VERDICT_MET) << whole_year.DebugString();
  EXPECT_NE(whole_year.explanation().find("2 whole quarters"), std::string::npos)
      << whole_year.explanation();
}

PARKLINE_BACKEND_TESTS(StatisticsSupportTest);

}  // namespace
}  // namespace parkline::statistics
