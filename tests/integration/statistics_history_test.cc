// Every indicator has history (issue #20): park days closed on a clock the test moves across
// park midnights, with a restart in the middle, on both backends; the days missed while stopped
// back-filled from the projections' history; each day closed once (and published once) whatever
// restarts and replicas do; past values served by GetTimeSeries, GetEnterpriseFigures,
// GetConformance and ExportPeriod; and a rebuild into an empty store giving the same archive
// byte for byte, snapshots included. The quality service's records (issue #22) count once per
// fact however often their events come, and register documents in force have their history.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/quality/v1/events.pb.h"
#include "parkline/statistics/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "statistics/aggregator.h"
#include "statistics/day_closer.h"
#include "statistics/history.h"
#include "statistics/indicators.h"
#include "statistics/schema.h"
#include "statistics/statistics_desk.h"
#include "statistics/statistics_repository.h"
#include "tests/support/backend_test.h"
#include "tests/support/test_env.h"

namespace parkline::statistics {
namespace {

namespace ent = parkline::enterprises::v1;
namespace sup = parkline::support::v1;
namespace qlt = parkline::quality::v1;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

// 2026-03-<day> hh:mm:ss in Shanghai.
absl::Time At(int day, int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 3, day, hour, minute, second), Shanghai());
}

v1::Period Days(int from, int to) {
  v1::Period p;
  for (auto [date, d] : {std::make_pair(p.mutable_from(), from), {p.mutable_to(), to}}) {
    date->set_year(2026);
    date->set_month(3);
    date->set_day(d);
  }
  return p;
}

events::Envelope Unit(const std::string& id, absl::Time when) {
  ent::UnitDefined m;
  m.mutable_unit()->set_unit_id(id);
  m.mutable_unit()->set_leasable_area_m2("100.00");
  return events::NewEvent("parkline.enterprises.v1", "/t", id, m, when);
}

ent::Enterprise Enterprise(const std::string& uscc, const std::string& unit) {
  ent::Enterprise e;
  e.set_uscc(uscc);
  e.set_customs_code("C-" + uscc);
  e.set_name("Name " + uscc);
  e.add_roles(ent::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
  e.add_unit_ids(unit);
  return e;
}

events::Envelope Admitted(const std::string& uscc, const std::string& unit, absl::Time when) {
  ent::EnterpriseAdmitted m;
  *m.mutable_enterprise() = Enterprise(uscc, unit);
  return events::NewEvent("parkline.enterprises.v1", "/t", uscc, m, when);
}

events::Envelope Departed(const std::string& uscc, const std::string& unit, absl::Time when) {
  ent::EnterpriseDeparted m;
  *m.mutable_enterprise() = Enterprise(uscc, unit);
  m.add_freed_unit_ids(unit);
  return events::NewEvent("parkline.enterprises.v1", "/t", uscc, m, when);
}

events::Envelope Trademark(const std::string& uscc, const std::string& no, absl::Time when) {
  ent::IpAssetRecorded m;
  m.mutable_asset()->set_uscc(uscc);
  m.mutable_asset()->set_kind(ent::IP_ASSET_KIND_TRADEMARK);
  m.mutable_asset()->set_registration_no(no);
  return events::NewEvent("parkline.enterprises.v1", "/t", uscc, m, when);
}

// The park's events of 03-01 .. 03-03, in the order the topics hold them.
std::vector<events::Envelope> ParkEvents() {
  return {Unit("U-1", At(1, 9, 0)), Unit("U-2", At(1, 9, 1)), Admitted("A", "U-1", At(1, 10, 0)),
          Trademark("A", "TM-1", At(1, 11, 0)), Admitted("B", "U-2", At(2, 10, 0)),
          // Seconds before and after the park's midnight (16:00 UTC): two different days.
          Departed("A", "U-1", At(2, 23, 59, 30)), Unit("U-3", At(3, 0, 0, 30))};
}

class StatisticsHistoryTest : public testing::BackendTest<ApplySchema> {
 protected:
  void Apply(store::Database& db, const std::vector<events::Envelope>& batch) {
    Aggregator aggregator(Shanghai());
    std::vector<events::EventView> views;
    for (const events::Envelope& e : batch) views.push_back(events::ViewOf(e));
    ASSERT_TRUE(
        db.Transact([&](store::Transaction& tx) { return aggregator.Apply(tx, views); }).ok());
  }

  std::unique_ptr<DayCloser> Closer(store::Database& db) {
    DayCloser::Options options;
    options.zone = Shanghai();
    options.grace = absl::Minutes(10);
    return std::make_unique<DayCloser>(db, options, [this] { return now_; });
  }

  int Close(DayCloser& closer) {
    auto closed = closer.CloseDue();
    EXPECT_TRUE(closed.ok()) << closed.status();
    return closed.ok() ? *closed : -1;
  }

  // One point per day of `indicator` {labels} over 03-01..03-05 ("" where no day was closed).
  std::vector<std::string> Daily(StatisticsDesk& desk, const std::string& indicator,
                                 const std::map<std::string, std::string>& labels) {
    v1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    *request.mutable_period() = Days(1, 5);
    for (const auto& [k, v] : labels) (*request.mutable_label_filter())[k] = v;
    auto series = desk.TimeSeries(request);
    EXPECT_TRUE(series.ok()) << series.status();
    std::vector<std::string> out;
    if (!series.ok() || series->series_size() != 1) return out;
    for (const auto& p : series->series(0).points()) out.push_back(p.value());
    return out;
  }

  std::string Archive(StatisticsDesk& desk) {
    v1::ExportPeriodRequest request;
    *request.mutable_period() = Days(1, 5);
    auto csv = desk.Export(request);
    EXPECT_TRUE(csv.ok()) << csv.status();
    return csv.ok() ? csv->content() : "";
  }

  // Each closed day's latest revision, as published on parkline.statistics.v1.
  std::map<std::string, int64_t> Revisions() {
    std::map<std::string, int64_t> revisions;
    for (const events::Envelope& e : Outbox()) {
      v1::DayClosed event;
      EXPECT_TRUE(event.ParseFromString(e.payload));
      revisions[event.day()] = std::max(revisions[event.day()], event.revision());
    }
    return revisions;
  }

  absl::Time now_ = At(1, 13, 0);
};

TEST_P(StatisticsHistoryTest, DaysCloseAcrossMidnightOnceAndMissedDaysAreBackfilledAfterARestart) {
  std::vector<events::Envelope> all = ParkEvents();
  Apply(*db_, {all.begin(), all.begin() + 4});  // 03-01
  auto closer = Closer(*db_);
  EXPECT_EQ(Close(*closer), 0) << "03-01 has not ended";
  now_ = At(2, 0, 9, 59);
  EXPECT_EQ(Close(*closer), 0) << "within the grace after midnight";
  now_ = At(2, 0, 10, 0);
  EXPECT_EQ(Close(*closer), 1) << "03-01 closes once the grace has passed";
  EXPECT_EQ(Close(*closer), 0) << "and only once";

  Apply(*db_, {all.begin() + 4, all.end()});  // 03-02 and the first seconds of 03-03
  now_ = At(2, 23, 59, 50);
  EXPECT_EQ(Close(*closer), 0);

  // Restart: the process stops before 03-02 ends and comes back on 03-05, three days later.
  closer.reset();
  db_.reset();
  auto reopened = testing::OpenServiceDatabase(database_.url(), ApplySchema);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  db_ = std::move(*reopened);
  now_ = At(5, 9, 0);
  closer = Closer(*db_);
  auto replica = Closer(*db_);
  EXPECT_EQ(Close(*closer), 3) << "03-02, 03-03 and 03-04 back-filled";
  EXPECT_EQ(Close(*closer), 0);
  EXPECT_EQ(Close(*replica), 0) << "a replica finds every day closed";

  StatisticsDesk desk(*db_, Shanghai(), [this] { return now_; });
  // 03-01: A in U-1 of two units. 03-02: A left at 23:59:30, B came. 03-03: a third unit at
  // 00:00:30. 03-04: nothing changed. 03-05 has not ended.
  EXPECT_EQ(Daily(desk, "occupancy_ratio", {{"basis", "units"}}),
            (std::vector<std::string>{"0.5000", "0.5000", "0.3333", "0.3333", ""}));
  EXPECT_EQ(Daily(desk, "units", {{"state", "vacant"}}),
            (std::vector<std::string>{"1", "1", "2", "2", ""}));
  EXPECT_EQ(Daily(desk, "enterprises_resident", {}),
            (std::vector<std::string>{"1", "1", "1", "1", ""}));
  // A's trademark counts while A is resident: on 03-01 only.
  EXPECT_EQ(Daily(desk, "ip_assets", {{"kind", "trademark"}}),
            (std::vector<std::string>{"1", "", "", "", ""}));
  v1::GetTimeSeriesRequest monthly;
  monthly.set_indicator("units");
  *monthly.mutable_period() = Days(1, 31);
  monthly.set_granularity(v1::GRANULARITY_MONTH);
  (*monthly.mutable_label_filter())["state"] = "occupied";
  auto month = desk.TimeSeries(monthly);
  ASSERT_TRUE(month.ok()) << month.status();
  ASSERT_EQ(month->series_size(), 1);
  EXPECT_EQ(month->series(0).total(), "1") << "a value at a moment: its last closed day's";
  // The trademark is in no snapshot after 03-01: at the end of the period's last closed day
  // (03-04) there is none, so the total is 0, not the last value seen.
  v1::GetTimeSeriesRequest trademarks;
  trademarks.set_indicator("ip_assets");
  (*trademarks.mutable_label_filter())["kind"] = "trademark";
  for (auto [period, granularity, total] :
       {std::make_tuple(Days(1, 5), v1::GRANULARITY_DAY, "0"),
        std::make_tuple(Days(1, 31), v1::GRANULARITY_MONTH, "0"),
        std::make_tuple(Days(1, 1), v1::GRANULARITY_DAY, "1")}) {
    *trademarks.mutable_period() = period;
    trademarks.set_granularity(granularity);
    auto series = desk.TimeSeries(trademarks);
    ASSERT_TRUE(series.ok()) << series.status();
    ASSERT_EQ(series->series_size(), 1);
    EXPECT_EQ(series->series(0).total(), total) << series->DebugString();
  }

  // Published once per day, in order, on parkline.statistics.v1.
  std::vector<std::string> published;
  for (const events::Envelope& e : Outbox()) {
    ASSERT_EQ(e.topic, "parkline.statistics.v1");
    EXPECT_EQ(e.type, "parkline.statistics.v1.DayClosed");
    v1::DayClosed event;
    ASSERT_TRUE(event.ParseFromString(e.payload));
    EXPECT_EQ(event.day(), e.subject);
    EXPECT_EQ(event.backfilled(), event.day() != "2026-03-01") << event.day();
    published.push_back(event.day());
  }
  EXPECT_EQ(published,
            (std::vector<std::string>{"2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"}));

  // A, as it stood at the end of 03-01, and now.
  v1::GetEnterpriseFiguresRequest figures;
  figures.set_uscc("A");
  *figures.mutable_period() = Days(1, 1);
  auto then = desk.EnterpriseFigures(figures);
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_TRUE(then->resident());
  figures.clear_period();
  auto today = desk.EnterpriseFigures(figures);
  ASSERT_TRUE(today.ok()) << today.status();
  EXPECT_FALSE(today->resident());

  // The verdicts of 03-01..03-04: three units cannot host 15, one resident, four of four days.
  v1::GetConformanceRequest conformance;
  *conformance.mutable_period() = Days(1, 4);
  auto verdicts = desk.Conformance(conformance);
  ASSERT_TRUE(verdicts.ok()) << verdicts.status();
  std::map<std::string, const v1::ClauseVerdict*> by_clause;
  for (const auto& v : verdicts->clauses()) by_clause[v.clause()] = &v;
  const v1::ClauseVerdict& c531 = *by_clause.at("5.3.1");
  EXPECT_EQ(c531.verdict(), v1::VERDICT_NOT_MET);
  ASSERT_EQ(c531.criteria_size(), 2);
  EXPECT_EQ(c531.criteria(0).value(), "3");
  EXPECT_EQ(c531.criteria(0).threshold(), ">= 15");
  EXPECT_EQ(c531.criteria(0).period().to().day(), 4);
  EXPECT_EQ(c531.criteria(1).value(), "1");
  const v1::ClauseVerdict& c554 = *by_clause.at("5.5.4");
  bool snapshots_complete = false;
  for (const auto& c : c554.criteria()) {
    if (c.value() == "4 of 4") snapshots_complete = c.met();
  }
  EXPECT_TRUE(snapshots_complete) << c554.DebugString();
  // No trade was counted: 5.5.4 is not met however complete the snapshots.
  EXPECT_EQ(c554.verdict(), v1::VERDICT_NOT_MET);
  // A period whose end was never closed (03-05 has not ended; 02-28 predates the history).
  *conformance.mutable_period() = Days(1, 1);
  conformance.mutable_period()->mutable_from()->set_month(2);
  conformance.mutable_period()->mutable_from()->set_day(1);
  conformance.mutable_period()->mutable_to()->set_month(2);
  conformance.mutable_period()->mutable_to()->set_day(28);
  auto before = desk.Conformance(conformance);
  ASSERT_TRUE(before.ok()) << before.status();
  for (const auto& v : before->clauses()) {
    if (v.clause() != "7.3") {
      EXPECT_EQ(v.verdict(), v1::VERDICT_NOT_EVALUATED) << v.clause();
    }
  }

  // The archive holds the snapshots beside the counters.
  EXPECT_NE(Archive(desk).find("2026-03-03,units,state=vacant,2,count,5.5.4\n"), std::string::npos)
      << Archive(desk);
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

// The incubator's days (6.9.1): two admitted into 2026-H1 on 03-01, one of them with a milestone
// and graduated on 03-02 (published late, on 03-03, yet counted on its own day), the other left
// on 03-03; one admitted into 2026-H2 on 03-03. The number in the incubator per cohort is in each
// closed day's snapshot, and the conformance of 03-01..03-04 finds an incubation system.
TEST_P(StatisticsHistoryTest, TheIncubatorsCohortsHaveADailyHistoryAndA691Verdict) {
  auto admitted = [](const std::string& id, const std::string& cohort, absl::Time when) {
    sup::IncubateeAdmitted m;
    m.set_incubatee_id(id);
    m.set_cohort(cohort);
    *m.mutable_admitted_time() = Ts(when);
    return events::NewEvent("parkline.support.v1", "/t", id, m, when);
  };
  sup::MilestoneRecorded launched;
  launched.set_incubatee_id("INC-1");
  launched.set_cohort("2026-H1");
  launched.set_kind(sup::MILESTONE_KIND_FIRST_EXPORT);
  *launched.mutable_recorded_time() = Ts(At(2, 9, 0));
  sup::IncubateeGraduated graduated;
  graduated.set_incubatee_id("INC-1");
  graduated.set_cohort("2026-H1");
  *graduated.mutable_graduated_time() = Ts(At(2, 15, 0));
  sup::IncubateeLeft left;
  left.set_incubatee_id("INC-2");
  left.set_cohort("2026-H1");
  *left.mutable_left_time() = Ts(At(3, 11, 0));
  Apply(*db_,
        {admitted("INC-1", "2026-H1", At(1, 10, 0)), admitted("INC-2", "2026-H1", At(1, 10, 5)),
         events::NewEvent("parkline.support.v1", "/t", "INC-1", launched, At(2, 9, 0))});
  Apply(*db_, {events::NewEvent("parkline.support.v1", "/t", "INC-1", graduated, At(3, 8, 0)),
               events::NewEvent("parkline.support.v1", "/t", "INC-2", left, At(3, 11, 0)),
               admitted("INC-3", "2026-H2", At(3, 12, 0))});
  now_ = At(5, 9, 0);
  auto closer = Closer(*db_);
  EXPECT_EQ(Close(*closer), 4);

  StatisticsDesk desk(*db_, Shanghai(), [this] { return now_; });
  EXPECT_EQ(Daily(desk, "incubation_active", {{"cohort", "2026-H1"}}),
            (std::vector<std::string>{"2", "1", "0", "0", ""}));
  EXPECT_EQ(Daily(desk, "incubation_active", {{"cohort", "2026-H2"}}),
            (std::vector<std::string>{"", "", "1", "1", ""}));
  EXPECT_EQ(Daily(desk, "incubation_graduated", {}),
            (std::vector<std::string>{"0", "1", "0", "0", "0"}));
  EXPECT_EQ(Daily(desk, "incubation_milestones", {{"kind", "first_export"}}),
            (std::vector<std::string>{"0", "1", "0", "0", "0"}));

  v1::GetConformanceRequest conformance;
  *conformance.mutable_period() = Days(1, 4);
  auto verdicts = desk.Conformance(conformance);
  ASSERT_TRUE(verdicts.ok()) << verdicts.status();
  const v1::ClauseVerdict* c691 = nullptr;
  for (const auto& v : verdicts->clauses()) {
    if (v.clause() == "6.9.1") c691 = &v;
  }
  ASSERT_NE(c691, nullptr);
  EXPECT_EQ(c691->verdict(), v1::VERDICT_MET) << c691->DebugString();
  EXPECT_EQ(c691->criteria(0).value(), "3");
  EXPECT_EQ(c691->criteria(1).value(), "2");  // one in the incubator at the end, one graduated
  // A period after the intake, with nobody admitted in it: not met.
  *conformance.mutable_period() = Days(4, 4);
  auto later = desk.Conformance(conformance);
  ASSERT_TRUE(later.ok()) << later.status();
  for (const auto& v : later->clauses()) {
    if (v.clause() == "6.9.1") {
      EXPECT_EQ(v.verdict(), v1::VERDICT_NOT_MET) << v.DebugString();
    }
  }
}

// incubation_active is summed from the incubator's counters up to each day: an admission of 03-01
// read after 03-01..03-03 were closed changes the snapshots of all three, each published again,
// and a rebuild into an empty store gives the same archive.
TEST_P(StatisticsHistoryTest, ALateAdmissionRevisesTheIncubatorOfTheClosedDaysAfterIt) {
  auto admitted = [](const std::string& id, absl::Time when, absl::Time published) {
    sup::IncubateeAdmitted m;
    m.set_incubatee_id(id);
    m.set_cohort("2026-H1");
    *m.mutable_admitted_time() = Ts(when);
    return events::NewEvent("parkline.support.v1", "/t", id, m, published);
  };
  std::vector<events::Envelope> all = {admitted("INC-1", At(1, 10, 0), At(1, 10, 0))};
  Apply(*db_, all);
  now_ = At(4, 9, 0);
  EXPECT_EQ(Close(*Closer(*db_)), 3);
  StatisticsDesk desk(*db_, Shanghai(), [this] { return now_; });
  EXPECT_EQ(Daily(desk, "incubation_active", {{"cohort", "2026-H1"}}),
            (std::vector<std::string>{"1", "1", "1", "", ""}));

  // INC-2 was admitted on 03-01; its event is read on 03-04.
  all.push_back(admitted("INC-2", At(1, 11, 0), At(4, 8, 0)));
  Apply(*db_, {all.back()});
  EXPECT_EQ(Daily(desk, "incubation_active", {{"cohort", "2026-H1"}}),
            (std::vector<std::string>{"2", "2", "2", "", ""}));
  EXPECT_EQ(Revisions(), (std::map<std::string, int64_t>{
                             {"2026-03-01", 1}, {"2026-03-02", 1}, {"2026-03-03", 1}}));

  testing::TestDatabase empty{GetParam()};
  auto rebuilt_db = testing::OpenServiceDatabase(empty.url(), ApplySchema);
  ASSERT_TRUE(rebuilt_db.ok()) << rebuilt_db.status();
  Apply(**rebuilt_db, all);
  EXPECT_EQ(Close(*Closer(**rebuilt_db)), 3);
  StatisticsDesk rebuilt(**rebuilt_db, Shanghai(), [this] { return now_; });
  EXPECT_EQ(Archive(desk), Archive(rebuilt));
}

// The counters a snapshot sums up to its day are exactly those IsSummedIntoSnapshots names, for
// which the aggregator revises the closed days after a late change's own: a row of any other
// counter, whatever its labels, changes no snapshot.
TEST_P(StatisticsHistoryTest, TheCountersTheSnapshotsSumAreTheOnesThatReviseTheDaysAfter) {
  std::vector<std::string> counters;
  for (const Indicator& i : Catalog()) {
    if (i.kind == IndicatorKind::kCounter) counters.push_back(i.name);
  }
  for (const Histogram& h : Histograms()) {
    for (const char* part : {"_bucket", "_sum", "_count"}) counters.push_back(h.name + part);
  }
  // Every label a snapshot's figure might be keyed on.
  const std::string labels =
      "basis=x,category=x,cohort=x,currency=x,deadline=x,direction=import,kind=x,le=x,mode=9610,"
      "partner=x,reason=x,role=x,source=x,state=x,status=x,year=2026";
  auto snapshot = [](store::Transaction& tx) -> absl::StatusOr<std::vector<std::string>> {
    auto at_end = LoadSnapshotAt(tx, "2026-03-02");
    if (!at_end.ok()) return at_end.status();
    std::vector<std::string> out;
    for (const Figure& f : SnapshotFigures(*at_end)) {
      out.push_back(absl::StrCat(f.indicator, "{", LabelsText(f.labels), "} ", f.scaled));
    }
    return out;
  };
  std::set<std::string> summed, listed;
  for (const std::string& counter : counters) {
    if (IsSummedIntoSnapshots(counter)) listed.insert(counter);
    absl::Status s = db_->Transact([&](store::Transaction& tx) -> absl::Status {
      auto before = snapshot(tx);
      if (!before.ok()) return before.status();
      auto added = tx.Execute(
          "INSERT INTO stat_counter (indicator, labels, day, value) VALUES ($1, $2, '2026-03-01', "
          "1)",
          {counter, labels});
      if (!added.ok()) return added.status();
      auto after = snapshot(tx);
      if (!after.ok()) return after.status();
      if (*after != *before) summed.insert(counter);
      return tx.Execute("DELETE FROM stat_counter WHERE indicator = $1", {counter}).status();
    });
    ASSERT_TRUE(s.ok()) << counter << ": " << s;
  }
  EXPECT_EQ(summed, listed);
  EXPECT_EQ(listed,
            (std::set<std::string>{"incubation_admitted", "incubation_graduated", "incubation_left",
                                   "quality_documents_registered", "quality_documents_withdrawn",
                                   "support_staff_trained"}));
}

// A stopping service does not start closing days (on_stopping calls Stop before the ticker ends):
// the missed days are left for the next start, which closes them.
TEST_P(StatisticsHistoryTest, AStoppedCloserClosesNothingAndTheNextStartClosesTheMissedDays) {
  std::vector<events::Envelope> all = ParkEvents();
  Apply(*db_, all);
  now_ = At(5, 9, 0);
  auto stopping = Closer(*db_);
  stopping->Stop();
  EXPECT_EQ(Close(*stopping), 0) << "a stopped closer closes nothing";
  stopping.reset();
  EXPECT_EQ(Close(*Closer(*db_)), 4) << "03-01 to 03-04, on the next start";
}

TEST_P(StatisticsHistoryTest, ARebuildFromAnEmptyStoreGivesTheSameArchiveSnapshotsIncluded) {
  // The live store: events applied as they came, days closed at each midnight.
  std::vector<events::Envelope> all = ParkEvents();
  auto closer = Closer(*db_);
  Apply(*db_, {all.begin(), all.begin() + 4});
  now_ = At(2, 0, 15);
  EXPECT_EQ(Close(*closer), 1);
  Apply(*db_, {all.begin() + 4, all.begin() + 6});
  Apply(*db_, {all.begin() + 6, all.end()});
  now_ = At(3, 0, 15);
  EXPECT_EQ(Close(*closer), 1);
  now_ = At(5, 9, 0);
  EXPECT_EQ(Close(*closer), 2);
  // A late event: a trademark of B's recorded on 03-02, read after every day was closed. It
  // changes 03-02..03-04 (B stayed), each published again as a revision.
  events::Envelope late = Trademark("B", "TM-2", At(2, 15, 0));
  Apply(*db_, {late});
  all.push_back(late);
  EXPECT_EQ(Revisions(),
            (std::map<std::string, int64_t>{
                {"2026-03-01", 0}, {"2026-03-02", 1}, {"2026-03-03", 1}, {"2026-03-04", 1}}));
  StatisticsDesk live(*db_, Shanghai(), [this] { return now_; });

  // The rebuild: an empty store reads every event again in one batch, later, and back-fills.
  testing::TestDatabase empty{GetParam()};
  auto rebuilt_db = testing::OpenServiceDatabase(empty.url(), ApplySchema);
  ASSERT_TRUE(rebuilt_db.ok()) << rebuilt_db.status();
  Apply(**rebuilt_db, all);
  auto rebuilder = Closer(**rebuilt_db);
  EXPECT_EQ(Close(*rebuilder), 4);
  StatisticsDesk rebuilt(**rebuilt_db, Shanghai(), [this] { return now_; });

  std::string a = Archive(live), b = Archive(rebuilt);
  EXPECT_NE(a.find(",occupancy_ratio,"), std::string::npos) << "snapshots in the archive";
  EXPECT_NE(a.find("2026-03-02,ip_assets,kind=trademark,1,"), std::string::npos) << a;
  EXPECT_EQ(a, b);
}

events::Envelope Published(const std::string& id, int version, qlt::DocumentKind kind,
                           absl::Time when) {
  qlt::DocumentPublished m;
  m.set_document_id(id);
  m.set_version(version);
  m.set_kind(kind);
  return events::NewEvent("parkline.quality.v1", "/t", id, m, when);
}

events::Envelope Withdrawn(const std::string& id, int version, qlt::DocumentKind kind,
                           absl::Time when) {
  qlt::DocumentWithdrawn m;
  m.set_document_id(id);
  m.set_version(version);
  m.set_kind(kind);
  return events::NewEvent("parkline.quality.v1", "/t", id, m, when);
}

events::Envelope Closed(const std::string& action, bool on_time, absl::Time when) {
  qlt::CorrectiveActionClosed m;
  m.set_action_id(action);
  m.set_inspection_id("INS-1");
  m.set_closed_on_time(on_time);
  return events::NewEvent("parkline.quality.v1", "/t", "INS-1", m, when);
}

TEST_P(StatisticsHistoryTest, QualityRecordsCountOncePerFactAndDocumentsInForceHaveHistory) {
  qlt::TrainingRecorded drill;
  drill.set_session_id("TRN-1");
  drill.set_kind(qlt::TRAINING_KIND_EMERGENCY_DRILL);
  drill.set_held_date("2026-03-01");
  drill.set_attendee_count(40);
  qlt::InspectionRecorded inspection;
  inspection.set_inspection_id("INS-1");
  inspection.set_kind(qlt::INSPECTION_KIND_INTERNAL_PERIODIC);
  inspection.set_inspected_date("2026-03-01");
  inspection.add_actions()->set_action_id("INS-1-A1");
  inspection.add_actions()->set_action_id("INS-1-A2");
  qlt::CorrectiveActionOverdue overdue;
  overdue.set_action_id("INS-1-A1");
  events::Envelope plan = Published("DOC-1", 1, qlt::DOCUMENT_KIND_FIRE_SAFETY_PLAN, At(1, 10, 0));
  events::Envelope trained = events::NewEvent("parkline.quality.v1", "/t", "TRN-1", drill,
                                              At(2, 9, 0));  // recorded the day after
  events::Envelope inspected =
      events::NewEvent("parkline.quality.v1", "/t", "INS-1", inspection, At(1, 16, 0));
  events::Envelope on_time = Closed("INS-1-A2", true, At(2, 11, 0));
  // Each fact arrives twice under two event ids (a producer's retry after a lost ack): the
  // consumer's inbox cannot tell, the facts' keys do.
  std::vector<events::Envelope> replayed = {
      Published("DOC-1", 1, qlt::DOCUMENT_KIND_FIRE_SAFETY_PLAN, At(1, 10, 0)),
      events::NewEvent("parkline.quality.v1", "/t", "TRN-1", drill, At(2, 9, 0)),
      events::NewEvent("parkline.quality.v1", "/t", "INS-1", inspection, At(1, 16, 0)),
      Closed("INS-1-A2", true, At(2, 11, 0))};
  Apply(*db_, {plan, inspected, trained, on_time});
  Apply(*db_, replayed);
  Apply(*db_, {Published("DOC-1", 2, qlt::DOCUMENT_KIND_FIRE_SAFETY_PLAN, At(2, 10, 0)),
               Published("DOC-2", 1, qlt::DOCUMENT_KIND_SERVICE_GUIDE, At(2, 10, 0)),
               events::NewEvent("parkline.quality.v1", "/t", "INS-1", overdue, At(3, 9, 0)),
               Closed("INS-1-A1", false, At(3, 15, 0))});
  now_ = At(5, 9, 0);
  EXPECT_EQ(Close(*Closer(*db_)), 4);

  StatisticsDesk desk(*db_, Shanghai(), [this] { return now_; });
  EXPECT_EQ(Daily(desk, "quality_documents_in_force", {{"kind", "fire_safety_plan"}}),
            (std::vector<std::string>{"1", "1", "1", "1", ""}))
      << "its second version replaces it";
  EXPECT_EQ(Daily(desk, "quality_documents_in_force", {{"kind", "service_guide"}}),
            (std::vector<std::string>{"", "1", "1", "1", ""}));
  EXPECT_EQ(Daily(desk, "quality_trainings", {{"kind", "emergency_drill"}}),
            (std::vector<std::string>{"1", "0", "0", "0", "0"}))
      << "on the day held, once";
  EXPECT_EQ(Daily(desk, "quality_training_attendees", {{"kind", "emergency_drill"}}),
            (std::vector<std::string>{"40", "0", "0", "0", "0"}));
  EXPECT_EQ(Daily(desk, "quality_inspections", {{"kind", "internal_periodic"}}),
            (std::vector<std::string>{"1", "0", "0", "0", "0"}));
  EXPECT_EQ(Daily(desk, "quality_actions_opened", {}),
            (std::vector<std::string>{"2", "0", "0", "0", "0"}));
  EXPECT_EQ(Daily(desk, "quality_actions_overdue", {}),
            (std::vector<std::string>{"0", "0", "1", "0", "0"}));
  EXPECT_EQ(Daily(desk, "quality_actions_closed", {}),
            (std::vector<std::string>{"0", "1", "1", "0", "0"}));
  EXPECT_EQ(Daily(desk, "quality_actions_closed_on_time", {}),
            (std::vector<std::string>{"0", "1", "0", "0", "0"}));

  // A rule published on 03-02, read after every day was closed: 03-02..03-04 are revised.
  Apply(*db_, {Published("DOC-3", 1, qlt::DOCUMENT_KIND_MANAGEMENT_RULE, At(2, 15, 0))});
  EXPECT_EQ(Daily(desk, "quality_documents_in_force", {{"kind", "management_rule"}}),
            (std::vector<std::string>{"", "1", "1", "1", ""}));
  EXPECT_EQ(Revisions(),
            (std::map<std::string, int64_t>{
                {"2026-03-01", 0}, {"2026-03-02", 1}, {"2026-03-03", 1}, {"2026-03-04", 1}}));
  EXPECT_NE(Archive(desk).find("2026-03-04,quality_documents_in_force,kind=management_rule,1,"),
            std::string::npos)
      << Archive(desk);

  // The service guide's withdrawal, recorded on 03-03 and read (twice) after every day was
  // closed: 03-03 and 03-04 are revised and read 0, not nothing; 03-02 keeps the guide.
  Apply(*db_, {Withdrawn("DOC-2", 2, qlt::DOCUMENT_KIND_SERVICE_GUIDE, At(3, 12, 0)),
               Withdrawn("DOC-2", 2, qlt::DOCUMENT_KIND_SERVICE_GUIDE, At(3, 12, 0))});
  EXPECT_EQ(Daily(desk, "quality_documents_in_force", {{"kind", "service_guide"}}),
            (std::vector<std::string>{"", "1", "0", "0", ""}));
  EXPECT_EQ(Revisions(),
            (std::map<std::string, int64_t>{
                {"2026-03-01", 0}, {"2026-03-02", 1}, {"2026-03-03", 2}, {"2026-03-04", 2}}));
  EXPECT_NE(Archive(desk).find("2026-03-04,quality_documents_in_force,kind=service_guide,0,"),
            std::string::npos)
      << Archive(desk);
}

// A day's DayClosed carries what was counted on it; a count that arrives after the close revises
// that day alone (its snapshot did not change, nor did the later days'), once however often the
// fact is delivered.
TEST_P(StatisticsHistoryTest, ADayClosedCarriesItsTotalsAndALateCountRevisesThatDayAlone) {
  auto latest = [this](const std::string& day) {
    v1::DayClosed out;
    for (const events::Envelope& e : Outbox()) {
      v1::DayClosed event;
      EXPECT_TRUE(event.ParseFromString(e.payload));
      if (event.day() == day && event.revision() >= out.revision()) out = event;
    }
    return out;
  };
  auto totals = [](const v1::DayClosed& event) {
    std::map<std::string, std::string> out;
    for (const auto& v : event.totals()) out[v.indicator()] = v.value() + " " + v.unit();
    return out;
  };
  Apply(*db_, {Closed("INS-1-A1", true, At(1, 9, 0)), Closed("INS-1-A2", false, At(2, 9, 0))});
  now_ = At(4, 9, 0);
  EXPECT_EQ(Close(*Closer(*db_)), 3);
  EXPECT_EQ(totals(latest("2026-03-01")),
            (std::map<std::string, std::string>{{"quality_actions_closed", "1 count"},
                                                {"quality_actions_closed_on_time", "1 count"}}));
  EXPECT_EQ(totals(latest("2026-03-02")),
            (std::map<std::string, std::string>{{"quality_actions_closed", "1 count"}}));
  EXPECT_TRUE(latest("2026-03-03").totals().empty()) << "nothing counted, nothing carried";
  EXPECT_TRUE(latest("2026-03-03").has_totals()) << "and it says that empty means none";
  EXPECT_FALSE(latest("2026-03-03").values().empty()) << "the snapshot is there all the same";

  // A closure of 03-01 read on 03-04, twice in the batch.
  Apply(*db_, {Closed("INS-1-A3", false, At(1, 15, 0)), Closed("INS-1-A3", false, At(1, 15, 0))});
  EXPECT_EQ(Revisions(), (std::map<std::string, int64_t>{
                             {"2026-03-01", 1}, {"2026-03-02", 0}, {"2026-03-03", 0}}));
  v1::DayClosed revised = latest("2026-03-01");
  EXPECT_EQ(revised.revision(), 1);
  EXPECT_EQ(totals(revised),
            (std::map<std::string, std::string>{{"quality_actions_closed", "2 count"},
                                                {"quality_actions_closed_on_time", "1 count"}}));
  EXPECT_EQ(revised.values_size(), latest("2026-03-02").values_size());

  // Delivered again later: counted once already, so no revision.
  size_t published = Outbox().size();
  Apply(*db_, {Closed("INS-1-A3", false, At(1, 15, 0))});
  EXPECT_EQ(Outbox().size(), published);

  // What /metrics says of it: three days closed, one revised, the last ended at 03-04's midnight.
  StatisticsDesk desk(*db_, Shanghai(), [this] { return now_; });
  auto metrics = desk.ForMetrics();
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(metrics->days_closed, 3);
  EXPECT_EQ(metrics->day_revisions, 1);
  ASSERT_TRUE(metrics->last_closed_day_end.has_value());
  EXPECT_EQ(*metrics->last_closed_day_end, At(4, 0, 0));
}

PARKLINE_BACKEND_TESTS(StatisticsHistoryTest);

}  // namespace
}  // namespace parkline::statistics
