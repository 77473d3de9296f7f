// The assessment on both store backends: schemes published as versions with their events and
// validated without storing anything; the inputs consumed from the real local broker (the
// statistics' DayClosed, the complaints' FeedbackRecorded made by the complaints desk itself),
// each applied once though Kafka delivers it twice; a period's result provisional until every
// day is closed, then stored once and never changed (8.3.2), whatever arrives later.
#include "quality/assessment_desk.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "calendar/calendar_data.h"
#include "calendar/working_calendar.h"
#include "complaints/complaint_deadline.h"
#include "complaints/complaint_desk.h"
#include "complaints/routing_rules.h"
#include "complaints/schema.h"
#include "events/consumer.h"
#include "events/kafka_producer.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/schema.h"
#include "runtime/metrics.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"
#include "tests/support/test_env.h"

namespace parkline::quality {
namespace {

namespace sv1 = parkline::statistics::v1;
namespace cv1 = parkline::complaints::v1;

const auth::Viewer kStaff{"staff-li", true, ""};

v1::AssessmentComponent Component(const std::string& name, v1::AssessmentInput input, int weight,
                                  const std::string& floor, const std::string& target) {
  v1::AssessmentComponent c;
  c.set_name(name);
  c.set_input(input);
  c.set_weight_bp(weight);
  c.set_direction(v1::DIRECTION_HIGHER_BETTER);
  c.set_floor(floor);
  c.set_target(target);
  return c;
}

v1::PublishAssessmentSchemeRequest Scheme(const std::string& request_id, int64_t expected,
                                          const std::string& effective_from) {
  v1::PublishAssessmentSchemeRequest r;
  r.set_request_id(request_id);
  r.set_expected_version(expected);
  r.set_effective_from(effective_from);
  r.set_approved_by("Wang Fang, general manager");
  v1::AssessmentComponent occupancy =
      Component("occupancy", v1::ASSESSMENT_INPUT_INDICATOR, 5000, "0.5", "0.9");
  occupancy.set_indicator("occupancy_ratio");
  (*occupancy.mutable_labels())["basis"] = "area";
  occupancy.set_clause("5.5.4");
  *r.add_components() = occupancy;
  *r.add_components() =
      Component("satisfaction", v1::ASSESSMENT_INPUT_FEEDBACK_SATISFACTION, 3000, "3", "5");
  *r.add_components() =
      Component("survey", v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY, 2000, "60", "90");
  return r;
}

v1::AssessmentPeriod Period(const std::string& from, const std::string& to) {
  v1::AssessmentPeriod p;
  p.set_from(from);
  p.set_to(to);
  return p;
}

class AssessmentDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<AssessmentDesk>(*db_, *writer_, nullptr, [this] { return now_; });
  }

  void TearDown() override {
    if (consumer_) consumer_->Stop();
  }

  absl::Time now_ = absl::FromUnixSeconds(1775100000);  // 2 April 2026
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<AssessmentDesk> desk_;
  std::unique_ptr<events::EventConsumer> consumer_;
};

TEST_P(AssessmentDeskTest, PublishesVersionsWithTheirEventsAndRecognisesRetries) {
  auto first = desk_->PublishScheme(Scheme("s1", 0, "2026-01-01"), kStaff);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 1);
  EXPECT_EQ(first->published_by(), "staff-li");
  auto retry = desk_->PublishScheme(Scheme("s1", 0, "2026-01-01"), kStaff);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->version(), 1);
  // The same request id with another scheme is refused; a stale expectation too.
  EXPECT_EQ(desk_->PublishScheme(Scheme("s1", 0, "2026-02-01"), kStaff).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(desk_->PublishScheme(Scheme("s2", 0, "2026-02-01"), kStaff).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto second = desk_->PublishScheme(Scheme("s2", 1, "2026-07-01"), kStaff);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);

  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);  // the retry published nothing
  v1::SchemePublished event;
  ASSERT_TRUE(event.ParseFromString(outbox[1].payload));
  EXPECT_EQ(event.scheme().version(), 2);
  EXPECT_EQ(event.scheme().components_size(), 3);
  EXPECT_EQ(outbox[1].type, "parkline.quality.v1.SchemePublished");

  v1::GetAssessmentSchemeRequest get;
  EXPECT_EQ(desk_->GetScheme(get)->version(), 2);
  get.set_version(1);
  EXPECT_EQ(desk_->GetScheme(get)->effective_from(), "2026-01-01");
  EXPECT_EQ(desk_->ListSchemes()->schemes_size(), 2);
}

TEST_P(AssessmentDeskTest, ABrokenSchemeNamesTheFieldAndTheRuleAndStoresNothing) {
  auto r = Scheme("bad", 0, "2026-01-01");
  r.mutable_components(2)->set_weight_bp(1500);
  r.mutable_components(0)->set_indicator("no_such_indicator");
  auto refused = desk_->PublishScheme(r, kStaff);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("components.weight_bp: the weights sum to 9500"),
            absl::string_view::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("components[0].indicator"), absl::string_view::npos);
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(desk_->ListSchemes()->schemes_size(), 0);
  v1::ComputeAssessmentResultRequest compute;
  *compute.mutable_period() = Period("2026-03-01", "2026-03-31");
  EXPECT_EQ(desk_->ComputeResult(compute, kStaff).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// parkline_quality_assessment_total, as the service holds it now.
double AssessmentTotalGauge() {
  for (const auto& family : runtime::Metrics().Collect()) {
    if (family.name == "parkline_quality_assessment_total" && !family.metric.empty()) {
      return family.metric.front().gauge.value;
    }
  }
  return -1;
}

// The gauge shows the result of the newest period, whichever was stored last: storing an older
// period after a newer one leaves it on the newer, as a restart (RefreshGauge) would show.
TEST_P(AssessmentDeskTest, TheTotalGaugeShowsTheNewestPeriodWhateverOrderPeriodsAreStoredIn) {
  ASSERT_TRUE(desk_->PublishScheme(Scheme("s1", 0, "2026-01-01"), kStaff).ok());
  // Occupancy 0.70 on the 1st (50.00 x 50 %: 25.00), 0.90 on the 2nd (100.00 x 50 %: 50.00).
  for (const auto& [day, occupancy] :
       {std::make_pair("2026-03-01", "0.7000"), std::make_pair("2026-03-02", "0.9000")}) {
    sv1::DayClosed d;
    d.set_day(day);
    auto* v = d.add_values();
    v->set_indicator("occupancy_ratio");
    (*v->mutable_labels())["basis"] = "area";
    v->set_value(occupancy);
    ASSERT_TRUE(writer_->Transact([&](store::Transaction& tx) { return OnDayClosed(tx, d); }).ok());
  }
  auto store = [&](const std::string& day) {
    v1::ComputeAssessmentResultRequest r;
    *r.mutable_period() = Period(day, day);
    auto result = desk_->ComputeResult(r, kStaff);
    EXPECT_TRUE(result.ok() && result->final()) << result.status();
    return result.ok() ? result->total() : "";
  };
  EXPECT_EQ(store("2026-03-02"), "50.00");
  EXPECT_EQ(AssessmentTotalGauge(), 50);
  EXPECT_EQ(store("2026-03-01"), "25.00");
  EXPECT_EQ(AssessmentTotalGauge(), 50) << "the older period stored second leaves the newer";
  ASSERT_TRUE(desk_->RefreshGauge().ok());
  EXPECT_EQ(AssessmentTotalGauge(), 50) << "and a restart agrees";
}

// The whole path on the local broker: DayClosed as statistics publishes it, FeedbackRecorded
// from the complaints desk's own outbox, each delivered twice.
class AssessmentInputsTest : public AssessmentDeskTest {
 protected:
  void SetUp() override {
    AssessmentDeskTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(complaints::ApplySchema(*db_).ok());
    prefix_ = testing::UniqueTopic("assessment") + ".";
    for (const auto& t : {prefix_ + "parkline.statistics.v1", prefix_ + "parkline.complaints.v1",
                          prefix_ + "deadletter"}) {
      ASSERT_TRUE(testing::CreateTopic(t, 2).ok());
    }
    auto producer = events::KafkaProducer::Create(testing::KafkaBrokers());
    ASSERT_TRUE(producer.ok());
    producer_ = std::move(*producer);
    events::ConsumerOptions options;
    options.brokers = testing::KafkaBrokers();
    options.group_id = absl::StrCat("test-assessment-", events::NewUuid());
    options.topic_prefix = prefix_;
    options.deadletter_topic = "deadletter";
    consumer_ = std::make_unique<events::EventConsumer>(*db_, options);
    FollowAssessmentInputs(*consumer_);
    ASSERT_TRUE(consumer_->Start().ok());
  }

  // Each envelope twice, as Kafka may deliver it.
  void Publish(const std::vector<events::Envelope>& envelopes) {
    int64_t tag = 0;
    for (const auto& e : envelopes) {
      events::Record record = events::ToRecord(e);
      record.topic = prefix_ + record.topic;  // the producers' topics, under this test's prefix
      for (int copy = 0; copy < 2; ++copy) ASSERT_TRUE(producer_->Produce(record, tag++).ok());
    }
    for (const auto& d : producer_->Flush(absl::Seconds(20))) ASSERT_TRUE(d.status.ok());
  }

  // A closed day as the statistics' day closer publishes it (day_closer.cc EventOf).
  events::Envelope DayClosed(const std::string& day, const std::string& occupancy,
                             int64_t revision = 0) {
    sv1::DayClosed d;
    d.set_day(day);
    d.set_time_zone("Asia/Shanghai");
    d.set_revision(revision);
    auto* v = d.add_values();
    v->set_indicator("occupancy_ratio");
    (*v->mutable_labels())["basis"] = "area";
    v->set_value(occupancy);
    v->set_unit("ratio");
    auto* e = d.add_values();
    e->set_indicator("enterprises_resident");
    e->set_value("12");
    e->set_unit("count");
    return events::NewEvent("parkline.statistics.v1", "/parkline/statistics", day, d, now_);
  }

  // Feedback through the complaints desk; its FeedbackRecorded from its outbox.
  events::Envelope Feedback(const std::string& request_id, int day, int centi, int respondents) {
    absl::TimeZone park;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park));
    auto calendar = calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar);
    complaints::ComplaintDeadline deadlines(*calendar, park);
    complaints::RoutingRules routing;
    complaints::ComplaintDesk complaints(*db_, *writer_, nullptr, deadlines, routing,
                                         [this] { return now_; });
    cv1::RecordFeedbackRequest r;
    r.set_request_id(request_id);
    auto* f = r.mutable_feedback();
    f->set_source(cv1::FEEDBACK_SOURCE_PARK_SURVEY);
    f->set_source_name("park satisfaction survey");
    f->mutable_survey_date()->set_year(2026);
    f->mutable_survey_date()->set_month(3);
    f->mutable_survey_date()->set_day(day);
    f->set_satisfaction_centi(centi);
    f->set_respondents(respondents);
    f->set_summary("Residents named Zhang and Li praised the customs desk");
    auto recorded = complaints.RecordFeedback(r, kStaff);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    for (auto& e : Outbox()) {
      if (e.type == "parkline.complaints.v1.FeedbackRecorded" &&
          e.subject == recorded->feedback_id())
        return e;
    }
    ADD_FAILURE() << "no FeedbackRecorded in the complaints outbox";
    return {};
  }

  // Waits until the consumer holds `days` closed days of March and `feedback` feedback rows.
  void AwaitInputs(int days, int feedback) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    int have_days = -1, have_feedback = -1;
    while (absl::Now() < deadline) {
      ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                       auto d = tx.Query(
                           "SELECT COUNT(*) FROM quality_day_snapshots WHERE day LIKE '2026-03-%'");
                       if (!d.ok()) return d.status();
                       have_days = static_cast<int>(d->front().Int(0));
                       auto f = tx.Query("SELECT COUNT(*) FROM quality_feedback");
                       if (!f.ok()) return f.status();
                       have_feedback = static_cast<int>(f->front().Int(0));
                       return absl::OkStatus();
                     })
                      .ok());
      if (have_days == days && have_feedback == feedback) return;
      absl::SleepFor(absl::Milliseconds(100));
    }
    FAIL() << "the consumer holds " << have_days << " days and " << have_feedback << " feedback";
  }

  // Waits until the consumer holds `revision` of `day` (revisions may arrive after the day).
  void AwaitRevision(const std::string& day, int64_t revision) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    int64_t have = -1;
    while (absl::Now() < deadline) {
      ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                       auto r = tx.Query(
                           "SELECT revision FROM quality_day_snapshots WHERE day = $1", {day});
                       if (!r.ok()) return r.status();
                       have = r->empty() ? -1 : r->front().Int(0);
                       return absl::OkStatus();
                     })
                      .ok());
      if (have == revision) return;
      absl::SleepFor(absl::Milliseconds(100));
    }
    FAIL() << day << " is at revision " << have << ", not " << revision;
  }

  v1::AssessmentResult Compute(const v1::AssessmentPeriod& period) {
    v1::ComputeAssessmentResultRequest r;
    *r.mutable_period() = period;
    auto result = desk_->ComputeResult(r, kStaff);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : v1::AssessmentResult();
  }

  std::string prefix_;
  std::unique_ptr<events::KafkaProducer> producer_;
};

TEST_P(AssessmentInputsTest, AClosedPeriodsResultIsStoredOnceAndNeverChanges) {
  ASSERT_TRUE(desk_->PublishScheme(Scheme("s1", 0, "2026-01-01"), kStaff).ok());
  // March's first 30 days closed; two feedback surveys (4.00 x 30, 5.00 x 10: mean 4.25).
  std::vector<events::Envelope> inputs;
  for (int d = 1; d <= 30; ++d) {
    inputs.push_back(DayClosed(absl::StrCat("2026-03-", d < 10 ? "0" : "", d), "0.6000"));
  }
  inputs.push_back(Feedback("fb-1", 10, 400, 30));
  inputs.push_back(Feedback("fb-2", 20, 500, 10));
  Publish(inputs);
  AwaitInputs(30, 2);

  // Not every day is closed: provisional, the last day's snapshot missing, nothing stored.
  v1::AssessmentPeriod march = Period("2026-03-01", "2026-03-31");
  v1::AssessmentResult provisional = Compute(march);
  EXPECT_FALSE(provisional.final());
  EXPECT_EQ(provisional.days_closed(), 30);
  EXPECT_TRUE(provisional.components(0).missing());
  // occupancy missing (0 of 50), satisfaction 62.50 x 30 % = 18.75, survey missing (0 of 20).
  EXPECT_EQ(provisional.total(), "18.75");
  v1::GetAssessmentResultRequest get;
  *get.mutable_period() = march;
  EXPECT_EQ(desk_->GetResult(get).status().code(), absl::StatusCode::kNotFound);

  // The 31st closes (with a backfilled revision arriving too): the result is final and stored.
  Publish({DayClosed("2026-03-31", "0.7000"), DayClosed("2026-03-31", "0.8000", 1)});
  AwaitInputs(31, 2);
  AwaitRevision("2026-03-31", 1);
  v1::AssessmentResult stored;
  stored = Compute(march);
  ASSERT_TRUE(stored.final());
  // occupancy 0.80 (the latest revision): 75.00 x 50 % = 37.5; + 18.75; survey still missing.
  EXPECT_EQ(stored.components(0).input(), "0.8000");
  EXPECT_EQ(stored.total(), "56.25");
  ASSERT_EQ(stored.missing_size(), 1);
  EXPECT_EQ(stored.missing(0), "survey");
  EXPECT_EQ(stored.scheme_version(), 1);
  int stored_events = 0;
  for (const auto& e : Outbox()) {
    stored_events += e.type == "parkline.quality.v1.AssessmentResultStored";
  }
  EXPECT_EQ(stored_events, 1);

  // Later a revision, more feedback, a survey and a new scheme in force: the stored result of
  // March answers unchanged, to Compute and to Get, and no second event is published.
  v1::RecordSurveyResultRequest survey;
  survey.set_request_id("survey-q1");
  survey.set_surveyor("Institute of Trade Surveys");
  survey.set_period_from("2026-01-01");
  survey.set_period_to("2026-03-31");
  survey.set_sample_size(100);
  survey.set_score("90");
  survey.set_evidence_uri("https://archive.example/q1.pdf");
  survey.set_evidence_sha256(std::string(64, '0'));
  ASSERT_TRUE(desk_->RecordSurvey(survey, kStaff).ok());
  v1::PublishAssessmentSchemeRequest next = Scheme("s2", 1, "2026-01-01");
  next.mutable_components(0)->set_target("0.8");
  ASSERT_TRUE(desk_->PublishScheme(next, kStaff).ok());
  Publish({DayClosed("2026-03-31", "0.9500", 2), Feedback("fb-3", 25, 100, 500)});
  AwaitInputs(31, 3);
  AwaitRevision("2026-03-31", 2);
  now_ += absl::Hours(24);
  v1::AssessmentResult again = Compute(march);
  EXPECT_EQ(again.SerializeAsString(), stored.SerializeAsString());
  auto got = desk_->GetResult(get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->SerializeAsString(), stored.SerializeAsString());
  stored_events = 0;
  for (const auto& e : Outbox()) {
    stored_events += e.type == "parkline.quality.v1.AssessmentResultStored";
  }
  EXPECT_EQ(stored_events, 1);
  // A period not stored before sees what is held now, under the scheme now in force.
  v1::AssessmentResult late_march = Compute(Period("2026-03-15", "2026-03-31"));
  EXPECT_EQ(late_march.scheme_version(), 2);
  EXPECT_TRUE(late_march.missing().empty());
  EXPECT_EQ(desk_->ListResults()->results_size(), 2);
}

PARKLINE_BACKEND_TESTS(AssessmentDeskTest);
// A counted component from the totals the statistics' DayClosed carries: complaints resolved on
// time per 100 resolved over April's first three days, read from the stored days.
TEST_P(AssessmentInputsTest, ACountedComponentSumsTheTotalsOfThePeriodsClosedDays) {
  v1::PublishAssessmentSchemeRequest scheme = Scheme("s-counted", 0, "2026-01-01");
  scheme.clear_components();
  v1::AssessmentComponent on_time =
      Component("complaints_on_time", v1::ASSESSMENT_INPUT_COUNTED, 10000, "80", "100");
  on_time.set_indicator("complaints_resolved_on_time");
  on_time.set_per_indicator("complaints_resolved");
  on_time.set_clause("7.3");
  *scheme.add_components() = on_time;
  auto published = desk_->PublishScheme(scheme, kStaff);
  ASSERT_TRUE(published.ok()) << published.status();

  auto day = [this](const std::string& date, const std::string& resolved,
                    const std::string& in_time) {
    events::Envelope e = DayClosed(date, "0.6000");
    sv1::DayClosed d;
    EXPECT_TRUE(d.ParseFromString(e.payload));
    d.set_has_totals(true);
    for (const auto& [indicator, value] :
         {std::make_pair("complaints_resolved", resolved),
          std::make_pair("complaints_resolved_on_time", in_time)}) {
      if (value.empty()) continue;
      auto* t = d.add_totals();
      t->set_indicator(indicator);
      (*t->mutable_labels())["category"] = "property";
      t->set_value(value);
      t->set_unit("count");
    }
    return events::NewEvent("parkline.statistics.v1", "/parkline/statistics", date, d, now_);
  };
  // 9 of 10 resolved on time: 90 %, half way from 80 to 100.
  Publish({day("2026-04-01", "4", "4"), day("2026-04-02", "", ""), day("2026-04-03", "6", "5")});
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  v1::AssessmentResult result;
  while (absl::Now() < deadline) {
    result = Compute(Period("2026-04-01", "2026-04-03"));
    if (result.final()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(result.final()) << result.days_closed() << " of 3 days closed";
  ASSERT_EQ(result.components_size(), 1);
  EXPECT_FALSE(result.components(0).missing()) << result.components(0).missing_reason();
  EXPECT_EQ(result.components(0).input(), "90.0000");
  EXPECT_EQ(result.total(), "50.00");
}

PARKLINE_BACKEND_TESTS(AssessmentInputsTest);

}  // namespace
}  // namespace parkline::quality
