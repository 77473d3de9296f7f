// The statistics service as the park runs it: the enterprises, declarations and statistics
// binaries as processes on the real local Kafka broker, each test on topics of its own (a topic
// prefix), so that the figures are exactly the ones the test counts by hand.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "events/envelope.h"
#include "events/kafka_producer.h"
#include "parkline/clearance/v1/events.pb.h"
#include "parkline/complaints/v1/complaints.grpc.pb.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/declarations/v1/events.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "parkline/enterprises/v1/events.pb.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "samples/import_sets.h"
#include "tests/support/service_process.h"

namespace parkline {
namespace {

namespace dv1 = declarations::v1;
namespace ev1 = enterprises::v1;
namespace sv1 = statistics::v1;
using Declarations = testing::ServiceUnderTest<dv1::DeclarationService>;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;
using Statistics = testing::ServiceUnderTest<sv1::StatisticsService>;
namespace cv1 = complaints::v1;
using Complaints = testing::ServiceUnderTest<cv1::ComplaintService>;

constexpr const char* kDomains[] = {"parkline.enterprises.v1", "parkline.declarations.v1",
                                    "parkline.clearance.v1",   "parkline.logistics.v1",
                                    "parkline.complaints.v1",  "parkline.support.v1",
                                    "parkline.deadletter.v1"};

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

common::v1::Date DateOf(absl::CivilDay d) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(d.year()));
  date.set_month(d.month());
  date.set_day(d.day());
  return date;
}

std::string Text(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// Customs released the case of `order_key` at `when`: its trade, in CNY.
events::Envelope Released(const std::string& order_key, const std::string& mode,
                          const std::string& ebc, const std::string& value_cny, absl::Time when) {
  clearance::v1::ClearanceReleased m;
  m.mutable_facts()->set_case_id("CASE/" + order_key);
  m.mutable_facts()->set_order_key(order_key);
  m.mutable_facts()->set_business_mode(mode);
  m.mutable_facts()->set_direction(dv1::DIRECTION_IMPORT);
  m.mutable_facts()->set_ebc_code(ebc);
  m.mutable_facts()->set_value(value_cny);
  m.mutable_facts()->set_currency("142");
  m.mutable_facts()->set_value_cny(value_cny);
  m.mutable_release_time()->set_seconds(absl::ToUnixSeconds(when));
  return events::NewEvent("parkline.clearance.v1", "/parkline/clearance", "CASE/" + order_key, m,
                          when);
}

class StatisticsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
    for (const char* topic : kDomains) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    // Where the statistics publish each closed park day.
    ASSERT_TRUE(testing::CreateTopic(prefix_ + "parkline.statistics.v1", 1).ok());
    auto producer = events::KafkaProducer::Create(testing::KafkaBrokers());
    ASSERT_TRUE(producer.ok());
    producer_ = std::move(*producer);
  }

  std::map<std::string, std::string> Env() { return {{"PARKLINE_TOPIC_PREFIX", prefix_}}; }

  std::unique_ptr<Statistics> StartStatistics(const std::string& name,
                                              std::map<std::string, std::string> extra = {}) {
    auto env = Env();
    env.insert(extra.begin(), extra.end());
    auto s = std::make_unique<Statistics>(STATISTICS_BINARY, name, dir_.path(), env);
    EXPECT_EQ(s->WaitServing(absl::Seconds(30)), grpc::health::v1::HealthCheckResponse::SERVING);
    return s;
  }

  // Publishes events as a domain service would (late ones included: their time is in the past).
  void Publish(const std::vector<events::Envelope>& envelopes) {
    for (size_t i = 0; i < envelopes.size(); ++i) {
      events::Record record = events::ToRecord(envelopes[i]);
      record.topic = prefix_ + record.topic;
      ASSERT_TRUE(producer_->Produce(record, static_cast<int64_t>(i)).ok());
    }
    for (const events::Delivery& d : producer_->Flush(absl::Seconds(30))) {
      ASSERT_TRUE(d.status.ok()) << d.status;
    }
  }

  // The total of a counted indicator over a period, once it stops changing or reaches `want`.
  std::string Total(Statistics& s, const std::string& indicator, absl::CivilDay from,
                    absl::CivilDay to, std::map<std::string, std::string> filter = {}) {
    sv1::GetTimeSeriesRequest request;
    request.set_indicator(indicator);
    *request.mutable_period()->mutable_from() = DateOf(from);
    *request.mutable_period()->mutable_to() = DateOf(to);
    request.set_granularity(sv1::GRANULARITY_YEAR);
    for (const auto& [k, v] : filter) (*request.mutable_label_filter())[k] = v;
    sv1::TimeSeries series;
    absl::Status status = s.Call(&sv1::StatisticsService::Stub::GetTimeSeries, request, &series);
    EXPECT_TRUE(status.ok()) << status;
    if (series.series().empty()) return "";
    // Several label sets may match: add them (counts only, scale 0, or CNY at scale 5).
    int64_t units = 0;
    int64_t fraction = 0;
    bool decimal = false;
    for (const auto& one : series.series()) {
      const std::string& total = one.total();
      auto dot = total.find('.');
      units += std::stoll(total.substr(0, dot));
      if (dot != std::string::npos) {
        decimal = true;
        fraction += std::stoll(total.substr(dot + 1));
      }
    }
    if (!decimal) return std::to_string(units);
    units += fraction / 100000;
    return absl::StrFormat("%d.%05d", units, fraction % 100000);
  }

  bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(90)) {
    absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(250));
    }
    return done();
  }

  testing::TempDir dir_;
  std::string prefix_;
  std::unique_ptr<events::KafkaProducer> producer_;
};

std::string Current(const sv1::Overview& o, const std::string& indicator,
                    const std::map<std::string, std::string>& labels = {}) {
  for (const auto& v : o.current()) {
    if (v.indicator() != indicator) continue;
    std::map<std::string, std::string> have(v.labels().begin(), v.labels().end());
    if (have == labels) return v.value();
  }
  return "";
}

std::string Today(const sv1::Overview& o, const std::string& indicator,
                  const std::map<std::string, std::string>& labels) {
  for (const auto& totals : o.totals()) {
    if (totals.name() != "today") continue;
    for (const auto& v : totals.values()) {
      std::map<std::string, std::string> have(v.labels().begin(), v.labels().end());
      if (v.indicator() == indicator && have == labels) return v.value();
    }
  }
  return "";
}

TEST_F(StatisticsE2eTest, ParkFiguresAgreeWithTheNumbersCountedByHand) {
  auto env = Env();
  Enterprises enterprises(ENTERPRISES_BINARY, "enterprises", dir_.path(), env);
  Declarations declarations(DECLARATIONS_BINARY, "declarations", dir_.path(), env);
  ASSERT_EQ(enterprises.WaitServing(absl::Seconds(30)),
            grpc::health::v1::HealthCheckResponse::SERVING);
  ASSERT_EQ(declarations.WaitServing(absl::Seconds(30)),
            grpc::health::v1::HealthCheckResponse::SERVING);
  auto stats = StartStatistics("statistics");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), Shanghai());
  const absl::CivilDay yesterday = today - 1;

  // 20 units of 100.00 m²; 16 enterprises, one per unit: the four parties of the documents
  // and twelve more e-commerce enterprises; then one of the twelve departs.
  for (int u = 0; u < 20; ++u) {
    ev1::DefineUnitRequest define;
    define.mutable_unit()->set_unit_id(absl::StrCat("E2E-", u));
    define.mutable_unit()->set_building("E2E");
    define.mutable_unit()->set_leasable_area_m2("100.00");
    define.mutable_unit()->set_purpose(ev1::UNIT_PURPOSE_OFFICE);
    ev1::Unit unit;
    ASSERT_TRUE(enterprises.Call(&ev1::EnterpriseService::Stub::DefineUnit, define, &unit).ok());
  }
  std::mt19937_64 rng{std::random_device{}()};
  auto code = [&] { return absl::StrCat(1000000000 + rng() % 8999999999); };
  samples::ImportCodes codes{code(), code(), code(), code()};
  std::vector<std::pair<std::string, ev1::EnterpriseRole>> admitted = {
      {codes.platform, ev1::ENTERPRISE_ROLE_ECOMMERCE_PLATFORM},
      {codes.enterprise, ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE},
      {codes.payment, ev1::ENTERPRISE_ROLE_PAYMENT},
      {codes.logistics, ev1::ENTERPRISE_ROLE_LOGISTICS}};
  for (int i = 0; i < 12; ++i)
    admitted.push_back({code(), ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE});
  std::string ebc_uscc, departing;
  for (size_t i = 0; i < admitted.size(); ++i) {
    ev1::AdmitEnterpriseRequest admit;
    auto* e = admit.mutable_enterprise();
    e->set_uscc(testing::RandomUscc());
    e->set_customs_code(admitted[i].first);
    e->set_name(absl::StrCat("E2E ", i));
    e->add_roles(admitted[i].second);
    e->add_unit_ids(absl::StrCat("E2E-", i));
    e->mutable_move_in_date()->set_year(2024);
    e->mutable_move_in_date()->set_month(1);
    e->mutable_move_in_date()->set_day(1);
    ev1::Enterprise out;
    ASSERT_TRUE(enterprises.Call(&ev1::EnterpriseService::Stub::AdmitEnterprise, admit, &out).ok());
    if (i == 1) ebc_uscc = out.uscc();
    if (i == 15) departing = out.uscc();
  }
  ev1::DepartEnterpriseRequest depart;
  depart.set_uscc(departing);
  *depart.mutable_move_out_date() = DateOf(today);
  ev1::Enterprise departed;
  ASSERT_TRUE(
      enterprises.Call(&ev1::EnterpriseService::Stub::DepartEnterprise, depart, &departed).ok());

  // Today, through the declarations service: 5 matched 9610, 3 matched 1210, 2 rejected 9610
  // (the payment does not pay what the order says).
  int base = static_cast<int>(rng() % 90000000);
  auto submit = [&](int n, const std::string& mode, bool consistent) {
    auto set = samples::MakeImportSet(n, codes);
    set.order.set_business_mode(mode);
    if (!consistent) set.payment.set_amount_paid("180.00");
    absl::Status status;
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    do {  // until declarations has learnt from the registry's events that the parties reside
      dv1::DocumentReceipt out;
      dv1::SubmitOrderRequest order;
      *order.mutable_order() = set.order;
      status = declarations.Call(&dv1::DeclarationService::Stub::SubmitOrder, order, &out);
      if (absl::IsInvalidArgument(status)) absl::SleepFor(absl::Milliseconds(200));
    } while (absl::IsInvalidArgument(status) && absl::Now() < deadline);
    ASSERT_TRUE(status.ok()) << status;
    dv1::DocumentReceipt out;
    dv1::SubmitPaymentRequest payment;
    *payment.mutable_payment() = set.payment;
    ASSERT_TRUE(
        declarations.Call(&dv1::DeclarationService::Stub::SubmitPayment, payment, &out).ok());
    dv1::SubmitWaybillRequest waybill;
    *waybill.mutable_waybill() = set.waybill;
    ASSERT_TRUE(
        declarations.Call(&dv1::DeclarationService::Stub::SubmitWaybill, waybill, &out).ok());
  };
  for (int i = 0; i < 5; ++i) submit(base + i, "9610", true);
  for (int i = 5; i < 8; ++i) submit(base + i, "1210", true);
  for (int i = 8; i < 10; ++i) submit(base + i, "9610", false);

  // Yesterday's, arriving late (as from a replica that was cut off): 4 matched 9610 of 100.00,
  // 1 rejected 1210. They count on yesterday, not today.
  std::vector<events::Envelope> late;
  absl::Time yesterday_noon = absl::FromCivil(absl::CivilSecond(yesterday) + 12 * 3600, Shanghai());
  for (int i = 0; i < 5; ++i) {
    dv1::Declaration d;
    d.set_order_key(absl::StrCat(codes.platform, "/LATE-", i));
    d.set_direction(dv1::DIRECTION_IMPORT);
    d.set_business_mode(i < 4 ? "9610" : "1210");
    d.set_ebc_code(codes.enterprise);
    d.set_value_cny("100.00000");
    if (i < 4) {
      dv1::DeclarationMatched m;
      *m.mutable_declaration() = d;
      late.push_back(events::NewEvent("parkline.declarations.v1", "/parkline/declarations",
                                      d.order_key(), m, yesterday_noon));
      late.push_back(
          Released(d.order_key(), "9610", codes.enterprise, "100.00000", yesterday_noon));
    } else {
      dv1::DeclarationRejected m;
      *m.mutable_declaration() = d;
      late.push_back(events::NewEvent("parkline.declarations.v1", "/parkline/declarations",
                                      d.order_key(), m, yesterday_noon));
    }
  }
  // Today's matched orders released by customs (clearance does not run here): trade.
  for (int i = 0; i < 8; ++i) {
    const std::string order_key =
        absl::StrCat(codes.platform, "/", samples::MakeImportSet(base + i, codes).order.order_no());
    late.push_back(
        Released(order_key, i < 5 ? "9610" : "1210", codes.enterprise, "180.00000", absl::Now()));
  }
  Publish(late);
  Publish({late[0], late[1], late[2]});  // delivered twice: counted once

  const std::map<std::string, std::string> k9610 = {{"mode", "9610"}, {"direction", "import"}};
  const std::map<std::string, std::string> k1210 = {{"mode", "1210"}, {"direction", "import"}};
  ASSERT_TRUE(WaitFor([&] {
    return Total(*stats, "declarations_matched", yesterday, today) == "12" &&
           Total(*stats, "declarations_rejected", yesterday, today) == "3" &&
           Total(*stats, "enterprises_departed", today, today) == "1";
  })) << "statistics did not catch up";
  absl::SleepFor(absl::Seconds(1));  // a double count would show by now
  if (absl::ToCivilDay(absl::Now(), Shanghai()) != today) GTEST_SKIP() << "midnight passed";

  sv1::Overview overview;
  ASSERT_TRUE(
      stats->Call(&sv1::StatisticsService::Stub::GetOverview, sv1::GetOverviewRequest(), &overview)
          .ok());
  EXPECT_EQ(overview.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(Current(overview, "enterprises_resident"), "15");
  EXPECT_EQ(Current(overview, "enterprises", {{"role", "ecommerce_enterprise"}}), "12");
  EXPECT_EQ(Current(overview, "enterprises", {{"role", "logistics"}}), "1");
  EXPECT_EQ(Current(overview, "cross_border_enterprises_resident"), "13");
  EXPECT_EQ(Current(overview, "occupancy_ratio", {{"basis", "units"}}), "0.7500");
  EXPECT_EQ(Current(overview, "occupancy_ratio", {{"basis", "area"}}), "0.7500");
  EXPECT_EQ(Current(overview, "leasable_area_m2", {{"state", "vacant"}}), "500.00");
  EXPECT_EQ(Today(overview, "declarations_matched", k9610), "5");
  EXPECT_EQ(Today(overview, "declarations_matched", k1210), "3");
  EXPECT_EQ(Today(overview, "declarations_rejected", k9610), "2");
  EXPECT_EQ(Today(overview, "trade_value_cny", k9610), "900.00000");
  EXPECT_EQ(Today(overview, "trade_value_cny", k1210), "540.00000");
  EXPECT_EQ(Today(overview, "enterprises_admitted", {}), "16");
  EXPECT_EQ(Today(overview, "documents_received",
                  {{"kind", "order"}, {"mode", "9610"}, {"direction", "import"}}),
            "7");

  // The daily series of 9610 matches: 4 yesterday, 5 today.
  sv1::GetTimeSeriesRequest series_request;
  series_request.set_indicator("declarations_matched");
  *series_request.mutable_period()->mutable_from() = DateOf(yesterday);
  *series_request.mutable_period()->mutable_to() = DateOf(today);
  (*series_request.mutable_label_filter())["mode"] = "9610";
  sv1::TimeSeries series;
  ASSERT_TRUE(
      stats->Call(&sv1::StatisticsService::Stub::GetTimeSeries, series_request, &series).ok());
  ASSERT_EQ(series.series_size(), 1);
  ASSERT_EQ(series.series(0).points_size(), 2);
  EXPECT_EQ(series.series(0).points(0).bucket(), Text(yesterday));
  EXPECT_EQ(series.series(0).points(0).value(), "4");
  EXPECT_EQ(series.series(0).points(1).value(), "5");
  EXPECT_EQ(series.series(0).total(), "9");

  // The enterprise's own figures and the top list.
  sv1::GetEnterpriseFiguresRequest figures_request;
  figures_request.set_uscc(ebc_uscc);
  *figures_request.mutable_period()->mutable_from() = DateOf(yesterday);
  *figures_request.mutable_period()->mutable_to() = DateOf(today);
  sv1::EnterpriseFigures figures;
  ASSERT_TRUE(
      stats->Call(&sv1::StatisticsService::Stub::GetEnterpriseFigures, figures_request, &figures)
          .ok());
  std::string value_9610;
  for (const auto& v : figures.values()) {
    std::map<std::string, std::string> have(v.labels().begin(), v.labels().end());
    if (v.indicator() == "trade_value_cny" && have == k9610) value_9610 = v.value();
  }
  EXPECT_EQ(value_9610, "1300.00000");  // 5 x 180.00 today + 4 x 100.00 yesterday

  // The archive export of the two days: one row per day, indicator and label set.
  sv1::ExportPeriodRequest export_request;
  *export_request.mutable_period() = series_request.period();
  sv1::ExportPeriodResponse csv;
  ASSERT_TRUE(stats->Call(&sv1::StatisticsService::Stub::ExportPeriod, export_request, &csv).ok());
  EXPECT_EQ(csv.content_type(), "text/csv");
  EXPECT_NE(
      csv.content().find(absl::StrCat(Text(yesterday),
                                      ",declarations_matched,\"direction=import,mode=9610\",4,"
                                      "count,6.2.3\n")),
      std::string::npos)
      << csv.content();
  EXPECT_NE(csv.content().find(absl::StrCat(Text(today),
                                            ",trade_value_cny,\"direction=import,mode=1210\","
                                            "540.00000,CNY,5.5.4\n")),
            std::string::npos);
  EXPECT_EQ(std::count(csv.content().begin(), csv.content().end(), '\n'), csv.rows() + 1);
  export_request.set_format(sv1::EXPORT_FORMAT_JSON);
  sv1::ExportPeriodResponse json;
  ASSERT_TRUE(stats->Call(&sv1::StatisticsService::Stub::ExportPeriod, export_request, &json).ok());
  EXPECT_EQ(json.rows(), csv.rows());

  // Conformance: 20 units are room for 15 (5.3.1 met), with 13 cross-border e-commerce
  // enterprises resident, reported beside it; 5.5.4 names IP, and no IP was recorded.
  sv1::Conformance conformance;
  ASSERT_TRUE(stats
                  ->Call(&sv1::StatisticsService::Stub::GetConformance,
                         sv1::GetConformanceRequest(), &conformance)
                  .ok());
  ASSERT_GE(conformance.clauses_size(), 2);
  EXPECT_EQ(conformance.clauses(0).clause(), "5.3.1");
  EXPECT_EQ(conformance.clauses(0).verdict(), sv1::VERDICT_MET);
  ASSERT_EQ(conformance.clauses(0).criteria_size(), 2);
  EXPECT_EQ(conformance.clauses(0).criteria(0).value(), "20");
  EXPECT_EQ(conformance.clauses(0).criteria(1).value(), "13");
  EXPECT_EQ(conformance.clauses(1).clause(), "5.5.4");
  EXPECT_EQ(conformance.clauses(1).verdict(), sv1::VERDICT_NOT_MET);
  EXPECT_NE(conformance.clauses(1).explanation().find("ip_assets"), std::string::npos)
      << conformance.clauses(1).explanation();

  // /metrics says the same.
  std::string metrics = testing::HttpGet(stats->metrics_port(), "/metrics");
  for (const char* line :
       {"parkline_enterprises_resident 15", "parkline_occupancy_ratio{basis=\"units\"} 0.75",
        "parkline_declarations_matched_total{direction=\"import\",mode=\"9610\"} 9",
        "parkline_declarations_rejected_total{direction=\"import\",mode=\"1210\"} 1",
        "parkline_trade_value_cny_total{direction=\"import\",mode=\"1210\"} 540",
        "parkline_conformance{clause=\"5.3.1\"} 1", "# HELP parkline_enterprises Resident"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line << "\n" << metrics;
  }
  EXPECT_EQ(metrics.find(codes.enterprise), std::string::npos) << "an enterprise in /metrics";

  stats->process().Signal(SIGTERM);
  EXPECT_EQ(stats->process().Wait(absl::Seconds(5)), 0);
}

// 10,000 events over ten days; the aggregator is killed (-9) while they stream in and restarted;
// then a second aggregator rebuilds everything from the beginning of the topics into an empty
// store. Every figure is exact, and the two stores export the very same archive.
TEST_F(StatisticsE2eTest, KilledMidStreamAndRebuiltFromScratchTheFiguresAreExact) {
  constexpr int kEvents = 10000;
  const absl::CivilDay first_day = absl::ToCivilDay(absl::Now(), Shanghai()) - 20;
  std::map<std::string, int64_t> matched_by_day;  // expected, counted by hand
  int64_t matched = 0, rejected = 0, documents = 0, admitted = 0;
  int64_t value_fen = 0;  // 0.01 CNY
  std::vector<events::Envelope> stream;
  std::mt19937 rng(42);
  for (int i = 0; i < kEvents; ++i) {
    absl::CivilDay day = first_day + static_cast<int>(rng() % 10);
    absl::Time when =
        absl::FromCivil(absl::CivilSecond(day) + static_cast<int>(rng() % 86400), Shanghai());
    int what = static_cast<int>(rng() % 10);
    std::string key = absl::StrCat("P/ORDER-", i);
    if (what < 6) {
      dv1::DeclarationMatched m;
      m.mutable_declaration()->set_order_key(key);
      m.mutable_declaration()->set_business_mode(what % 2 == 0 ? "9610" : "1210");
      m.mutable_declaration()->set_direction(dv1::DIRECTION_IMPORT);
      m.mutable_declaration()->set_ebc_code("3301960002");
      int fen = 1000 + static_cast<int>(rng() % 100000);
      m.mutable_declaration()->set_value_cny(absl::StrFormat("%d.%02d000", fen / 100, fen % 100));
      value_fen += fen;
      matched++;
      matched_by_day[Text(day)]++;
      stream.push_back(
          events::NewEvent("parkline.declarations.v1", "/parkline/declarations", key, m, when));
      stream.push_back(Released(key, m.declaration().business_mode(), "3301960002",
                                m.declaration().value_cny(), when));
    } else if (what < 8) {
      dv1::DeclarationRejected m;
      m.mutable_declaration()->set_order_key(key);
      m.mutable_declaration()->set_business_mode("9610");
      m.mutable_declaration()->set_direction(dv1::DIRECTION_IMPORT);
      rejected++;
      stream.push_back(
          events::NewEvent("parkline.declarations.v1", "/parkline/declarations", key, m, when));
    } else if (what < 9) {
      dv1::DocumentReceived m;
      m.set_kind(dv1::DOCUMENT_KIND_ORDER);
      m.set_business_mode("9610");
      m.set_direction(dv1::DIRECTION_IMPORT);
      documents++;
      stream.push_back(
          events::NewEvent("parkline.declarations.v1", "/parkline/declarations", key, m, when));
    } else {
      ev1::EnterpriseAdmitted m;
      m.mutable_enterprise()->set_uscc(absl::StrCat("USCC-", i));
      m.mutable_enterprise()->add_roles(ev1::ENTERPRISE_ROLE_ECOMMERCE_ENTERPRISE);
      admitted++;
      stream.push_back(events::NewEvent("parkline.enterprises.v1", "/parkline/enterprises",
                                        m.enterprise().uscc(), m, when));
    }
  }
  // A small batch, so that the kill lands between many commits.
  auto stats = StartStatistics("statistics", {{"PARKLINE_MAX_BATCH", "100"}});
  std::atomic<bool> published_all{false};
  std::thread publisher([&] {
    const int n = static_cast<int>(stream.size());
    for (int begin = 0; begin < n; begin += 500) {
      std::vector<events::Envelope> chunk(stream.begin() + begin,
                                          stream.begin() + std::min(n, begin + 500));
      Publish(chunk);
      // The first chunk of each half again: Kafka delivering twice.
      if (begin % 5000 == 0) Publish(chunk);
      absl::SleepFor(absl::Milliseconds(50));
    }
    published_all = true;
  });
  const absl::CivilDay last_day = first_day + 9;
  ASSERT_TRUE(WaitFor([&] {
    std::string n = Total(*stats, "declarations_matched", first_day, last_day);
    return !n.empty() && std::stoll(n) > matched / 4;
  })) << "nothing was counted";
  stats->process().Signal(SIGKILL);
  stats->process().Wait(absl::Seconds(5));
  stats.reset();
  stats = StartStatistics("statistics");  // the same store
  publisher.join();

  auto expect_exact = [&](Statistics& s) {
    ASSERT_TRUE(WaitFor([&] {
      return Total(s, "declarations_matched", first_day, last_day) == std::to_string(matched) &&
             Total(s, "declarations_rejected", first_day, last_day) == std::to_string(rejected) &&
             Total(s, "documents_received", first_day, last_day) == std::to_string(documents) &&
             Total(s, "enterprises_admitted", first_day, last_day) == std::to_string(admitted);
    })) << "matched "
        << Total(s, "declarations_matched", first_day, last_day) << " of " << matched;
    absl::SleepFor(absl::Seconds(1));
    EXPECT_EQ(Total(s, "declarations_matched", first_day, last_day), std::to_string(matched));
    EXPECT_EQ(Total(s, "trade_value_cny", first_day, last_day),
              absl::StrFormat("%d.%02d000", value_fen / 100, value_fen % 100));
    for (const auto& [day, n] : matched_by_day) {
      absl::CivilDay d;
      ASSERT_TRUE(absl::ParseCivilTime(day, &d));
      EXPECT_EQ(Total(s, "declarations_matched", d, d), std::to_string(n)) << day;
    }
  };
  expect_exact(*stats);

  // Rebuild: an empty store, a new consumer group from the beginning of the topics.
  auto rebuilt = StartStatistics("statistics-rebuilt");
  expect_exact(*rebuilt);
  sv1::ExportPeriodRequest request;
  *request.mutable_period()->mutable_from() = DateOf(first_day);
  *request.mutable_period()->mutable_to() = DateOf(last_day);
  request.set_format(sv1::EXPORT_FORMAT_JSON);
  // Both close the past days once caught up (on their closer's next pass, oldest first, a day per
  // transaction): the archives are compared once the period's last day is closed in both, so
  // every day of it is.
  sv1::ExportPeriodRequest last = request;
  *last.mutable_period()->mutable_from() = DateOf(last_day);
  for (Statistics* s : {stats.get(), rebuilt.get()}) {
    EXPECT_TRUE(WaitFor([&] {
      sv1::ExportPeriodResponse r;
      return s->Call(&sv1::StatisticsService::Stub::ExportPeriod, last, &r).ok() &&
             r.content().find("\"enterprises_resident\"") != std::string::npos;
    })) << "the period's last day was not closed";
  }
  sv1::ExportPeriodResponse a, b;
  ASSERT_TRUE(stats->Call(&sv1::StatisticsService::Stub::ExportPeriod, request, &a).ok());
  ASSERT_TRUE(rebuilt->Call(&sv1::StatisticsService::Stub::ExportPeriod, request, &b).ok());
  EXPECT_GT(a.rows(), 0);
  EXPECT_NE(a.content().find("\"enterprises_resident\""), std::string::npos)
      << "the snapshots are in the archive";
  EXPECT_EQ(a.sha256(), b.sha256()) << "the rebuilt store differs";
  for (Statistics* s : {stats.get(), rebuilt.get()}) {
    s->process().Signal(SIGTERM);
    EXPECT_EQ(s->process().Wait(absl::Seconds(5)), 0);
  }
}

// A complaint filed, handled and closed in the complaints binary shows in the statistics: filed
// by category and channel, resolved within the committed time, closed with its satisfaction, and
// clause 7.3 met.
TEST_F(StatisticsE2eTest, AClosedComplaintIsCountedWithItsSatisfactionAndClause73) {
  Complaints complaints(COMPLAINTS_BINARY, "complaints", dir_.path(), Env());
  ASSERT_EQ(complaints.WaitServing(absl::Seconds(30)),
            grpc::health::v1::HealthCheckResponse::SERVING);
  auto stats = StartStatistics("statistics");
  cv1::FileComplaintRequest file;
  file.set_request_id(events::NewUuid());
  file.mutable_complainant()->set_kind(cv1::PARTY_KIND_PUBLIC);
  file.mutable_complainant()->mutable_contact()->set_person_name("Wang Fang");
  file.mutable_complainant()->mutable_contact()->set_phone("+86-571-8888-0003");
  file.mutable_target()->set_kind(cv1::PARTY_KIND_PARK_OPERATOR);
  file.set_category(cv1::CATEGORY_LOGISTICS);
  file.set_channel(cv1::CHANNEL_WECHAT);
  file.set_description("Parcels wait two days at the park's sorting centre.");
  cv1::Complaint c;
  ASSERT_TRUE(complaints.Call(&cv1::ComplaintService::Stub::FileComplaint, file, &c).ok());
  cv1::TransitionRequest step;
  step.set_complaint_id(c.complaint_id());
  step.set_note("noted");
  cv1::AssignComplaintRequest assign;
  assign.set_complaint_id(c.complaint_id());
  cv1::RespondRequest respond;
  respond.set_complaint_id(c.complaint_id());
  respond.set_response("A second sorting shift starts on Monday.");
  cv1::CloseComplaintRequest close;
  close.set_complaint_id(c.complaint_id());
  close.set_satisfaction(4);
  cv1::Complaint out;
  ASSERT_TRUE(complaints.Call(&cv1::ComplaintService::Stub::AcknowledgeComplaint, step, &out).ok());
  ASSERT_TRUE(complaints.Call(&cv1::ComplaintService::Stub::AssignComplaint, assign, &out).ok());
  ASSERT_TRUE(complaints.Call(&cv1::ComplaintService::Stub::StartInvestigation, step, &out).ok());
  ASSERT_TRUE(
      complaints.Call(&cv1::ComplaintService::Stub::RespondToComplaint, respond, &out).ok());
  ASSERT_TRUE(complaints.Call(&cv1::ComplaintService::Stub::CloseComplaint, close, &out).ok());

  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), Shanghai());
  ASSERT_TRUE(WaitFor([&] {
    return Total(*stats, "complaints_closed", today - 1, today + 1) == "1";
  })) << "statistics did not count the complaint";
  EXPECT_EQ(Total(*stats, "complaints_filed", today - 1, today + 1,
                  {{"category", "logistics"}, {"channel", "wechat"}}),
            "1");
  EXPECT_EQ(Total(*stats, "complaints_resolved_on_time", today - 1, today + 1), "1");
  EXPECT_EQ(Total(*stats, "complaint_satisfaction_sum", today - 1, today + 1), "4");
  sv1::GetConformanceRequest request;
  *request.mutable_period()->mutable_from() = DateOf(today - 1);
  *request.mutable_period()->mutable_to() = DateOf(today + 1);
  sv1::Conformance conformance;
  ASSERT_TRUE(
      stats->Call(&sv1::StatisticsService::Stub::GetConformance, request, &conformance).ok());
  bool seen = false;
  for (const auto& clause : conformance.clauses()) {
    if (clause.clause() != "7.3") continue;
    seen = true;
    EXPECT_EQ(clause.verdict(), sv1::VERDICT_MET) << clause.explanation();
  }
  EXPECT_TRUE(seen);
  std::string metrics = testing::HttpGet(stats->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("parkline_complaints_on_time_ratio 1"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace parkline
