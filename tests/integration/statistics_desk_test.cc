// The statistics' store and queries on both backends (SQLite, PostgreSQL): events applied by the
// aggregator in batches, then every query's answer checked against numbers counted by hand; and
// every RPC of the service against every role.
#include "statistics/statistics_desk.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "auth/credentials.h"
#include "auth/grpc_authorizer.h"
#include "events/envelope.h"
#include "events/schema.h"
#include "grpcpp/create_channel.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/logistics/v1/events.pb.h"
#include "runtime/server.h"
#include "statistics/access_policy.h"
#include "statistics/aggregator.h"
#include "statistics/schema.h"
#include "statistics/statistics_repository.h"
#include "statistics/statistics_service.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/counting_database.h"
#include "tests/support/plaintext_scan.h"
#include "tests/support/test_env.h"

namespace parkline::statistics {
namespace {

namespace decl = parkline::declarations::v1;
namespace ent = parkline::enterprises::v1;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

// Noon in Shanghai on 2026-<month>-<day>.
absl::Time Noon(int month, int day) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, 12, 0, 0), Shanghai());
}

common::v1::Date Date(int year, int month, int day) {
  common::v1::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  return d;
}

v1::Period Period(int m1, int d1, int m2, int d2) {
  v1::Period p;
  *p.mutable_from() = Date(2026, m1, d1);
  *p.mutable_to() = Date(2026, m2, d2);
  return p;
}

events::Envelope Matched(const std::string& ebc, const std::string& mode, const std::string& value,
                         absl::Time when) {
  decl::DeclarationMatched m;
  m.mutable_declaration()->set_ebc_code(ebc);
  m.mutable_declaration()->set_business_mode(mode);
  m.mutable_declaration()->set_direction(decl::DIRECTION_IMPORT);
  m.mutable_declaration()->set_value_cny(value);
  return events::NewEvent("parkline.declarations.v1", "/t", "k", m, when);
}

// The order customs released: its trade, counted once per case.
events::Envelope Released(const std::string& ebc, const std::string& mode, const std::string& value,
                          const std::string& currency, const std::string& case_id,
                          absl::Time when) {
  clearance::v1::ClearanceReleased m;
  auto* f = m.mutable_facts();
  f->set_case_id(case_id);
  f->set_ebc_code(ebc);
  f->set_business_mode(mode);
  f->set_direction(decl::DIRECTION_IMPORT);
  f->set_value(value);
  f->set_currency(currency);
  if (currency == "142") f->set_value_cny(value);
  m.mutable_release_time()->set_seconds(absl::ToUnixSeconds(when));
  return events::NewEvent("parkline.clearance.v1", "/t", case_id, m, when);
}

// An order matched and released the same day (each call a new order and case).
std::vector<events::Envelope> Cleared(const std::string& ebc, const std::string& mode,
                                      const std::string& value, absl::Time when) {
  static int n = 0;
  std::string order = absl::StrCat("EBP/ORD-", ++n);
  events::Envelope matched = Matched(ebc, mode, value, when);
  decl::DeclarationMatched m;
  m.ParseFromString(matched.payload);
  m.mutable_declaration()->set_order_key(order);
  matched.payload = m.SerializeAsString();
  return {matched, Released(ebc, mode, value, "142", "CASE-" + order, when)};
}

std::vector<events::Envelope> Join(std::initializer_list<std::vector<events::Envelope>> parts) {
  std::vector<events::Envelope> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

events::Envelope Admitted(const std::string& uscc, const std::string& customs_code,
                          ent::EnterpriseRole role, const std::string& unit, absl::Time when) {
  ent::EnterpriseAdmitted m;
  m.mutable_enterprise()->set_uscc(uscc);
  m.mutable_enterprise()->set_customs_code(customs_code);
  m.mutable_enterprise()->set_name("Name " + uscc);
  m.mutable_enterprise()->add_roles(role);
  if (!unit.empty()) m.mutable_enterprise()->add_unit_ids(unit);
  return events::NewEvent("parkline.enterprises.v1", "/t", uscc, m, when);
}

events::Envelope Unit(const std::string& id, const std::string& area) {
  ent::UnitDefined m;
  m.mutable_unit()->set_unit_id(id);
  m.mutable_unit()->set_leasable_area_m2(area);
  return events::NewEvent("parkline.enterprises.v1", "/t", id, m, Noon(1, 1));
}

class StatisticsDeskTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    desk_ = std::make_unique<StatisticsDesk>(*db_, Shanghai(), [] { return Noon(3, 15); });
  }

  void Apply(const std::vector<events::Envelope>& batch, const ExchangeRates& rates = {}) {
    Aggregator aggregator(Shanghai(), rates);
    std::vector<events::EventView> views;
    for (const events::Envelope& e : batch) views.push_back(events::ViewOf(e));
    ASSERT_TRUE(
        db_->Transact([&](store::Transaction& tx) { return aggregator.Apply(tx, views); }).ok());
  }

  // Applies `effects` in a transaction of its own; how many calls it made (round trips on
  // PostgreSQL), or -1 when it failed.
  int CallsToApply(const Effects& effects) {
    testing::CountingDatabase counting(*db_);
    absl::Status applied =
        counting.Transact([&](store::Transaction& tx) { return ApplyEffects(tx, effects); });
    EXPECT_TRUE(applied.ok()) << applied;
    return applied.ok() ? counting.calls.load() : -1;
  }

  std::unique_ptr<StatisticsDesk> desk_;
};

// A batch's counters, here 364 rows of both tables (five statements of at most a hundred rows),
// go in one call: one round trip on PostgreSQL rather than one per statement. Applied twice, every
// row holds both deltas.
TEST_P(StatisticsDeskTest, ABatchsCountersGoInOneCall) {
  CounterDeltas deltas;
  for (int day = 1; day <= 28; ++day) {
    for (int code = 0; code < 12; ++code) {
      deltas.Add("test_orders", "mode=9610", absl::StrFormat("2026-02-%02d", day), code + 1,
                 absl::StrCat("CODE-", code));
    }
  }
  Effects effects;
  effects.counters = deltas;
  ASSERT_EQ(effects.counters.size(), 28u * 13u);
  EXPECT_EQ(CallsToApply(effects), 1);
  EXPECT_EQ(CallsToApply(effects), 1);
  int64_t park = -1, enterprises = -1, rows = -1;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   auto all = tx.QueryAll(
                       {{"SELECT CAST(SUM(value) AS BIGINT) FROM stat_counter WHERE indicator = "
                         "'test_orders'",
                         {}},
                        {"SELECT CAST(SUM(value) AS BIGINT), COUNT(*) FROM stat_enterprise_counter "
                         "WHERE indicator = 'test_orders'",
                         {}}});
                   if (!all.ok()) return all.status();
                   park = (*all)[0].front().Int(0);
                   enterprises = (*all)[1].front().Int(0);
                   rows = (*all)[1].front().Int(1);
                   return absl::OkStatus();
                 })
                  .ok());
  // Each day's twelve enterprises add 1 + 2 + ... + 12 = 78, twice.
  EXPECT_EQ(park, 2 * 28 * 78);
  EXPECT_EQ(enterprises, 2 * 28 * 78);
  EXPECT_EQ(rows, 28 * 12);
}

// Facts counted once, 250 of them (three statements of at most a hundred rows), are recorded in
// one call and their counters in one more; applied again, none counts twice.
TEST_P(StatisticsDeskTest, ABatchsOnceFactsGoInOneCall) {
  Effects effects;
  for (int i = 0; i < 250; ++i) {
    effects.once.push_back(
        {"test_fact", absl::StrCat("key-", i), {{"test_once", "", "2026-02-01", 1, ""}}});
  }
  // The facts; then, the first time only, the one counter they add to.
  EXPECT_EQ(CallsToApply(effects), 2);
  EXPECT_EQ(CallsToApply(effects), 1);
  EXPECT_EQ(testing::ColumnOf(*db_,
                              "SELECT CAST(SUM(value) AS TEXT) FROM stat_counter WHERE "
                              "indicator = 'test_once'"),
            std::vector<std::string>{"250"});
}

TEST_P(StatisticsDeskTest, SeriesTotalsTopListAndExportAgreeWithTheEvents) {
  Apply({Unit("U-1", "300.00"), Unit("U-2", "100.50"),
         Admitted("USCC-A", "CODE-A", ent::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE, "U-1", Noon(1, 5)),
         Admitted("USCC-B", "CODE-B", ent::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM, "", Noon(2, 5))});
  // Two batches, so that the upserts add to rows already there.
  Apply(Join({Cleared("CODE-A", "9610", "100.10000", Noon(2, 28)),
              Cleared("CODE-A", "9610", "0.00001", Noon(3, 1)),
              Cleared("CODE-B", "1210", "50.00000", Noon(3, 1))}));
  Apply(Join({Cleared("CODE-A", "9610", "200.00000", Noon(3, 15)),
              Cleared("CODE-B", "9610", "1.00000", Noon(3, 15))}));

  v1::GetTimeSeriesRequest request;
  request.set_indicator("trade_value_cny");
  *request.mutable_period() = Period(2, 27, 3, 15);
  request.set_granularity(v1::GRANULARITY_MONTH);
  (*request.mutable_label_filter())["mode"] = "9610";
  auto series = desk_->TimeSeries(request);
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->series_size(), 1);
  ASSERT_EQ(series->series(0).points_size(), 2);
  EXPECT_EQ(series->series(0).points(0).bucket(), "2026-02");
  EXPECT_EQ(series->series(0).points(0).value(), "100.10000");
  EXPECT_EQ(series->series(0).points(1).value(), "201.00001");
  EXPECT_EQ(series->series(0).total(), "301.10001");

  // A rate per bucket: matched / (matched + rejected); nothing was rejected.
  v1::GetTimeSeriesRequest rate_request = request;
  rate_request.set_indicator("declaration_match_rate");
  rate_request.clear_label_filter();
  auto rate = desk_->TimeSeries(rate_request);
  ASSERT_TRUE(rate.ok()) << rate.status();
  ASSERT_EQ(rate->series_size(), 1);
  EXPECT_EQ(rate->series(0).points(0).value(), "1.0000");
  EXPECT_EQ(rate->series(0).total(), "1.0000");

  auto overview = desk_->Overview();
  ASSERT_TRUE(overview.ok()) << overview.status();
  std::map<std::string, std::string> month;
  for (const auto& totals : overview->totals()) {
    if (totals.name() != "month_to_date") continue;
    for (const auto& v : totals.values()) {
      if (v.indicator() == "declarations_matched") month[v.labels().at("mode")] = v.value();
    }
  }
  EXPECT_EQ(month["9610"], "3");
  EXPECT_EQ(month["1210"], "1");
  std::string area_ratio;
  for (const auto& v : overview->current()) {
    if (v.indicator() == "occupancy_ratio" && v.labels().at("basis") == "area") {
      area_ratio = v.value();
    }
  }
  EXPECT_EQ(area_ratio, "0.7491");  // 300.00 / 400.50

  v1::ListTopEnterprisesRequest top_request;
  *top_request.mutable_period() = Period(1, 1, 3, 31);
  auto top = desk_->TopEnterprises(top_request);
  ASSERT_TRUE(top.ok()) << top.status();
  ASSERT_EQ(top->enterprises_size(), 2);
  EXPECT_EQ(top->enterprises(0).uscc(), "USCC-A");
  EXPECT_EQ(top->enterprises(0).trade_value_cny(), "300.10001");
  EXPECT_EQ(top->enterprises(0).declarations(), 3);
  EXPECT_EQ(top->enterprises(1).trade_value_cny(), "51.00000");

  v1::ExportPeriodRequest export_request;
  *export_request.mutable_period() = Period(3, 1, 3, 1);
  auto csv = desk_->Export(export_request);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->content(),
            "day,indicator,labels,value,unit,clause\n"
            "2026-03-01,clearance_released,\"direction=import,mode=1210\",1,count,6.2\n"
            "2026-03-01,clearance_released,\"direction=import,mode=9610\",1,count,6.2\n"
            "2026-03-01,declarations_matched,\"direction=import,mode=1210\",1,count,6.2.3\n"
            "2026-03-01,declarations_matched,\"direction=import,mode=9610\",1,count,6.2.3\n"
            "2026-03-01,trade_orders,\"direction=import,mode=1210\",1,count,5.5.4\n"
            "2026-03-01,trade_orders,\"direction=import,mode=9610\",1,count,5.5.4\n"
            "2026-03-01,trade_value_cny,\"direction=import,mode=1210\",50.00000,CNY,5.5.4\n"
            "2026-03-01,trade_value_cny,\"direction=import,mode=9610\",0.00001,CNY,5.5.4\n");
  EXPECT_EQ(csv->sha256(), auth::Sha256Hex(csv->content()));
}

// Migration 3: on PostgreSQL the counters leave room on their pages for updates in place and
// compare their keys byte by byte, as SQLite does; on SQLite it changes nothing but is recorded.
TEST_P(StatisticsDeskTest, CountersAreUpdatedInPlaceAndTheirKeysCompareByteByByte) {
  std::vector<std::string> facts;
  ASSERT_TRUE(db_->Read([&](store::Transaction& tx) -> absl::Status {
                   // Applied, whatever later migrations follow it.
                   auto version = tx.Query(
                       "SELECT version FROM schema_migrations WHERE component = "
                       "'statistics' AND version = 3");
                   if (!version.ok()) return version.status();
                   facts.push_back(absl::StrCat("version ", version->front().Int(0)));
                   if (db_->backend() != "postgresql") return absl::OkStatus();
                   auto rows = tx.Query(
                       "SELECT c.relname || ' ' || array_to_string(c.reloptions, ',') FROM "
                       "pg_class AS c WHERE c.relname IN ('stat_counter', "
                       "'stat_enterprise_counter') ORDER BY 1");
                   if (!rows.ok()) return rows.status();
                   for (const store::Row& r : *rows) facts.push_back(r.Text(0));
                   rows = tx.Query(
                       "SELECT a.attrelid::regclass::text || '.' || a.attname || ' ' || "
                       "co.collname FROM pg_attribute AS a JOIN pg_collation AS co ON co.oid = "
                       "a.attcollation WHERE a.attrelid IN ('stat_counter'::regclass, "
                       "'stat_enterprise_counter'::regclass) AND a.attnum > 0 ORDER BY 1");
                   if (!rows.ok()) return rows.status();
                   for (const store::Row& r : *rows) facts.push_back(r.Text(0));
                   return absl::OkStatus();
                 })
                  .ok());
  if (db_->backend() != "postgresql") {
    EXPECT_EQ(facts, (std::vector<std::string>{"version 3"}));
    return;
  }
  EXPECT_EQ(facts,
            (std::vector<std::string>{
                "version 3", "stat_counter fillfactor=70", "stat_enterprise_counter fillfactor=70",
                "stat_counter.day C", "stat_counter.indicator C", "stat_counter.labels C",
                "stat_enterprise_counter.day C", "stat_enterprise_counter.enterprise C",
                "stat_enterprise_counter.indicator C", "stat_enterprise_counter.labels C"}));
}

template <typename M>
events::Envelope Verdict(const std::string& order, absl::Time when) {
  M m;
  m.mutable_declaration()->set_order_key(order);
  m.mutable_declaration()->set_ebc_code("CODE-A");
  m.mutable_declaration()->set_business_mode("9610");
  m.mutable_declaration()->set_direction(decl::DIRECTION_EXPORT);
  return events::NewEvent("parkline.declarations.v1", "/t", order, m, when);
}

events::Envelope CaseRejected(const std::string& case_id, absl::Time when) {
  clearance::v1::ClearanceRejected m;
  m.mutable_facts()->set_case_id(case_id);
  m.mutable_facts()->set_business_mode("9610");
  m.mutable_facts()->set_direction(decl::DIRECTION_IMPORT);
  m.mutable_facts()->set_value("99.00000");
  m.mutable_facts()->set_currency("142");
  return events::NewEvent("parkline.clearance.v1", "/t", case_id, m, when);
}

// Trade counts once per case at customs' release, converted at the month's rate or kept in its
// currency; the declarations pipeline once per order however often it is re-rejected or
// re-matched; within one batch and across batches, on both backends.
TEST_P(StatisticsDeskTest, TradeCountsOncePerReleasedCaseAndVerdictsOncePerOrder) {
  auto rates = ExchangeRates::Parse("month,currency,rate,source\n2026-03,USD,7.100000,test\n");
  ASSERT_TRUE(rates.ok());
  // Order A: rejected three times (twice in one batch), then matched, withdrawn, matched again.
  Apply({Verdict<decl::DeclarationRejected>("EBP/A", Noon(3, 2)),
         Verdict<decl::DeclarationRejected>("EBP/A", Noon(3, 2))},
        *rates);
  Apply({Verdict<decl::DeclarationRejected>("EBP/A", Noon(3, 3)),
         Verdict<decl::DeclarationMatched>("EBP/A", Noon(3, 3)),
         Verdict<decl::DeclarationWithdrawn>("EBP/A", Noon(3, 4))},
        *rates);
  Apply({Verdict<decl::DeclarationMatched>("EBP/A", Noon(3, 5))}, *rates);
  // Its case released twice in one batch (a redelivered receipt) and once more later; a case
  // customs rejected; a USD export at March's rate and a EUR one with no rate.
  events::Envelope usd = Released("CODE-A", "9610", "100.00000", "502", "CASE-USD", Noon(3, 6));
  events::Envelope eur = Released("CODE-A", "9710", "42.50000", "300", "CASE-EUR", Noon(3, 6));
  for (events::Envelope* e : {&usd, &eur}) {
    clearance::v1::ClearanceReleased m;
    m.ParseFromString(e->payload);
    m.mutable_facts()->set_direction(decl::DIRECTION_EXPORT);
    e->payload = m.SerializeAsString();
  }
  Apply({Released("CODE-A", "9610", "10.00000", "142", "CASE-A", Noon(3, 6)),
         Released("CODE-A", "9610", "10.00000", "142", "CASE-A", Noon(3, 6)),
         CaseRejected("CASE-R", Noon(3, 6)), usd, eur},
        *rates);
  Apply({Released("CODE-A", "9610", "10.00000", "142", "CASE-A", Noon(3, 7))}, *rates);

  auto total = [&](const std::string& indicator, const std::map<std::string, std::string>& f) {
    v1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    *request.mutable_period() = Period(3, 1, 3, 31);
    request.set_granularity(v1::GRANULARITY_MONTH);
    for (const auto& [k, v] : f) (*request.mutable_label_filter())[k] = v;
    auto series = desk_->TimeSeries(request);
    EXPECT_TRUE(series.ok()) << series.status();
    if (!series.ok() || series->series_size() == 0) return std::string("none");
    EXPECT_EQ(series->series_size(), 1) << indicator;
    return series->series(0).total();
  };
  EXPECT_EQ(total("declarations_rejected", {}), "1");
  EXPECT_EQ(total("declarations_matched", {}), "1");
  EXPECT_EQ(total("declarations_withdrawn", {}), "1");
  EXPECT_EQ(total("declaration_match_rate", {}), "0.5000");
  EXPECT_EQ(total("trade_orders", {{"direction", "import"}}), "1");
  EXPECT_EQ(total("trade_value_cny", {{"direction", "import"}}), "10.00000");
  // 100 USD at 7.1: 710 CNY.
  EXPECT_EQ(total("trade_orders", {{"direction", "export"}, {"mode", "9610"}}), "1");
  EXPECT_EQ(total("trade_value_cny", {{"direction", "export"}, {"mode", "9610"}}), "710.00000");
  // EUR has no March rate: counted in EUR, flagged, and never as CNY.
  EXPECT_EQ(total("trade_orders", {{"mode", "9710"}}), "1");
  EXPECT_EQ(total("trade_value_cny", {{"mode", "9710"}}), "none");
  EXPECT_EQ(total("trade_value_unconverted", {{"mode", "9710"}, {"currency", "EUR"}}), "42.50000");
  // The rejected case is in the pipeline, never in trade.
  EXPECT_EQ(total("clearance_rejected", {}), "1");
  EXPECT_EQ(total("trade_orders", {{"mode", "9610"}, {"direction", "import"}}), "1");
}

events::Envelope Hold(const std::string& case_id, clearance::v1::CaseStatus before,
                      clearance::v1::CaseStatus after, absl::Time returned) {
  clearance::v1::ClearanceStatusChanged m;
  m.mutable_facts()->set_case_id(case_id);
  m.mutable_facts()->set_business_mode("9610");
  m.mutable_facts()->set_direction(decl::DIRECTION_IMPORT);
  m.set_previous_status(before);
  m.set_status(after);
  m.mutable_return_time()->set_seconds(absl::ToUnixSeconds(returned));
  return events::NewEvent("parkline.clearance.v1", "/t", case_id, m, returned);
}

// Clearance replays a case's receipts in customs' time order and publishes the new receipt's
// place in it: a detention read first and an inspection receipt of earlier time read after it
// both come after CONCLUDED. Each case counts once as inspected, its hold receipts in any order,
// in one batch or several, delivered again or not.
TEST_P(StatisticsDeskTest, ACaseCountsOnceAsInspectedWhateverOrderItsHoldReceiptsCome) {
  using clearance::v1::CASE_STATUS_CONCLUDED;
  using clearance::v1::CASE_STATUS_DETAINED;
  using clearance::v1::CASE_STATUS_INSPECTION;
  Apply({Hold("CASE-1", CASE_STATUS_CONCLUDED, CASE_STATUS_DETAINED, Noon(3, 3))});
  Apply({Hold("CASE-1", CASE_STATUS_CONCLUDED, CASE_STATUS_INSPECTION, Noon(3, 2)),
         Hold("CASE-1", CASE_STATUS_CONCLUDED, CASE_STATUS_DETAINED, Noon(3, 3))});
  Apply({Hold("CASE-2", CASE_STATUS_CONCLUDED, CASE_STATUS_DETAINED, Noon(3, 5)),
         Hold("CASE-2", CASE_STATUS_CONCLUDED, CASE_STATUS_INSPECTION, Noon(3, 4)),
         Hold("CASE-2", CASE_STATUS_INSPECTION, CASE_STATUS_DETAINED, Noon(3, 5))});
  v1::GetTimeSeriesRequest request;
  request.set_indicator("clearance_inspected");
  *request.mutable_period() = Period(3, 1, 3, 31);
  auto series = desk_->TimeSeries(request);
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->series_size(), 1);
  EXPECT_EQ(series->series(0).total(), "2");
  // Each on the day of the first hold receipt read.
  EXPECT_EQ(series->series(0).points(2).value(), "1");
  EXPECT_EQ(series->series(0).points(4).value(), "1");
}

// Shipments by current status: each shipment counts once, under its latest status, across
// batches and within one.
TEST_P(StatisticsDeskTest, ShipmentsAreCountedOnceUnderTheirCurrentStatus) {
  namespace lv1 = parkline::logistics::v1;
  auto created = [](const std::string& waybill) {
    lv1::ShipmentCreated m;
    m.mutable_key()->set_carrier_code("SF");
    m.mutable_key()->set_waybill_no(waybill);
    return events::NewEvent("parkline.logistics.v1", "/t", "SF/" + waybill, m, Noon(3, 1));
  };
  auto moved = [](const std::string& waybill, lv1::ShipmentStatus status) {
    lv1::ShipmentStatusChanged m;
    m.mutable_key()->set_carrier_code("SF");
    m.mutable_key()->set_waybill_no(waybill);
    m.set_status(status);
    return events::NewEvent("parkline.logistics.v1", "/t", "SF/" + waybill, m, Noon(3, 2));
  };
  Apply(
      {created("W1"), created("W2"), created("W3"), moved("W1", lv1::SHIPMENT_STATUS_IN_TRANSIT)});
  Apply({moved("W1", lv1::SHIPMENT_STATUS_DELIVERED), moved("W2", lv1::SHIPMENT_STATUS_IN_TRANSIT),
         moved("W2", lv1::SHIPMENT_STATUS_IN_TRANSIT)});
  auto overview = desk_->Overview();
  ASSERT_TRUE(overview.ok()) << overview.status();
  std::map<std::string, std::string> by_status;
  for (const auto& v : overview->current()) {
    if (v.indicator() == "shipments") by_status[v.labels().at("status")] = v.value();
  }
  EXPECT_EQ(by_status, (std::map<std::string, std::string>{
                           {"delivered", "1"}, {"in_transit", "1"}, {"info_received", "1"}}));
}

TEST_P(StatisticsDeskTest, BadQueriesNameTheFieldAndTheRule) {
  v1::GetTimeSeriesRequest request;
  request.set_indicator("no_such_thing");
  EXPECT_EQ(desk_->TimeSeries(request).status().code(), absl::StatusCode::kInvalidArgument);
  // The score moved to the quality service (one place, not two): asking here says where it is.
  request.set_indicator("service_score");
  auto gauge = desk_->TimeSeries(request);
  EXPECT_EQ(gauge.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(gauge.status().message().find("GetAssessmentResult"), absl::string_view::npos);
  request.set_indicator("conformance");
  auto verdicts = desk_->TimeSeries(request);
  EXPECT_NE(verdicts.status().message().find("computed for a period"), absl::string_view::npos);
  request.set_indicator("declarations_matched");
  *request.mutable_period() = Period(3, 2, 3, 1);
  auto backwards = desk_->TimeSeries(request);
  EXPECT_NE(backwards.status().message().find("period: from 2026-03-02 is after"),
            absl::string_view::npos);
  v1::GetEnterpriseFiguresRequest figures;
  figures.set_uscc("NOBODY");
  EXPECT_EQ(desk_->EnterpriseFigures(figures).status().code(), absl::StatusCode::kNotFound);
  v1::ExportPeriodRequest no_period;
  EXPECT_NE(desk_->Export(no_period).status().message().find("period: required"),
            absl::string_view::npos);
}

PARKLINE_BACKEND_TESTS(StatisticsDeskTest);

// --- who may call what ----------------------------------------------------------------------

constexpr char kOwn[] = "91350100M000100Y43";
constexpr char kOther[] = "91440300708461136T";

const testing::AccessTable kExpected = {
    {"GetOverview", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"GetTimeSeries", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"GetEnterpriseFigures", {{"park-admin", "park-staff", "analyst"}, {"enterprise"}}},
    {"ListTopEnterprises", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"ExportPeriod", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"GetConformance", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"GetServiceScore", {{"park-admin", "park-staff", "analyst"}, {}}},
};

using Stub = v1::StatisticsService::Stub;
using Call = std::function<grpc::Status(Stub&, grpc::ClientContext*, const std::string& uscc)>;

const std::map<std::string, Call>& Calls() {
  static const auto* calls = new std::map<std::string, Call>{
      {"GetOverview",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Overview out;
         return s.GetOverview(c, {}, &out);
       }},
      {"GetTimeSeries",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetTimeSeriesRequest r;
         r.set_indicator("declarations_matched");
         v1::TimeSeries out;
         return s.GetTimeSeries(c, r, &out);
       }},
      {"GetEnterpriseFigures",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::GetEnterpriseFiguresRequest r;
         r.set_uscc(uscc);
         v1::EnterpriseFigures out;
         return s.GetEnterpriseFigures(c, r, &out);
       }},
      {"ListTopEnterprises",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListTopEnterprisesResponse out;
         return s.ListTopEnterprises(c, {}, &out);
       }},
      {"ExportPeriod",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ExportPeriodRequest r;
         *r.mutable_period() = Period(1, 1, 1, 2);
         v1::ExportPeriodResponse out;
         return s.ExportPeriod(c, r, &out);
       }},
      {"GetConformance",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::Conformance out;
         return s.GetConformance(c, {}, &out);
       }},
      {"GetServiceScore",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ServiceScore out;
         return s.GetServiceScore(c, {}, &out);
       }},
  };
  return *calls;
}

class StatisticsAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/s.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    desk_ = std::make_unique<StatisticsDesk>(*db_, Shanghai());
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), kOwn, "", "SF",
        [&](const auth::Authorizer& a) { return std::make_unique<StatisticsService>(*desk_, a); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::StatisticsService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<StatisticsDesk> desk_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(StatisticsAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> names;
  for (const auto& [name, call] : Calls()) names.insert(name);
  testing::ExpectTableCoversService(
      v1::Overview::descriptor()->file()->FindServiceByName("StatisticsService"), kExpected, names);
}

TEST_F(StatisticsAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(StatisticsAccessTest, NoOrUnknownCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

}  // namespace
}  // namespace parkline::statistics
