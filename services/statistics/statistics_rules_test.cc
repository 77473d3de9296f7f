// The statistics' rules without a database or a broker: which day an event counts on, what each
// event adds, the current figures, the score, the conformance verdicts, periods and /metrics.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/quality/v1/events.pb.h"
#include "parkline/support/v1/events.pb.h"
#include "prometheus/metric_family.h"
#include "statistics/event_effects.h"
#include "statistics/figures.h"
#include "statistics/history.h"
#include "statistics/indicator_metrics.h"
#include "statistics/periods.h"

namespace parkline::statistics {
namespace {

namespace decl = parkline::declarations::v1;
namespace ent = parkline::enterprises::v1;
namespace clr = parkline::clearance::v1;
namespace sup = parkline::support::v1;
namespace qlt = parkline::quality::v1;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time At(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) << error;
  return t;
}

Effects EffectsOf(const std::string& type, const google::protobuf::Message& m, absl::Time when) {
  Effects out;
  std::string payload = m.SerializeAsString();
  EXPECT_TRUE(AddEffects({type, when, payload}, Shanghai(), &out).ok());
  return out;
}

decl::DeclarationMatched Matched(const std::string& value, const std::string& mode) {
  decl::DeclarationMatched m;
  m.mutable_declaration()->set_value_cny(value);
  m.mutable_declaration()->set_business_mode(mode);
  m.mutable_declaration()->set_direction(decl::DIRECTION_IMPORT);
  m.mutable_declaration()->set_ebc_code("3301960ABC");
  return m;
}

TEST(EventEffectsTest, TheParkTimeZoneDecidesTheDay) {
  // 16:30 UTC on the 26th is 00:30 on the 27th in Shanghai.
  Effects e = EffectsOf("parkline.declarations.v1.DeclarationMatched", Matched("1.00000", "9610"),
                        At("2026-11-26T16:30:00Z"));
  ASSERT_FALSE(e.counters.empty());
  EXPECT_EQ(e.counters.Rows()[0].day, "2026-11-27");
}

TEST(EventEffectsTest, TheRememberedDayIsTheDayOfEveryTimeEvenAcrossTransitions) {
  // New York changes its offset twice a year; Shanghai has not since 1991.
  for (const char* name : {"America/New_York", "Asia/Shanghai"}) {
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(name, &zone));
    DayCache days;
    absl::Time start = At("2025-03-01T00:00:00Z");
    // Every 7 minutes for a year, with now and then one hours late, and the transitions' own
    // instants and the second before them.
    std::vector<absl::Time> times;
    for (absl::Time t = start; t < start + absl::Hours(24 * 366); t += absl::Minutes(7)) {
      times.push_back(t);
      if (times.size() % 97 == 0) times.push_back(t - absl::Hours(30));
    }
    absl::TimeZone::CivilTransition transition;
    for (absl::Time t = start; zone.NextTransition(t, &transition) && t < times.back();) {
      t = zone.At(transition.to).trans;
      times.insert(times.end(), {t - absl::Seconds(1), t, t + absl::Nanoseconds(1)});
    }
    times.insert(times.end(), {At("1969-12-31T23:59:59.5Z"), absl::FromUnixSeconds(1LL << 62),
                               absl::InfinitePast(), At("2026-01-01T00:00:00Z")});
    for (absl::Time t : times) {
      ASSERT_EQ(days.DayOf(t, zone), DayOf(t, zone)) << name << " " << t;
    }
  }
}

TEST(EventEffectsTest, TheSameCounterTwiceIsOneRowWithBothDeltas) {
  Effects e;
  for (const char* time :
       {"2026-03-01T02:00:00Z", "2026-03-01T03:00:00Z", "2026-03-02T03:00:00Z"}) {
    decl::DocumentReceived m;
    m.set_kind(decl::DOCUMENT_KIND_ORDER);
    m.set_direction(decl::DIRECTION_IMPORT);
    m.set_business_mode("1210");
    m.set_enterprise_code("3301960ABC");
    std::string payload = m.SerializeAsString();
    ASSERT_TRUE(
        AddEffects({"parkline.declarations.v1.DocumentReceived", At(time), payload}, Shanghai(), &e)
            .ok());
  }
  std::vector<CounterDelta> rows = e.counters.Rows();
  // One indicator on two days, park-wide and for the enterprise.
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].indicator, "documents_received");
  EXPECT_EQ(rows[0].day, "2026-03-01");
  EXPECT_EQ(rows[0].enterprise, "");
  EXPECT_EQ(rows[0].delta, 2);
  EXPECT_EQ(rows[1].enterprise, "3301960ABC");
  EXPECT_EQ(rows[1].delta, 2);
  EXPECT_EQ(rows[2].day, "2026-03-02");
  EXPECT_EQ(rows[2].delta, 1);
}

TEST(EventEffectsTest, LabelsAreStoredInTheirCanonicalText) {
  decl::DocumentReceived m;
  m.set_kind(decl::DOCUMENT_KIND_WAYBILL);
  m.set_direction(decl::DIRECTION_EXPORT);  // no mode: 9610
  m.set_enterprise_code("3301960ABC");
  Effects e = EffectsOf("parkline.declarations.v1.DocumentReceived", m, absl::Now());
  ASSERT_EQ(e.counters.size(), 2u);
  for (const CounterDelta& d : e.counters.Rows()) {
    EXPECT_EQ(d.labels,
              LabelsText({{"kind", "waybill"}, {"mode", "9610"}, {"direction", "export"}}));
  }
}

clr::ClearanceReleased Released(const std::string& value, const std::string& currency,
                                const std::string& mode, decl::Direction direction,
                                absl::Time when) {
  clr::ClearanceReleased m;
  m.mutable_facts()->set_case_id("CASE-1");
  m.mutable_facts()->set_order_key("EBP/ORD-1");
  m.mutable_facts()->set_business_mode(mode);
  m.mutable_facts()->set_direction(direction);
  m.mutable_facts()->set_ebc_code("3301960ABC");
  m.mutable_facts()->set_value(value);
  m.mutable_facts()->set_currency(currency);
  if (currency == "142") m.mutable_facts()->set_value_cny(value);
  m.mutable_release_time()->set_seconds(absl::ToUnixSeconds(when));
  return m;
}

// The deltas of the once-facts named `fact`, as "indicator{labels}@day[enterprise]=delta".
std::vector<std::string> OnceDeltas(const Effects& e, const std::string& fact) {
  std::vector<std::string> out;
  for (const OnceFact& f : e.once) {
    if (f.fact != fact) continue;
    for (const OnceFact::Delta& d : f.deltas) {
      out.push_back(absl::StrCat(f.key, ":", d.indicator, "{", d.labels, "}@", d.day, "[",
                                 d.enterprise, "]=", d.delta));
    }
  }
  return out;
}

TEST(EventEffectsTest, AMatchedDeclarationIsAPipelineFactOncePerOrderAndNeverTrade) {
  decl::DeclarationMatched m = Matched("1234.56789", "1210");
  m.mutable_declaration()->set_order_key("EBP/ORD-1");
  Effects e =
      EffectsOf("parkline.declarations.v1.DeclarationMatched", m, At("2026-03-01T02:00:00Z"));
  // Nothing counted directly: the repository counts it the first time the order matches.
  EXPECT_TRUE(e.counters.empty());
  EXPECT_EQ(OnceDeltas(e, "declaration_matched"),
            (std::vector<std::string>{"EBP/ORD-1:declarations_matched{direction=import,mode="
                                      "1210}@2026-03-01[3301960ABC]=1"}));
  EXPECT_TRUE(OnceDeltas(e, "trade").empty());

  decl::DeclarationRejected r;
  *r.mutable_declaration() = m.declaration();
  e = EffectsOf("parkline.declarations.v1.DeclarationRejected", r, At("2026-03-01T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "declaration_rejected").size(), 1u);
  EXPECT_TRUE(OnceDeltas(e, "trade").empty());
}

// The counter rows of `e`, as "indicator{labels}@day[enterprise]=delta".
std::vector<std::string> CounterRows(const Effects& e) {
  std::vector<std::string> out;
  for (const CounterDelta& d : e.counters.Rows()) {
    out.push_back(
        absl::StrCat(d.indicator, "{", d.labels, "}@", d.day, "[", d.enterprise, "]=", d.delta));
  }
  return out;
}

// A verdict that says whether it is its order's first (first_for_order, #25) is counted, or not,
// on that word alone: nothing is remembered for it. Without the word, the order counts once
// through its key, as above.
TEST(EventEffectsTest, AVerdictThatSaysItIsTheOrdersFirstIsCountedWithoutAOnceFact) {
  decl::DeclarationMatched m = Matched("1234.56789", "1210");
  m.mutable_declaration()->set_order_key("EBP/ORD-2");
  m.set_first_for_order(true);
  Effects e =
      EffectsOf("parkline.declarations.v1.DeclarationMatched", m, At("2026-03-01T02:00:00Z"));
  EXPECT_TRUE(e.once.empty());
  EXPECT_EQ(CounterRows(e),
            (std::vector<std::string>{
                "declarations_matched{direction=import,mode=1210}@2026-03-01[]=1",
                "declarations_matched{direction=import,mode=1210}@2026-03-01[3301960ABC]=1"}));

  m.set_first_for_order(false);  // matched again after a withdrawal
  e = EffectsOf("parkline.declarations.v1.DeclarationMatched", m, At("2026-03-01T02:00:00Z"));
  EXPECT_TRUE(e.once.empty());
  EXPECT_TRUE(e.counters.empty());

  decl::DeclarationRejected r;
  *r.mutable_declaration() = m.declaration();
  r.set_first_for_order(true);
  e = EffectsOf("parkline.declarations.v1.DeclarationRejected", r, At("2026-03-01T02:00:00Z"));
  EXPECT_TRUE(e.once.empty());
  EXPECT_EQ(CounterRows(e).size(), 2u);  // the park's and the enterprise's
  r.set_first_for_order(false);
  e = EffectsOf("parkline.declarations.v1.DeclarationRejected", r, At("2026-03-01T02:00:00Z"));
  EXPECT_TRUE(e.once.empty());
  EXPECT_TRUE(e.counters.empty());
}

TEST(EventEffectsTest, ARegisterDocumentIsInForceOnceFromItsFirstVersion) {
  qlt::DocumentPublished first;
  first.set_document_id("DOC-1");
  first.set_version(1);
  first.set_kind(qlt::DOCUMENT_KIND_FIRE_SAFETY_PLAN);
  *first.mutable_published_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(At("2026-03-01T17:00:00Z")));  // 01:00 on the 2nd in the park
  Effects e = EffectsOf("parkline.quality.v1.DocumentPublished", first, At("2026-03-03T00:00:00Z"));
  EXPECT_TRUE(e.counters.empty());
  EXPECT_EQ(OnceDeltas(e, "quality_document"),
            (std::vector<std::string>{
                "DOC-1:quality_documents_registered{kind=fire_safety_plan}@2026-03-02[]=1"}));
  qlt::DocumentPublished second = first;
  second.set_version(2);
  e = EffectsOf("parkline.quality.v1.DocumentPublished", second, At("2026-03-05T00:00:00Z"));
  EXPECT_TRUE(e.once.empty()) << "a new version replaces the document, it adds none";

  qlt::DocumentWithdrawn withdrawn;
  withdrawn.set_document_id("DOC-1");
  withdrawn.set_version(3);
  withdrawn.set_kind(qlt::DOCUMENT_KIND_FIRE_SAFETY_PLAN);
  withdrawn.set_effective_date("2026-04-01");
  *withdrawn.mutable_withdrawn_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(At("2026-03-09T17:00:00Z")));
  e = EffectsOf("parkline.quality.v1.DocumentWithdrawn", withdrawn, At("2026-03-12T00:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_document_withdrawal"),
            (std::vector<std::string>{
                "DOC-1:quality_documents_withdrawn{kind=fire_safety_plan}@2026-03-10[]=1"}))
      << "once per document, on the park's day it was recorded (01:00 in Shanghai)";
}

TEST(EventEffectsTest, TrainingsInspectionsAndActionsCountOncePerRecordOnTheirDays) {
  qlt::TrainingRecorded drill;
  drill.set_session_id("TRN-1");
  drill.set_kind(qlt::TRAINING_KIND_EMERGENCY_DRILL);
  drill.set_held_date("2026-02-27");
  drill.set_attendee_count(46);
  Effects e = EffectsOf("parkline.quality.v1.TrainingRecorded", drill, At("2026-03-03T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_training"),
            (std::vector<std::string>{
                "TRN-1:quality_trainings{kind=emergency_drill}@2026-02-27[]=1",
                "TRN-1:quality_training_attendees{kind=emergency_drill}@2026-02-27[]=46"}))
      << "on the day held, not the day recorded";

  qlt::InspectionRecorded inspection;
  inspection.set_inspection_id("INS-1");
  inspection.set_kind(qlt::INSPECTION_KIND_AUTHORITY);
  inspection.set_inspected_date("2026-03-02");
  inspection.add_actions()->set_action_id("INS-1-A1");
  inspection.add_actions()->set_action_id("INS-1-A2");
  e = EffectsOf("parkline.quality.v1.InspectionRecorded", inspection, At("2026-03-03T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_inspection"),
            (std::vector<std::string>{"INS-1:quality_inspections{kind=authority}@2026-03-02[]=1",
                                      "INS-1:quality_actions_opened{}@2026-03-03[]=2"}));

  qlt::CorrectiveActionOverdue overdue;
  overdue.set_action_id("INS-1-A1");
  e = EffectsOf("parkline.quality.v1.CorrectiveActionOverdue", overdue, At("2026-03-20T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_action_overdue"),
            (std::vector<std::string>{"INS-1-A1:quality_actions_overdue{}@2026-03-20[]=1"}));

  qlt::CorrectiveActionClosed late, on_time;
  late.set_action_id("INS-1-A1");
  on_time.set_action_id("INS-1-A2");
  on_time.set_closed_on_time(true);
  e = EffectsOf("parkline.quality.v1.CorrectiveActionClosed", late, At("2026-03-21T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_action_closed"),
            (std::vector<std::string>{"INS-1-A1:quality_actions_closed{}@2026-03-21[]=1"}));
  e = EffectsOf("parkline.quality.v1.CorrectiveActionClosed", on_time, At("2026-03-21T02:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "quality_action_closed"),
            (std::vector<std::string>{"INS-1-A2:quality_actions_closed{}@2026-03-21[]=1",
                                      "INS-1-A2:quality_actions_closed_on_time{}@2026-03-21[]=1"}));

  qlt::CertificationRecorded certification;
  certification.set_certification_id("CRT-1");
  e = EffectsOf("parkline.quality.v1.CertificationRecorded", certification,
                At("2026-03-21T02:00:00Z"));
  EXPECT_TRUE(e.once.empty() && e.counters.empty()) << "handled, and changes no indicator";
}

TEST(FiguresTest, DocumentsInForceAreASnapshotFigureByKind) {
  Snapshot s;
  s.documents_by_kind = {{"fire_safety_plan", 1}, {"service_guide", 2}, {"internal_manual", 0}};
  std::vector<Figure> f = SnapshotFigures(s);
  EXPECT_EQ(Current(f, "quality_documents_in_force", {{"kind", "service_guide"}}), 2);
  EXPECT_EQ(Current(f, "quality_documents_in_force", {{"kind", "fire_safety_plan"}}), 1);
  // Every manual withdrawn: the kind reads 0 rather than vanishing from the figures.
  EXPECT_EQ(Current(f, "quality_documents_in_force", {{"kind", "internal_manual"}}), 0);
  for (const Figure& figure : f) {
    if (figure.indicator == "quality_documents_in_force") {
      const Indicator* i = FindIndicator(figure.indicator);
      ASSERT_NE(i, nullptr);
      EXPECT_EQ(i->kind, IndicatorKind::kGauge);
      EXPECT_NE(i->clause.find("5.1.3"), std::string::npos);
    }
  }
}

TEST(EventEffectsTest, AReleasedCaseIsTradeOnceOnItsReleaseDayInExactCny) {
  // Released at 00:30 on the 2nd in Shanghai; the event itself was written later.
  clr::ClearanceReleased m =
      Released("1234.56789", "142", "1210", decl::DIRECTION_IMPORT, At("2026-02-28T16:30:00Z"));
  Effects e = EffectsOf("parkline.clearance.v1.ClearanceReleased", m, At("2026-03-05T00:00:00Z"));
  EXPECT_EQ(OnceDeltas(e, "trade"),
            (std::vector<std::string>{
                "CASE-1:trade_orders{direction=import,mode=1210}@2026-03-01[3301960ABC]=1",
                "CASE-1:trade_value_cny{direction=import,mode=1210}@2026-03-01[3301960ABC]="
                "123456789"}));
}

TEST(EventEffectsTest, AForeignValueIsConvertedAtItsMonthsRateOrCountedInItsCurrency) {
  auto rates = ExchangeRates::Parse("month,currency,rate,source\n2026-03,USD,7.100000,test\n");
  ASSERT_TRUE(rates.ok());
  auto effects = [&](const clr::ClearanceReleased& m) {
    Effects e;
    std::string payload = m.SerializeAsString();
    EXPECT_TRUE(AddEffects({"parkline.clearance.v1.ClearanceReleased", absl::Now(), payload},
                           Shanghai(), *rates, &e)
                    .ok());
    return OnceDeltas(e, "trade");
  };
  // 100 USD in March: 710 CNY.
  EXPECT_EQ(effects(Released("100.00000", "502", "9610", decl::DIRECTION_EXPORT,
                             At("2026-03-31T15:00:00Z"))),
            (std::vector<std::string>{
                "CASE-1:trade_orders{direction=export,mode=9610}@2026-03-31[3301960ABC]=1",
                "CASE-1:trade_value_cny{direction=export,mode=9610}@2026-03-31[3301960ABC]="
                "71000000"}));
  // 23:00 on March 31st UTC is April 1st in Shanghai: April has no rate. Never 0 CNY.
  EXPECT_EQ(effects(Released("100.00000", "502", "9610", decl::DIRECTION_EXPORT,
                             At("2026-03-31T16:00:00Z"))),
            (std::vector<std::string>{
                "CASE-1:trade_orders{direction=export,mode=9610}@2026-04-01[3301960ABC]=1",
                "CASE-1:trade_value_unconverted{currency=USD,direction=export,mode=9610}@2026-04-"
                "01[3301960ABC]=10000000"}));
  // Without the table (the overload with none), a foreign value is unconverted too.
  Effects e = EffectsOf(
      "parkline.clearance.v1.ClearanceReleased",
      Released("5.00000", "300", "9710", decl::DIRECTION_EXPORT, At("2026-03-10T00:00:00Z")),
      absl::Now());
  EXPECT_EQ(OnceDeltas(e, "trade")[1],
            "CASE-1:trade_value_unconverted{currency=EUR,direction=export,mode=9710}@2026-03-10["
            "3301960ABC]=500000");
  // An event from before the value and currency were carried: its value_cny, in CNY.
  clr::ClearanceReleased old =
      Released("", "", "9610", decl::DIRECTION_IMPORT, At("2026-03-10T00:00:00Z"));
  old.mutable_facts()->set_value_cny("8.00000");
  EXPECT_EQ(effects(old)[1],
            "CASE-1:trade_value_cny{direction=import,mode=9610}@2026-03-10[3301960ABC]=800000");
}

TEST(EventEffectsTest, RejectedAndWithdrawnCasesAreNeverTrade) {
  clr::ClearanceRejected rejected;
  rejected.mutable_facts()->set_case_id("CASE-1");
  rejected.mutable_facts()->set_value("10.00000");
  rejected.mutable_facts()->set_currency("142");
  Effects e = EffectsOf("parkline.clearance.v1.ClearanceRejected", rejected, absl::Now());
  EXPECT_TRUE(e.once.empty());
  for (const CounterDelta& d : e.counters.Rows()) EXPECT_EQ(d.indicator, "clearance_rejected");
  decl::DeclarationWithdrawn withdrawn;
  withdrawn.mutable_declaration()->set_order_key("EBP/ORD-1");
  withdrawn.mutable_declaration()->set_value_cny("10.00000");
  e = EffectsOf("parkline.declarations.v1.DeclarationWithdrawn", withdrawn, absl::Now());
  EXPECT_TRUE(e.once.empty());
  for (const CounterDelta& d : e.counters.Rows()) {
    EXPECT_EQ(d.indicator, "declarations_withdrawn");
  }
}

TEST(EventEffectsTest, UnknownTypesAddNothingAndUnreadablePayloadsAreInvalid) {
  Effects out;
  EXPECT_TRUE(
      AddEffects({"parkline.future.v1.Something", absl::Now(), "x"}, Shanghai(), &out).ok());
  EXPECT_TRUE(out.counters.empty());
  absl::Status bad =
      AddEffects({"parkline.declarations.v1.DeclarationMatched", absl::Now(), "\xff\xff\xff"},
                 Shanghai(), &out);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  clr::ClearanceReleased m = Released("12.3.4", "142", "9610", decl::DIRECTION_IMPORT, absl::Now());
  bad = AddEffects({"parkline.clearance.v1.ClearanceReleased", absl::Now(), m.SerializeAsString()},
                   Shanghai(), &out);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
}

// A move into a hold counts the case as inspected once, by its case id (the store keeps the first
// of its facts); a move from one hold into another is no such move.
TEST(EventEffectsTest, ACaseCountsAsInspectedOnceHoweverManyHoldReceiptsItGets) {
  clr::ClearanceStatusChanged first;
  first.mutable_facts()->set_case_id("CASE-1");
  first.set_status(clr::CASE_STATUS_INSPECTION);
  first.set_previous_status(clr::CASE_STATUS_ACCEPTED);
  clr::ClearanceStatusChanged second = first;
  second.set_status(clr::CASE_STATUS_DETAINED);
  second.set_previous_status(clr::CASE_STATUS_INSPECTION);
  Effects a = EffectsOf("parkline.clearance.v1.ClearanceStatusChanged", first, absl::Now());
  Effects b = EffectsOf("parkline.clearance.v1.ClearanceStatusChanged", second, absl::Now());
  EXPECT_TRUE(a.counters.empty());
  ASSERT_EQ(a.once.size(), 1u);
  EXPECT_EQ(a.once[0].fact, "clearance_inspected");
  EXPECT_EQ(a.once[0].key, "CASE-1");
  ASSERT_EQ(a.once[0].deltas.size(), 1u);
  EXPECT_EQ(a.once[0].deltas[0].indicator, "clearance_inspected");
  EXPECT_TRUE(b.counters.empty());
  EXPECT_TRUE(b.once.empty());
}

TEST(EventEffectsTest, ReleaseTimeIsObservedInTheHistogram) {
  clr::ClearanceReleased m;
  m.mutable_facts()->mutable_submit_time()->set_seconds(1'800'000'000);
  m.mutable_release_time()->set_seconds(1'800'000'000 + 1200);  // 20 minutes
  Effects e = EffectsOf("parkline.clearance.v1.ClearanceReleased", m, absl::Now());
  bool bucket = false;
  for (const CounterDelta& d : e.counters.Rows()) {
    if (d.indicator == "clearance_release_seconds_bucket") {
      EXPECT_EQ(ParseLabels(d.labels).at("le"), "3600");
      bucket = true;
    }
    if (d.indicator == "clearance_release_seconds_sum") {
      EXPECT_EQ(d.delta, 1200);
    }
  }
  EXPECT_TRUE(bucket);
}

Snapshot Park() {
  Snapshot s;
  s.units = {{"A-1", 10000}, {"A-2", 30000}, {"B-1", 60000}};  // 100 + 300 + 600 m²
  s.enterprises = {
      {"U1", "C1", "Platform", {"ecommerce_platform", "payment"}, {"A-1"}, true},
      {"U2", "C2", "Seller", {"ecommerce_enterprise"}, {"A-2"}, true},
      {"U3", "C3", "Gone", {"ecommerce_enterprise"}, {"B-1"}, false},
      {"U4", "C4", "Carrier", {"logistics"}, {}, true},
  };
  s.ip_assets = {{"patent", "P1", "U1"}, {"trademark", "T1", "U2"}, {"patent", "P2", "U3"}};
  s.talent = {{"U1", 2025, 10, 5, 2}, {"U1", 2026, 12, 6, 3}, {"U3", 2026, 99, 99, 99}};
  return s;
}

TEST(FiguresTest, CurrentFiguresCountResidentsOnlyAndOccupancyExactly) {
  std::vector<Figure> f = CurrentFigures(Park());
  EXPECT_EQ(Current(f, "enterprises_resident"), 3);
  EXPECT_EQ(Current(f, "cross_border_enterprises_resident"), 2);
  EXPECT_EQ(Current(f, "enterprises", {{"role", "ecommerce_enterprise"}}), 1);
  EXPECT_EQ(Current(f, "enterprises", {{"role", "payment"}}), 1);
  EXPECT_EQ(Current(f, "occupancy_ratio", {{"basis", "area"}}), 4000);   // 400 / 1000 m²
  EXPECT_EQ(Current(f, "occupancy_ratio", {{"basis", "units"}}), 6667);  // 2 / 3, half up
  EXPECT_EQ(Current(f, "leasable_area_m2", {{"state", "vacant"}}), 60000);
  EXPECT_EQ(Current(f, "ip_assets", {{"kind", "patent"}}), 1);       // the departed one's is not
  EXPECT_EQ(Current(f, "talent", {{"category", "employees"}}), 12);  // latest year only
}

// The statistics measure the evaluation's inputs and score nothing (the score is the quality
// service's assessment result): an input without data is empty, not dropped and not weighed.
TEST(FiguresTest, EvaluationInputsAreMeasuredAndInputsWithoutDataStayEmpty) {
  std::vector<Figure> current = CurrentFigures(Park());
  Totals period = {{{"declarations_matched", "direction=import,mode=9610"}, 3},
                   {{"declarations_rejected", "direction=import,mode=9610"}, 1}};
  std::vector<EvaluationInput> inputs = EvaluationInputs(current, period);
  std::map<std::string, std::optional<int64_t>> by_name;
  for (const auto& c : inputs) by_name[c.name] = c.value;
  ASSERT_EQ(by_name.size(), 6u);
  EXPECT_EQ(by_name["scale"], 1333);         // 2 of 15 cross-border enterprises
  EXPECT_EQ(by_name["occupancy"], 4000);     // 400 of 1000 m²
  EXPECT_EQ(by_name["declarations"], 7500);  // 3 matched, 1 rejected
  EXPECT_FALSE(by_name["clearance"].has_value());
  EXPECT_FALSE(by_name["logistics"].has_value());
  EXPECT_FALSE(by_name["complaints"].has_value());
}

// A park at the end of a period: `units` leasable units, `residents` resident cross-border
// e-commerce enterprises (each in a unit of its own while there are units), with IP and talent.
std::vector<Figure> ParkAtEnd(int units, int residents, bool ip = true) {
  Snapshot s;
  for (int i = 0; i < units; ++i) s.units.push_back({"U" + std::to_string(i), 10000});
  for (int i = 0; i < residents; ++i) {
    s.enterprises.push_back({"E" + std::to_string(i),
                             "C" + std::to_string(i),
                             "n",
                             {"ecommerce_enterprise"},
                             {i < units ? "U" + std::to_string(i) : ""},
                             true});
  }
  if (ip && residents > 0) s.ip_assets.push_back({"trademark", "R1", "E0"});
  if (residents > 0) s.talent.push_back({"E0", 2026, 10, 4, 2});
  return CurrentFigures(s);
}

ConformanceInput Period2026(std::optional<std::vector<Figure>> at_end) {
  ConformanceInput in;
  in.from = "2026-01-01";
  in.to = "2026-03-31";
  in.at_end = std::move(at_end);
  in.at_end_day = "2026-03-31";
  in.history_from = "2026-01-01";
  in.days_required = 90;
  in.days_closed = 90;
  in.period[{"declarations_matched", "direction=import,mode=9610"}] = 3;
  in.period[{"trade_orders", "direction=import,mode=9610"}] = 1;
  in.period[{"trade_orders", "direction=export,mode=9810"}] = 1;
  return in;
}

const ClauseVerdict& Clause(const std::vector<ClauseVerdict>& verdicts, const std::string& c) {
  for (const ClauseVerdict& v : verdicts) {
    if (v.clause == c) return v;
  }
  ADD_FAILURE() << "no verdict for " << c;
  return verdicts.front();
}

TEST(ConformanceTest, Clause531IsCapacityForFifteenWithResidentsReportedApart) {
  // Met by room for 15 even with 2 residents; the residents are a criterion of their own.
  ClauseVerdict met = Clause(Conformance(Period2026(ParkAtEnd(15, 2))), "5.3.1");
  EXPECT_EQ(met.verdict, Verdict::kMet) << met.explanation;
  ASSERT_EQ(met.criteria.size(), 2u);
  EXPECT_EQ(met.criteria[0].threshold, ">= 15");
  EXPECT_EQ(met.criteria[0].value, "15");
  EXPECT_EQ(met.criteria[0].from, "2026-03-31");
  EXPECT_EQ(met.criteria[1].value, "2");
  // 14 units hold 20 residents (several to a unit): still no room for 15 enterprises of its own.
  ClauseVerdict not_met = Clause(Conformance(Period2026(ParkAtEnd(14, 20))), "5.3.1");
  EXPECT_EQ(not_met.verdict, Verdict::kNotMet) << not_met.explanation;
  EXPECT_EQ(not_met.criteria[0].value, "14");
  EXPECT_EQ(not_met.criteria[1].value, "20");
  // The period's last day was never closed: the park at its end is unknown.
  ClauseVerdict unknown = Clause(Conformance(Period2026(std::nullopt)), "5.3.1");
  EXPECT_EQ(unknown.verdict, Verdict::kNotEvaluated);
  EXPECT_FALSE(unknown.criteria[0].evaluated);
  EXPECT_NE(unknown.explanation.find("2026-03-31"), std::string::npos);
}

// The criterion of `v` whose description starts with `prefix`.
const Criterion& CriterionOf(const ClauseVerdict& v, const std::string& prefix) {
  for (const Criterion& c : v.criteria) {
    if (c.measured.rfind(prefix, 0) == 0) return c;
  }
  ADD_FAILURE() << "no criterion " << prefix << " in " << v.clause;
  return v.criteria.front();
}

TEST(ConformanceTest, Clause554NeedsEveryNamedIndicatorAndCompleteSnapshots) {
  ClauseVerdict met = Clause(Conformance(Period2026(ParkAtEnd(20, 3))), "5.5.4");
  EXPECT_EQ(met.verdict, Verdict::kMet) << met.explanation;
  for (const Criterion& c : met.criteria) EXPECT_TRUE(c.met) << c.measured;
  // 全口径: the released trade of every mode (9610 import and 9810 export), not the pipeline's
  // matches, which are reported beside it.
  EXPECT_EQ(CriterionOf(met, "全口径统计").value, "2");
  EXPECT_NE(CriterionOf(met, "全口径统计").measured.find("trade_orders"), std::string::npos);
  EXPECT_EQ(CriterionOf(met, "declarations matched").value, "3");
  EXPECT_EQ(CriterionOf(met, "declarations matched").threshold, "none");

  // Orders matched, none released yet: the pipeline has work, the park has no trade to report.
  ConformanceInput matched_only = Period2026(ParkAtEnd(20, 3));
  matched_only.period.erase({"trade_orders", "direction=import,mode=9610"});
  matched_only.period.erase({"trade_orders", "direction=export,mode=9810"});
  ClauseVerdict pending = Clause(Conformance(matched_only), "5.5.4");
  EXPECT_EQ(pending.verdict, Verdict::kNotMet);
  EXPECT_EQ(CriterionOf(pending, "全口径统计").value, "0");
  EXPECT_FALSE(CriterionOf(pending, "全口径统计").met);
  EXPECT_TRUE(CriterionOf(pending, "declarations matched").met) << "informational only";
  EXPECT_NE(pending.explanation.find("trade_orders"), std::string::npos) << pending.explanation;

  // Trade released in a mode of its own only (1239): counted, whatever the mode.
  ConformanceInput one_mode = matched_only;
  one_mode.period[{"trade_orders", "direction=import,mode=1239"}] = 4;
  ClauseVerdict bonded = Clause(Conformance(one_mode), "5.5.4");
  EXPECT_EQ(bonded.verdict, Verdict::kMet) << bonded.explanation;
  EXPECT_EQ(CriterionOf(bonded, "全口径统计").value, "4");

  // No IP recorded: 知识产权 has no value.
  ClauseVerdict no_ip = Clause(Conformance(Period2026(ParkAtEnd(20, 3, false))), "5.5.4");
  EXPECT_EQ(no_ip.verdict, Verdict::kNotMet);
  EXPECT_NE(no_ip.explanation.find("ip_assets"), std::string::npos) << no_ip.explanation;

  // One unit and one resident were enough before; without trade in the period they are not.
  ConformanceInput no_trade = Period2026(ParkAtEnd(1, 1));
  no_trade.period.clear();
  ClauseVerdict v = Clause(Conformance(no_trade), "5.5.4");
  EXPECT_EQ(v.verdict, Verdict::kNotMet);
  EXPECT_NE(v.explanation.find("trade_orders"), std::string::npos) << v.explanation;

  // A day of the period without its snapshot.
  ConformanceInput gap = Period2026(ParkAtEnd(20, 3));
  gap.days_closed = 89;
  ClauseVerdict g = Clause(Conformance(gap), "5.5.4");
  EXPECT_EQ(g.verdict, Verdict::kNotMet);
  EXPECT_NE(g.explanation.find("89 of 90"), std::string::npos) << g.explanation;

  // The park at the period's end unknown: not evaluated, though its trade is known.
  ClauseVerdict unknown = Clause(Conformance(Period2026(std::nullopt)), "5.5.4");
  EXPECT_EQ(unknown.verdict, Verdict::kNotEvaluated);
  EXPECT_TRUE(CriterionOf(unknown, "全口径统计").evaluated);
  EXPECT_EQ(CriterionOf(unknown, "全口径统计").value, "2");
}

TEST(ConformanceTest, Clause73JudgesTheComplaintsOfThePeriod) {
  ConformanceInput in = Period2026(ParkAtEnd(20, 3));
  ClauseVerdict none = Clause(Conformance(in), "7.3");
  EXPECT_EQ(none.verdict, Verdict::kNotEvaluated);
  in.period[{"complaints_resolved", "category=quality"}] = 4;
  in.period[{"complaints_resolved_on_time", "category=quality"}] = 4;
  ClauseVerdict met = Clause(Conformance(in), "7.3");
  EXPECT_EQ(met.verdict, Verdict::kMet) << met.explanation;
  EXPECT_EQ(met.criteria[0].value, "1.0000");
  EXPECT_EQ(met.criteria[0].from, "2026-01-01");
  EXPECT_EQ(met.criteria[0].to, "2026-03-31");
  in.period[{"complaints_overdue", "category=quality,deadline=resolve"}] = 1;
  ClauseVerdict late = Clause(Conformance(in), "7.3");
  EXPECT_EQ(late.verdict, Verdict::kNotMet);
  EXPECT_EQ(late.criteria[1].value, "1");
}

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(At(rfc3339)));
  return ts;
}

// The incubator's events count by cohort on the park day of the step (not of the event's
// publication), milestones by kind; the number in the incubator is admitted - graduated - left.
TEST(EventEffectsTest, IncubatorStepsCountByCohortOnTheirParkDay) {
  Effects out;
  auto add = [&](const std::string& type, const google::protobuf::Message& m) {
    std::string payload = m.SerializeAsString();
    absl::Status s = AddEffects({type, At("2026-12-01T00:00:00Z"), payload}, Shanghai(), &out);
    EXPECT_TRUE(s.ok()) << type << ": " << s;
  };
  sup::IncubateeAdmitted admitted;
  admitted.set_incubatee_id("INC-1");
  admitted.set_cohort("2026-H2");
  *admitted.mutable_admitted_time() = Ts("2026-07-01T16:30:00Z");  // 07-02 00:30 in the park
  add("parkline.support.v1.IncubateeAdmitted", admitted);
  admitted.set_incubatee_id("INC-2");
  add("parkline.support.v1.IncubateeAdmitted", admitted);
  sup::MilestoneRecorded funded;
  funded.set_milestone_id("MST-1");
  funded.set_cohort("2026-H2");
  funded.set_kind(sup::MILESTONE_KIND_FUNDING_RAISED);
  *funded.mutable_recorded_time() = Ts("2026-09-01T02:00:00Z");
  add("parkline.support.v1.MilestoneRecorded", funded);
  sup::IncubateeGraduated graduated;
  graduated.set_cohort("2026-H2");
  *graduated.mutable_graduated_time() = Ts("2026-11-01T02:00:00Z");
  add("parkline.support.v1.IncubateeGraduated", graduated);
  sup::IncubateeLeft left;
  left.set_cohort("2026-H2");
  *left.mutable_left_time() = Ts("2026-11-02T02:00:00Z");
  add("parkline.support.v1.IncubateeLeft", left);

  // Each step counts once per fact (the incubatee, or the milestone), as the repository keeps
  // the first of a fact's events only.
  std::map<std::string, std::string> rows;
  std::map<std::string, int64_t> values;
  std::set<std::string> facts;
  for (const OnceFact& f : out.once) {
    facts.insert(absl::StrCat(f.fact, "/", f.key));
    for (const OnceFact::Delta& d : f.deltas) {
      std::string key = absl::StrCat(d.indicator, "{", d.labels, "}");
      rows[key] = d.day;
      values[key] += d.delta;
    }
  }
  EXPECT_EQ(facts, (std::set<std::string>{"incubation_admitted/INC-1", "incubation_admitted/INC-2",
                                          "incubation_milestone/MST-1", "incubation_graduated/",
                                          "incubation_left/"}));
  EXPECT_TRUE(out.counters.empty());
  EXPECT_EQ(rows["incubation_admitted{cohort=2026-H2}"], "2026-07-02");
  EXPECT_EQ(values["incubation_admitted{cohort=2026-H2}"], 2);
  EXPECT_EQ(rows["incubation_milestones{kind=funding_raised}"], "2026-09-01");
  EXPECT_EQ(rows["incubation_graduated{cohort=2026-H2}"], "2026-11-01");
  EXPECT_EQ(rows["incubation_left{cohort=2026-H2}"], "2026-11-02");
  EXPECT_EQ(rows.size(), 4u);

  // A cohort that would garble the labels text, or a milestone of no kind, is unreadable.
  admitted.set_cohort("2026-H2,role=x");
  Effects bad;
  std::string payload = admitted.SerializeAsString();
  EXPECT_EQ(
      AddEffects({"parkline.support.v1.IncubateeAdmitted", At("2026-12-01T00:00:00Z"), payload},
                 Shanghai(), &bad)
          .code(),
      absl::StatusCode::kInvalidArgument);
  funded.set_kind(sup::MILESTONE_KIND_UNSPECIFIED);
  payload = funded.SerializeAsString();
  EXPECT_EQ(
      AddEffects({"parkline.support.v1.MilestoneRecorded", At("2026-12-01T00:00:00Z"), payload},
                 Shanghai(), &bad)
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.once.empty());
}

TEST(FiguresTest, TheIncubatorsCurrentFigureIsItsIncubateesByCohortZeroIncluded) {
  Snapshot s;
  s.incubation_active_by_cohort = {{"2025-H2", 0}, {"2026-H2", 3}};
  std::vector<Figure> figures = CurrentFigures(s);
  EXPECT_EQ(Current(figures, "incubation_active", {{"cohort", "2026-H2"}}), 3);
  bool zero_shown = false;
  for (const Figure& f : figures) {
    if (f.indicator == "incubation_active" && f.labels.at("cohort") == "2025-H2") zero_shown = true;
  }
  EXPECT_TRUE(zero_shown);
}

TEST(ConformanceTest, Clause691NeedsAnIntakeInThePeriodAndIncubateesFosteredAtItsEnd) {
  auto with = [](int64_t active) {
    std::vector<Figure> end = ParkAtEnd(20, 3);
    if (active >= 0) end.push_back({"incubation_active", {{"cohort", "2026-H1"}}, active});
    return end;
  };
  ConformanceInput none = Period2026(with(-1));
  ClauseVerdict empty = Clause(Conformance(none), "6.9.1");
  EXPECT_EQ(empty.verdict, Verdict::kNotMet);
  EXPECT_EQ(empty.criteria[0].value, "0");
  EXPECT_EQ(empty.criteria[1].value, "0");

  ConformanceInput in = Period2026(with(4));
  in.period[{"incubation_admitted", "cohort=2026-H1"}] = 5;
  in.period[{"incubation_left", "cohort=2026-H1"}] = 1;
  ClauseVerdict met = Clause(Conformance(in), "6.9.1");
  EXPECT_EQ(met.verdict, Verdict::kMet) << met.explanation;
  EXPECT_EQ(met.criteria[0].value, "5");
  EXPECT_EQ(met.criteria[0].from, "2026-01-01");
  EXPECT_EQ(met.criteria[1].value, "4");
  EXPECT_EQ(met.criteria[1].to, "2026-03-31");
  EXPECT_EQ(met.criteria[2].value, "1");  // left: reported
  EXPECT_NE(met.explanation.find("4 in the incubator"), std::string::npos) << met.explanation;

  // Everybody graduated within the period: still fostered.
  ConformanceInput graduated = Period2026(with(0));
  graduated.period[{"incubation_admitted", "cohort=2026-H1"}] = 2;
  graduated.period[{"incubation_graduated", "cohort=2026-H1"}] = 2;
  EXPECT_EQ(Clause(Conformance(graduated), "6.9.1").verdict, Verdict::kMet);
  // An incubator that admitted nobody in the period is not met, however many are in it.
  ConformanceInput old = Period2026(with(7));
  EXPECT_EQ(Clause(Conformance(old), "6.9.1").verdict, Verdict::kNotMet);
  // The end of the period unknown: not evaluated.
  ConformanceInput unknown = Period2026(std::nullopt);
  unknown.period[{"incubation_admitted", "cohort=2026-H1"}] = 5;
  ClauseVerdict u = Clause(Conformance(unknown), "6.9.1");
  EXPECT_EQ(u.verdict, Verdict::kNotEvaluated);
  EXPECT_TRUE(u.criteria[0].met);
}

TEST(HistoryTest, DaysCloseAfterTheParkMidnightAndTheGrace) {
  const absl::Duration grace = absl::Minutes(10);
  // 00:09 Shanghai on 03-02 is 16:09 UTC on 03-01: 03-01 is not due yet.
  absl::Time before = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 0, 9, 0), Shanghai());
  const std::set<std::string> closed = {"2026-02-27", "2026-02-28"};
  EXPECT_TRUE(DaysToClose("2026-02-27", closed, before, Shanghai(), grace).empty());
  absl::Time after = before + absl::Minutes(1);
  EXPECT_EQ(DaysToClose("2026-02-27", closed, after, Shanghai(), grace),
            std::vector<std::string>{"2026-03-01"});
  // Missed days all, oldest first; an earlier day left open too.
  EXPECT_EQ(DaysToClose("2026-02-26", {"2026-02-28"}, after, Shanghai(), grace),
            (std::vector<std::string>{"2026-02-26", "2026-02-27", "2026-03-01"}));
  EXPECT_TRUE(DaysToClose("", {}, after, Shanghai(), grace).empty());
  EXPECT_FALSE(IsBackfill("2026-03-01", after, Shanghai(), grace));
  EXPECT_TRUE(IsBackfill("2026-02-27", after, Shanghai(), grace));
  EXPECT_FALSE(IsBackfill("2026-03-01", after + absl::Minutes(59), Shanghai(), grace));
  EXPECT_TRUE(IsBackfill("2026-03-01", after + absl::Hours(1), Shanghai(), grace));
}

TEST(FiguresTest, RatesAreRatiosOfThePeriodsCountersAndAbsentWithoutADenominator) {
  Totals period = {{{"clearance_released", "direction=import,mode=9610"}, 6},
                   {{"clearance_released", "direction=export,mode=9710"}, 1},
                   {{"clearance_rejected", "direction=import,mode=9610"}, 1},
                   {{"clearance_submitted", "direction=import,mode=9610"}, 8},
                   {{"clearance_inspected", "direction=import,mode=9610"}, 1}};
  std::map<std::string, int64_t> rates;
  for (const Figure& f : PeriodRates(period)) rates[f.indicator] = f.scaled;
  EXPECT_EQ(rates["clearance_release_rate"], 8750);    // 7 / 8
  EXPECT_EQ(rates["clearance_rejection_rate"], 1250);  // 1 / 8
  EXPECT_EQ(rates["clearance_inspection_rate"], 1250);
  EXPECT_EQ(rates.count("shipment_exception_rate"), 0u);  // nothing created: no rate, not 0
}

TEST(PeriodsTest, BucketsAndBadPeriodsNameTheField) {
  DayRange range{absl::CivilDay(2025, 12, 30), absl::CivilDay(2026, 1, 2)};
  EXPECT_EQ(Buckets(range, v1::GRANULARITY_DAY).size(), 4u);
  EXPECT_EQ(Buckets(range, v1::GRANULARITY_MONTH),
            (std::vector<std::string>{"2025-12", "2026-01"}));
  EXPECT_EQ(Buckets(range, v1::GRANULARITY_YEAR), (std::vector<std::string>{"2025", "2026"}));
  v1::Period p;
  p.mutable_from()->set_year(2026);
  p.mutable_from()->set_month(2);
  p.mutable_from()->set_day(30);
  p.mutable_to()->set_year(2026);
  p.mutable_to()->set_month(3);
  p.mutable_to()->set_day(1);
  auto bad = ResolvePeriod(p, "period", range);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("period.from"), absl::string_view::npos);
  p.mutable_from()->set_day(28);
  p.mutable_to()->set_month(1);
  EXPECT_NE(ResolvePeriod(p, "period", range).status().message().find("after"),
            absl::string_view::npos);
}

TEST(MetricsTest, HistogramsAreCumulativeAndCountersCarryTheirClause) {
  StatisticsDesk::Everything all;
  all.all_time = {{{"clearance_release_seconds_bucket", "direction=import,le=60,mode=9610"}, 2},
                  {{"clearance_release_seconds_bucket", "direction=import,le=3600,mode=9610"}, 3},
                  {{"clearance_release_seconds_bucket", "direction=import,le=+Inf,mode=9610"}, 1},
                  {{"clearance_release_seconds_sum", "direction=import,mode=9610"}, 90000},
                  {{"clearance_release_seconds_count", "direction=import,mode=9610"}, 6},
                  {{"trade_value_cny", "direction=import,mode=9610"}, 150000}};
  bool histogram = false, counter = false;
  for (const auto& f : ToMetricFamilies(all)) {
    if (f.name == "parkline_clearance_release_seconds") {
      histogram = true;
      ASSERT_EQ(f.metric.size(), 1u);
      const auto& buckets = f.metric[0].histogram.bucket;
      EXPECT_EQ(buckets.front().cumulative_count, 2u);
      EXPECT_EQ(buckets.back().cumulative_count, 6u);
      EXPECT_EQ(f.metric[0].histogram.sample_count, 6u);
    }
    if (f.name == "parkline_trade_value_cny_total") {
      counter = true;
      EXPECT_DOUBLE_EQ(f.metric[0].counter.value, 1.5);
      EXPECT_NE(f.help.find("5.5.4"), std::string::npos);
    }
  }
  EXPECT_TRUE(histogram);
  EXPECT_TRUE(counter);
}

TEST(MetricsTest, TheClosingOfDaysIsCountedAndTheLastClosedDaysEndIsATimestamp) {
  StatisticsDesk::Everything all;
  std::map<std::string, double> seen;
  for (const auto& f : ToMetricFamilies(all)) {
    if (absl::StartsWith(f.name, "parkline_statistics_")) seen[f.name] = f.metric[0].counter.value;
  }
  EXPECT_EQ(seen, (std::map<std::string, double>{{"parkline_statistics_days_closed_total", 0},
                                                 {"parkline_statistics_day_revisions_total", 0}}))
      << "no day closed yet: counters at 0, and no timestamp to alert on";

  all.days_closed = 3;
  all.day_revisions = 2;
  all.last_closed_day_end = absl::FromUnixSeconds(1772553600);  // 2026-03-04 00:00 in Shanghai
  seen.clear();
  for (const auto& f : ToMetricFamilies(all)) {
    if (!absl::StartsWith(f.name, "parkline_statistics_")) continue;
    ASSERT_EQ(f.metric.size(), 1u);
    seen[f.name] = f.type == prometheus::MetricType::Gauge ? f.metric[0].gauge.value
                                                           : f.metric[0].counter.value;
  }
  EXPECT_EQ(seen, (std::map<std::string, double>{
                      {"parkline_statistics_days_closed_total", 3},
                      {"parkline_statistics_day_revisions_total", 2},
                      {"parkline_statistics_last_closed_day_end_timestamp_seconds", 1772553600}}));
}

}  // namespace
}  // namespace parkline::statistics
