// The assessment's rules: what a scheme must hold (weights, indicators, duplicates, thresholds),
// which version applies to a period, and how inputs become scores (direction, clamping, missing
// data scoring nothing and listed, never renormalised away).
#include "quality/assessment_rules.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "parkline/clearance/v1/events.pb.h"
#include "statistics/event_effects.h"
#include "statistics/indicators.h"

namespace parkline::quality {
namespace {

v1::AssessmentComponent Component(const std::string& name, v1::AssessmentInput input, int weight_bp,
                                  v1::Direction direction, const std::string& floor,
                                  const std::string& target, const std::string& indicator = "",
                                  std::map<std::string, std::string> labels = {}) {
  v1::AssessmentComponent c;
  c.set_name(name);
  c.set_input(input);
  c.set_indicator(indicator);
  for (const auto& [k, v] : labels) (*c.mutable_labels())[k] = v;
  c.set_weight_bp(weight_bp);
  c.set_direction(direction);
  c.set_floor(floor);
  c.set_target(target);
  return c;
}

// occupancy 40 %, feedback 30 %, survey 30 %.
v1::PublishAssessmentSchemeRequest GoodScheme() {
  v1::PublishAssessmentSchemeRequest r;
  r.set_request_id("scheme-1");
  r.set_effective_from("2026-01-01");
  r.set_approved_by("park director Wang");
  *r.add_components() =
      Component("occupancy", v1::ASSESSMENT_INPUT_INDICATOR, 4000, v1::DIRECTION_HIGHER_BETTER,
                "0.5", "0.9", "occupancy_ratio", {{"basis", "area"}});
  *r.add_components() = Component("satisfaction", v1::ASSESSMENT_INPUT_FEEDBACK_SATISFACTION, 3000,
                                  v1::DIRECTION_HIGHER_BETTER, "3", "5");
  *r.add_components() = Component("survey", v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY, 3000,
                                  v1::DIRECTION_HIGHER_BETTER, "60", "90");
  return r;
}

std::string Violations(const v1::PublishAssessmentSchemeRequest& r) {
  errors::Violations v;
  CheckScheme(r, v);
  return std::string(v.ToStatus().message());
}

TEST(SchemeRulesTest, AGoodSchemeBreaksNoRule) {
  errors::Violations v;
  CheckScheme(GoodScheme(), v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(SchemeRulesTest, WeightsMustSumToExactlyTenThousandBasisPoints) {
  auto r = GoodScheme();
  r.mutable_components(2)->set_weight_bp(2999);
  std::string m = Violations(r);
  EXPECT_TRUE(absl::StrContains(m, "components.weight_bp")) << m;
  EXPECT_TRUE(absl::StrContains(m, "9999 basis points, not 10000")) << m;
}

TEST(SchemeRulesTest, AnIndicatorOutsideTheStatisticsSnapshotsIsUnknown) {
  auto r = GoodScheme();
  r.mutable_components(0)->set_indicator("happiness_ratio");
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[0].indicator")) << Violations(r);
  // A counted indicator is not in a closed day's snapshot; nor is the conformance verdict.
  r.mutable_components(0)->set_indicator("declarations_matched");
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[0].indicator"));
  r.mutable_components(0)->set_indicator("conformance");
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[0].indicator"));
}

TEST(SchemeRulesTest, DuplicateComponentsAreRefusedByNameAndByWhatTheyMeasure) {
  auto r = GoodScheme();
  r.mutable_components(2)->set_name("survey");
  *r.mutable_components(1) = r.components(2);  // the same survey input, the same name
  r.mutable_components(1)->set_weight_bp(3000);
  std::string m = Violations(r);
  EXPECT_TRUE(absl::StrContains(m, "components[2].name")) << m;
  EXPECT_TRUE(absl::StrContains(m, "components[2]: another component measures the same")) << m;
  // Same indicator, other labels: two measures, allowed.
  auto ok = GoodScheme();
  ok.mutable_components(0)->set_weight_bp(2000);
  *ok.add_components() =
      Component("occupancy_units", v1::ASSESSMENT_INPUT_INDICATOR, 2000,
                v1::DIRECTION_HIGHER_BETTER, "0.5", "0.9", "occupancy_ratio", {{"basis", "units"}});
  EXPECT_EQ(Violations(ok), "") << Violations(ok);
}

TEST(SchemeRulesTest, ThresholdsFollowTheDirection) {
  auto r = GoodScheme();
  r.mutable_components(1)->set_target("2");  // higher-better, target below the floor
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[1].target")) << Violations(r);
  r.mutable_components(1)->set_direction(v1::DIRECTION_LOWER_BETTER);  // now it is right
  EXPECT_EQ(Violations(r), "");
  r.mutable_components(1)->set_floor("three");
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[1].floor"));
  r.mutable_components(1)->set_direction(v1::DIRECTION_UNSPECIFIED);
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[1].direction"));
}

TEST(SchemeRulesTest, OnlyIndicatorComponentsNameAnIndicator) {
  auto r = GoodScheme();
  r.mutable_components(1)->set_indicator("occupancy_ratio");
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[1].indicator")) << Violations(r);
}

TEST(SchemeRulesTest, VersionsFollowTheCurrentOneAndNeverTakeEffectEarlier) {
  auto r = GoodScheme();
  EXPECT_TRUE(CheckSchemeSuccession(r, std::nullopt).ok());
  v1::AssessmentScheme v1s = NextScheme(r, std::nullopt, "staff-li", absl::UnixEpoch());
  EXPECT_EQ(v1s.version(), 1);
  EXPECT_EQ(CheckSchemeSuccession(r, v1s).code(), absl::StatusCode::kFailedPrecondition);
  r.set_expected_version(1);
  r.set_effective_from("2025-12-31");
  EXPECT_EQ(CheckSchemeSuccession(r, v1s).code(), absl::StatusCode::kInvalidArgument);
  r.set_effective_from("2026-07-01");
  EXPECT_TRUE(CheckSchemeSuccession(r, v1s).ok());
  EXPECT_EQ(NextScheme(r, v1s, "staff-li", absl::UnixEpoch()).version(), 2);
}

TEST(SchemeRulesTest, ThePeriodTakesTheVersionInForceOnItsLastDay) {
  v1::AssessmentScheme a, b;
  a.set_version(1);
  a.set_effective_from("2026-01-01");
  b.set_version(2);
  b.set_effective_from("2026-07-01");
  EXPECT_EQ(SchemeInForce({b, a}, "2026-06-30")->version(), 1);
  EXPECT_EQ(SchemeInForce({a, b}, "2026-07-01")->version(), 2);
  EXPECT_FALSE(SchemeInForce({a, b}, "2025-12-31").has_value());
}

TEST(ScoringTest, HigherBetterIsLinearBetweenFloorAndTargetAndClamped) {
  auto c = Component("x", v1::ASSESSMENT_INPUT_INDICATOR, 10000, v1::DIRECTION_HIGHER_BETTER, "0.5",
                     "0.9", "occupancy_ratio");
  EXPECT_EQ(ComponentScore(c, 4000), 0);       // 0.4: below the floor
  EXPECT_EQ(ComponentScore(c, 5000), 0);       // the floor
  EXPECT_EQ(ComponentScore(c, 7000), 5000);    // half way: 50.00
  EXPECT_EQ(ComponentScore(c, 6000), 2500);    // 25.00
  EXPECT_EQ(ComponentScore(c, 9000), 10000);   // the target
  EXPECT_EQ(ComponentScore(c, 10000), 10000);  // beyond: still 100.00
  EXPECT_EQ(ComponentScore(c, 5001), 3);       // 0.0001 / 0.4 = 0.025 % -> 0.03 half up
}

TEST(ScoringTest, LowerBetterScoresFromTheFloorDownToTheTarget) {
  auto c = Component("exceptions", v1::ASSESSMENT_INPUT_INDICATOR, 10000,
                     v1::DIRECTION_LOWER_BETTER, "0.2", "0.05", "occupancy_ratio");
  EXPECT_EQ(ComponentScore(c, 3000), 0);
  EXPECT_EQ(ComponentScore(c, 2000), 0);
  EXPECT_EQ(ComponentScore(c, 1250), 5000);
  EXPECT_EQ(ComponentScore(c, 500), 10000);
  EXPECT_EQ(ComponentScore(c, 0), 10000);
}

v1::AssessmentScheme Published() {
  return NextScheme(GoodScheme(), std::nullopt, "staff-li", absl::UnixEpoch());
}

statistics::v1::DayClosed Snapshot(const std::string& day, const std::string& occupancy) {
  statistics::v1::DayClosed d;
  d.set_day(day);
  auto* v = d.add_values();
  v->set_indicator("occupancy_ratio");
  (*v->mutable_labels())["basis"] = "area";
  v->set_value(occupancy);
  auto* units = d.add_values();
  units->set_indicator("occupancy_ratio");
  (*units->mutable_labels())["basis"] = "units";
  units->set_value("1.0000");
  return d;
}

v1::AssessmentPeriod March() {
  v1::AssessmentPeriod p;
  p.set_from("2026-03-01");
  p.set_to("2026-03-31");
  return p;
}

TEST(ScoringTest, WeightedPointsAddUpToTheTotal) {
  PeriodInputs in;
  in.last_day = Snapshot("2026-03-31", "0.7000");  // 50.00 x 40 % = 20
  in.feedback = {{400, 30}, {500, 10}};            // 4.25 -> 62.50 x 30 % = 18.75
  v1::SurveyResult s;
  s.set_score("84");  // 80.00 x 30 % = 24
  s.set_sample_size(200);
  in.surveys = {s};
  in.days_closed = 31;
  auto days = CheckPeriod(March());
  ASSERT_TRUE(days.ok());
  v1::AssessmentResult r = Assess(Published(), March(), *days, in);
  ASSERT_EQ(r.components_size(), 3);
  EXPECT_EQ(r.components(0).input(), "0.7000");
  EXPECT_EQ(r.components(0).score(), "50.00");
  EXPECT_EQ(r.components(0).points(), "20.000000");
  EXPECT_EQ(r.components(1).input(), "4.2500");
  EXPECT_EQ(r.components(1).points(), "18.750000");
  EXPECT_EQ(r.components(2).points(), "24.000000");
  EXPECT_EQ(r.total(), "62.75");
  EXPECT_TRUE(r.missing().empty());
  EXPECT_TRUE(r.final());
  EXPECT_EQ(r.scheme_version(), 1);
}

TEST(ScoringTest, MissingDataScoresNothingIsListedAndIsNeverRenormalisedAway) {
  PeriodInputs in;
  in.last_day = Snapshot("2026-03-31", "0.9000");  // full marks on occupancy: 40 points
  in.days_closed = 31;
  auto days = CheckPeriod(March());
  v1::AssessmentResult r = Assess(Published(), March(), *days, in);
  // Only 40 % of the weight had data: the total is 40, not 100.
  EXPECT_EQ(r.total(), "40.00");
  ASSERT_EQ(r.missing_size(), 2);
  EXPECT_EQ(r.missing(0), "satisfaction");
  EXPECT_EQ(r.missing(1), "survey");
  EXPECT_TRUE(r.components(1).missing());
  EXPECT_EQ(r.components(1).score(), "0.00");
  EXPECT_EQ(r.components(1).points(), "0.000000");
  EXPECT_FALSE(r.components(1).missing_reason().empty());
}

TEST(ScoringTest, APeriodWithNoDataAtAllScoresZeroAndIsProvisionalUntilEveryDayIsClosed) {
  PeriodInputs in;
  in.days_closed = 30;  // the 31st is not closed: no snapshot of the last day either
  auto days = CheckPeriod(March());
  v1::AssessmentResult r = Assess(Published(), March(), *days, in);
  EXPECT_EQ(r.total(), "0.00");
  EXPECT_EQ(r.missing_size(), 3);
  EXPECT_TRUE(absl::StrContains(r.components(0).missing_reason(), "2026-03-31 is not closed"));
  EXPECT_FALSE(r.final());
  EXPECT_EQ(r.days_in_period(), 31);
}

TEST(ScoringTest, AnIndicatorWithOtherLabelsIsMissingNotTakenFromAnotherSeries) {
  PeriodInputs in;
  in.last_day = Snapshot("2026-03-31", "0.9000");
  in.last_day->mutable_values()->DeleteSubrange(0, 1);  // only basis=units is left
  in.days_closed = 31;
  auto days = CheckPeriod(March());
  v1::AssessmentResult r = Assess(Published(), March(), *days, in);
  EXPECT_TRUE(r.components(0).missing());
  EXPECT_EQ(r.total(), "0.00");
}

// Complaints resolved on time per 100 resolved, and trainings held: counted components.
v1::AssessmentComponent OnTime() {
  v1::AssessmentComponent c =
      Component("complaints_on_time", v1::ASSESSMENT_INPUT_COUNTED, 6000,
                v1::DIRECTION_HIGHER_BETTER, "80", "100", "complaints_resolved_on_time");
  c.set_per_indicator("complaints_resolved");
  return c;
}

TEST(SchemeRulesTest, ACountedComponentSumsACounterAndMayBeAPercentageOfAnother) {
  auto r = GoodScheme();
  r.mutable_components(0)->set_weight_bp(1000);
  *r.add_components() = OnTime();
  r.mutable_components(3)->set_weight_bp(3000);
  EXPECT_EQ(Violations(r), "") << "a counted percentage";
  r.mutable_components(3)->clear_per_indicator();
  EXPECT_EQ(Violations(r), "") << "a plain sum";

  auto gauge = r;
  gauge.mutable_components(3)->set_indicator("occupancy_ratio");
  EXPECT_TRUE(absl::StrContains(
      Violations(gauge), "components[3].indicator: 'occupancy_ratio' is not a counted indicator"))
      << Violations(gauge);
  auto per = r;
  per.mutable_components(3)->set_per_indicator("occupancy_ratio");
  EXPECT_TRUE(absl::StrContains(Violations(per),
                                "components[3].per_indicator: 'occupancy_ratio' is not a counted"))
      << Violations(per);
  auto lone = r;
  (*lone.mutable_components(3)->mutable_per_labels())["category"] = "billing";
  EXPECT_TRUE(absl::StrContains(Violations(lone),
                                "components[3].per_labels: per_labels go with a per_indicator"))
      << Violations(lone);
  auto snapshot = r;
  snapshot.mutable_components(0)->set_per_indicator("complaints_resolved");
  EXPECT_TRUE(absl::StrContains(Violations(snapshot),
                                "components[0].per_indicator: only a COUNTED component"))
      << Violations(snapshot);
}

// A trade value the statistics could not convert to CNY is counted in its own currency: a sum
// over its label sets would add USD to EUR.
TEST(SchemeRulesTest, AnAmountPerCurrencyIsReadInTheOneCurrencyItsComponentNames) {
  auto r = GoodScheme();
  r.mutable_components(0)->set_weight_bp(1000);
  *r.add_components() =
      Component("unconverted", v1::ASSESSMENT_INPUT_COUNTED, 3000, v1::DIRECTION_LOWER_BETTER,
                "1000", "0", "trade_value_unconverted");
  EXPECT_TRUE(absl::StrContains(Violations(r),
                                "components[3].labels: 'trade_value_unconverted' is an amount per "
                                "currency, never added across currencies"))
      << Violations(r);
  (*r.mutable_components(3)->mutable_labels())["mode"] = "9610";
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[3].labels")) << "a mode is no currency";
  (*r.mutable_components(3)->mutable_labels())["currency"] = " ";
  EXPECT_TRUE(absl::StrContains(Violations(r), "components[3].labels")) << "nor a blank one";
  (*r.mutable_components(3)->mutable_labels())["currency"] = "USD";
  EXPECT_EQ(Violations(r), "") << "one currency, summed over modes";

  // As the base of a percentage too.
  auto per = r;
  per.mutable_components(3)->set_per_indicator("trade_value_unconverted");
  EXPECT_TRUE(absl::StrContains(Violations(per), "components[3].per_labels: 'trade_value_"))
      << Violations(per);
  (*per.mutable_components(3)->mutable_per_labels())["currency"] = "USD";
  EXPECT_EQ(Violations(per), "");

  // CNY is one currency: trade converted to it adds up over every label set.
  auto cny = r;
  cny.mutable_components(3)->set_indicator("trade_value_cny");
  cny.mutable_components(3)->clear_labels();
  EXPECT_EQ(Violations(cny), "");
}

// Pins the rule against the statistics: the indicators whose catalogue unit is "currency" are
// exactly those the statistics' event effects label with a currency, under kCurrencyLabel.
TEST(SchemeRulesTest, TheAmountsPerCurrencyAreThoseTheStatisticsCountUnderACurrencyLabel) {
  EXPECT_TRUE(IsPerCurrencyAmount("trade_value_unconverted"));
  EXPECT_FALSE(IsPerCurrencyAmount("trade_value_cny"));
  EXPECT_FALSE(IsPerCurrencyAmount("tax_estimated_cny"));
  EXPECT_FALSE(IsPerCurrencyAmount("no_such_indicator"));
  int per_currency = 0;
  for (const statistics::Indicator& i : statistics::Catalog()) {
    per_currency += IsPerCurrencyAmount(i.name);
  }
  EXPECT_EQ(per_currency, 1) << "a new amount per currency: check its label is kCurrencyLabel";

  // 5 EUR released with no exchange-rate table: counted in EUR, as statistics labels it.
  parkline::clearance::v1::ClearanceReleased released;
  released.mutable_facts()->set_case_id("CASE-1");
  released.mutable_facts()->set_business_mode("9710");
  released.mutable_facts()->set_direction(parkline::declarations::v1::DIRECTION_EXPORT);
  released.mutable_facts()->set_value("5.00000");
  released.mutable_facts()->set_currency("300");  // customs' code of EUR
  released.mutable_release_time()->set_seconds(1773100000);
  std::string payload = released.SerializeAsString();
  statistics::Effects effects;
  ASSERT_TRUE(
      statistics::AddEffects({"parkline.clearance.v1.ClearanceReleased", absl::Now(), payload},
                             absl::UTCTimeZone(), &effects)
          .ok());
  int labelled = 0;
  for (const statistics::OnceFact& fact : effects.once) {
    for (const statistics::OnceFact::Delta& d : fact.deltas) {
      bool has_currency = statistics::ParseLabels(d.labels).count(kCurrencyLabel) > 0;
      EXPECT_EQ(has_currency, IsPerCurrencyAmount(d.indicator))
          << d.indicator << "{" << d.labels << "}";
      labelled += has_currency;
    }
  }
  EXPECT_EQ(labelled, 1) << "the unconverted value, in EUR";
}

statistics::v1::DayClosed Counted(const std::string& day,
                                  std::vector<std::tuple<std::string, std::string, std::string>>
                                      totals) {  // indicator, category, value
  statistics::v1::DayClosed d;
  d.set_day(day);
  d.set_has_totals(true);
  for (const auto& [indicator, category, value] : totals) {
    auto* t = d.add_totals();
    t->set_indicator(indicator);
    if (!category.empty()) (*t->mutable_labels())["category"] = category;
    t->set_value(value);
  }
  return d;
}

v1::AssessmentPeriod FirstThreeDays() {
  v1::AssessmentPeriod p;
  p.set_from("2026-03-01");
  p.set_to("2026-03-03");
  return p;
}

v1::AssessmentScheme CountedScheme(v1::AssessmentComponent c) {
  v1::AssessmentScheme s;
  s.set_version(1);
  c.set_weight_bp(10000);
  *s.add_components() = std::move(c);
  return s;
}

PeriodInputs ThreeDaysOfComplaints() {
  PeriodInputs in;
  in.closed_days = {Counted("2026-03-01", {{"complaints_resolved", "billing", "3"},
                                           {"complaints_resolved_on_time", "billing", "3"},
                                           {"complaints_resolved", "property", "2"},
                                           {"complaints_resolved_on_time", "property", "1"}}),
                    Counted("2026-03-02", {}),  // nothing counted that day
                    Counted("2026-03-03", {{"complaints_resolved", "billing", "3"},
                                           {"complaints_resolved_on_time", "billing", "2"}})};
  in.days_closed = 3;
  return in;
}

TEST(ScoringTest, ACountedComponentSumsThePeriodsDaysOverTheLabelSetsItNames) {
  auto days = CheckPeriod(FirstThreeDays());
  ASSERT_TRUE(days.ok());
  PeriodInputs in = ThreeDaysOfComplaints();
  // 6 of 8 on time: 75.0000 %, below the floor of 80.
  v1::AssessmentResult r = Assess(CountedScheme(OnTime()), FirstThreeDays(), *days, in);
  EXPECT_EQ(r.components(0).input(), "75.0000");
  EXPECT_EQ(r.components(0).score(), "0.00");
  EXPECT_FALSE(r.components(0).missing());

  // Billing alone: 5 of 6, 83.3333 %, 16.67 of the way from 80 to 100.
  v1::AssessmentComponent billing = OnTime();
  (*billing.mutable_labels())["category"] = "billing";
  (*billing.mutable_per_labels())["category"] = "billing";
  r = Assess(CountedScheme(billing), FirstThreeDays(), *days, in);
  EXPECT_EQ(r.components(0).input(), "83.3333");
  EXPECT_EQ(r.components(0).score(), "16.67");

  // A plain sum: complaints resolved in the period.
  v1::AssessmentComponent resolved =
      Component("resolved", v1::ASSESSMENT_INPUT_COUNTED, 10000, v1::DIRECTION_HIGHER_BETTER, "0",
                "16", "complaints_resolved");
  r = Assess(CountedScheme(resolved), FirstThreeDays(), *days, in);
  EXPECT_EQ(r.components(0).input(), "8.0000");
  EXPECT_EQ(r.components(0).score(), "50.00");
  EXPECT_TRUE(r.final());
}

TEST(ScoringTest, ACountedSumOfMoneyKeepsItsFifthDigitUntilTheEnd) {
  auto days = CheckPeriod(FirstThreeDays());
  ASSERT_TRUE(days.ok());
  // The statistics write CNY with five fraction digits; the sum is rounded to four at the end.
  PeriodInputs in;
  in.closed_days = {Counted("2026-03-01", {{"trade_value_cny", "", "100.00004"}}),
                    Counted("2026-03-02", {{"trade_value_cny", "", "200.00001"}}),
                    Counted("2026-03-03", {})};
  in.days_closed = 3;
  v1::AssessmentComponent trade =
      Component("trade", v1::ASSESSMENT_INPUT_COUNTED, 10000, v1::DIRECTION_HIGHER_BETTER, "0",
                "600", "trade_value_cny");
  v1::AssessmentResult r = Assess(CountedScheme(trade), FirstThreeDays(), *days, in);
  EXPECT_FALSE(r.components(0).missing()) << r.components(0).missing_reason();
  EXPECT_EQ(r.components(0).input(), "300.0001");
  EXPECT_EQ(r.components(0).score(), "50.00");
}

TEST(ScoringTest, ACountedComponentIsMissingWithoutEveryDayItsTotalsOrADenominator) {
  auto days = CheckPeriod(FirstThreeDays());
  ASSERT_TRUE(days.ok());
  PeriodInputs open = ThreeDaysOfComplaints();
  open.closed_days.pop_back();
  open.days_closed = 2;
  v1::AssessmentResult r = Assess(CountedScheme(OnTime()), FirstThreeDays(), *days, open);
  EXPECT_TRUE(r.components(0).missing());
  EXPECT_TRUE(absl::StrContains(r.components(0).missing_reason(), "2 of 3 are"))
      << r.components(0).missing_reason();

  PeriodInputs old = ThreeDaysOfComplaints();
  old.closed_days[1].set_has_totals(false);  // closed by a statistics without totals
  r = Assess(CountedScheme(OnTime()), FirstThreeDays(), *days, old);
  EXPECT_TRUE(r.components(0).missing());
  EXPECT_TRUE(absl::StrContains(r.components(0).missing_reason(), "2026-03-02"))
      << r.components(0).missing_reason();

  v1::AssessmentComponent none = OnTime();
  (*none.mutable_per_labels())["category"] = "security";  // nothing resolved in it
  r = Assess(CountedScheme(none), FirstThreeDays(), *days, ThreeDaysOfComplaints());
  EXPECT_TRUE(r.components(0).missing());
  EXPECT_EQ(r.total(), "0.00");
}

TEST(PeriodRulesTest, APeriodIsOrderedRealDaysOfAtMostAYear) {
  v1::AssessmentPeriod p;
  p.set_from("2026-03-31");
  p.set_to("2026-03-01");
  EXPECT_TRUE(absl::StrContains(CheckPeriod(p).status().message(), "period.to"));
  p.set_from("2026-02-30");
  EXPECT_TRUE(absl::StrContains(CheckPeriod(p).status().message(), "period.from"));
  p.set_from("2025-01-01");
  p.set_to("2026-03-01");
  EXPECT_TRUE(absl::StrContains(CheckPeriod(p).status().message(), "at most 366 days"));
}

TEST(SurveyRulesTest, ASurveyNeedsItsSampleScoreAndEvidence) {
  v1::RecordSurveyResultRequest r;
  r.set_request_id("s-1");
  r.set_surveyor("Institute of Trade Surveys");
  r.set_period_from("2026-01-01");
  r.set_period_to("2026-03-31");
  r.set_sample_size(120);
  r.set_score("86.5");
  r.set_evidence_uri("https://archive.example/survey-q1.pdf");
  r.set_evidence_sha256(std::string(64, 'a'));
  errors::Violations ok;
  CheckSurvey(r, ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();
  r.set_score("100.5");
  r.set_sample_size(0);
  r.set_evidence_sha256("ABC");
  errors::Violations v;
  CheckSurvey(r, v);
  std::string m(v.ToStatus().message());
  EXPECT_TRUE(absl::StrContains(m, "score")) << m;
  EXPECT_TRUE(absl::StrContains(m, "sample_size")) << m;
  EXPECT_TRUE(absl::StrContains(m, "evidence_sha256")) << m;
}

}  // namespace
}  // namespace parkline::quality
