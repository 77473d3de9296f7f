// The quality service as the park runs it: the real binary as a process on the real local Kafka
// broker, driven over gRPC: a document published in two versions, a retry answered once, another
// withdrawn (its event on the topic, counted), an enterprise seeing the public register only, the
// DocumentPublished events read back from the topic, the register surviving a restart, the
// publication counted on /metrics; an inspection whose actions take the flags' defaults, one closed
// with evidence, its record verified, its events on the topic and the supervision job's gauge on
// /metrics; an assessment scheme applied to days the statistics closed (DayClosed on the broker),
// the closed period's result stored, announced once and returned unchanged after a later revision
// and a restart; SIGTERM answered with 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "events/envelope.h"
#include "events/kafka_producer.h"
#include "parkline/quality/v1/events.pb.h"
#include "parkline/quality/v1/quality.grpc.pb.h"
#include "parkline/statistics/v1/events.pb.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace v1 = quality::v1;
using Quality = testing::ServiceUnderTest<v1::QualityService>;
using Stub = v1::QualityService::Stub;
constexpr char kEnterpriseToken[] = "e2e-enterprise-tenant-token";

std::string Caller(const std::string& token, const std::string& name, const std::string& role,
                   const std::string& uscc) {
  return absl::StrCat(R"({"sha256":")", auth::Sha256Hex(token), R"(","principal":")", name,
                      R"(","roles":[")", role, R"("],"uscc":")", uscc, R"("})");
}

class QualityE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The quality service consumes the statistics' and the complaints' topics (assessment).
    for (const char* topic : {"parkline.quality.v1", "parkline.deadletter.v1",
                              "parkline.statistics.v1", "parkline.complaints.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    std::ofstream(dir_.path() + "/tokens.json") << absl::StrCat(
        R"({"tokens":[)", Caller(testing::kAdminToken, "e2e-admin", "park-admin", ""), ",",
        Caller(kEnterpriseToken, "tenant-co", "enterprise", testing::RandomUscc()), "]}");
    Start();
  }

  void Start() {
    service_ = std::make_unique<Quality>(
        QUALITY_BINARY, "quality", dir_.path(),
        std::map<std::string, std::string>{{"PARKLINE_TOPIC_PREFIX", prefix_},
                                           {"PARKLINE_MAX_DOCUMENT_BYTES", "2048"},
                                           {"PARKLINE_ACTION_DEPARTMENT", "records-office"},
                                           {"PARKLINE_ACTION_DEADLINE_DAYS", "4"},
                                           {"PARKLINE_SUPERVISION_SECONDS", "1"}});
    ASSERT_EQ(service_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
  }

  void Stop() {
    service_->process().Signal(SIGTERM);
    EXPECT_EQ(service_->process().Wait(absl::Seconds(10)), 0);
  }

  static v1::PublishDocumentRequest Plan(const std::string& request_id, v1::Visibility visibility) {
    v1::PublishDocumentRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN);
    r.set_title("Fire-safety plan, warehouse B");
    r.set_visibility(visibility);
    r.set_effective_date("2026-03-01");
    r.set_approved_by("Wang Fang, general manager");
    r.set_media_type("text/markdown");
    r.set_content("# Fire-safety plan\nAssembly point: north car park.\n");
    return r;
  }

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  std::unique_ptr<Quality> service_;
};

TEST_F(QualityE2eTest, ARegisterOverGrpcWithItsEventsOnTheTopic) {
  std::string run = events::NewUuid();
  v1::DocumentVersion first;
  ASSERT_TRUE(
      service_->Call(&Stub::PublishDocument, Plan("p1-" + run, v1::VISIBILITY_PUBLIC), &first)
          .ok());
  v1::DocumentVersion retried;
  ASSERT_TRUE(
      service_->Call(&Stub::PublishDocument, Plan("p1-" + run, v1::VISIBILITY_PUBLIC), &retried)
          .ok());
  EXPECT_EQ(retried.document_id(), first.document_id());
  EXPECT_EQ(retried.version(), 1);

  v1::PublishDocumentRequest next = Plan("p2-" + run, v1::VISIBILITY_PUBLIC);
  next.set_document_id(first.document_id());
  next.set_expected_version(1);
  next.set_effective_date("2026-09-01");
  next.mutable_reference()->set_uri("https://docs.park.example/fire/warehouse-b-v2.pdf");
  next.mutable_reference()->set_sha256(auth::Sha256Hex("v2"));
  v1::DocumentVersion second;
  ASSERT_TRUE(service_->Call(&Stub::PublishDocument, next, &second).ok());
  EXPECT_EQ(second.version(), 2);

  // The size limit comes from the flag.
  v1::PublishDocumentRequest big = Plan("p3-" + run, v1::VISIBILITY_INTERNAL);
  big.set_content(std::string(2049, 'x'));
  v1::DocumentVersion refused;
  EXPECT_TRUE(absl::IsInvalidArgument(service_->Call(&Stub::PublishDocument, big, &refused)));
  v1::DocumentVersion internal;
  ASSERT_TRUE(
      service_->Call(&Stub::PublishDocument, Plan("p4-" + run, v1::VISIBILITY_INTERNAL), &internal)
          .ok());

  auto events = testing::ReadTopic(
      prefix_ + "parkline.quality.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) { return r.key == first.document_id(); },
      [](const auto& kept) { return kept.size() >= 2; });
  ASSERT_EQ(events.size(), 2u) << "one event per version, none for the retry";
  v1::DocumentPublished published;
  ASSERT_TRUE(published.ParseFromString(events[1].value));
  EXPECT_EQ(published.version(), 2);
  EXPECT_EQ(published.sha256(), auth::Sha256Hex("v2"));

  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_quality_document_publications_total{kind=\"FIRE_SAFETY_PLAN\""),
            std::string::npos);

  // The internal plan withdrawn: its last version, its event on the topic, counted.
  v1::WithdrawDocumentRequest withdraw;
  withdraw.set_request_id("w1-" + run);
  withdraw.set_document_id(internal.document_id());
  withdraw.set_expected_version(1);
  withdraw.set_effective_date("2026-10-01");
  withdraw.set_approved_by("Wang Fang, general manager");
  withdraw.set_reason("Merged into the park-wide fire-safety plan");
  v1::DocumentVersion withdrawn;
  absl::Status withdrew = service_->Call(&Stub::WithdrawDocument, withdraw, &withdrawn);
  ASSERT_TRUE(withdrew.ok()) << withdrew;
  EXPECT_TRUE(withdrawn.withdrawn());
  EXPECT_EQ(withdrawn.version(), 2);
  auto withdrawals = testing::ReadTopic(
      prefix_ + "parkline.quality.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) { return r.key == internal.document_id(); },
      [](const auto& kept) { return kept.size() >= 2; });
  ASSERT_EQ(withdrawals.size(), 2u);
  EXPECT_EQ(testing::Header(withdrawals[1], "ce_type"), "parkline.quality.v1.DocumentWithdrawn");
  v1::DocumentWithdrawn withdrawal;
  ASSERT_TRUE(withdrawal.ParseFromString(withdrawals[1].value));
  EXPECT_EQ(withdrawal.document_id(), internal.document_id());
  EXPECT_EQ(withdrawal.effective_date(), "2026-10-01");
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_quality_document_withdrawals_total{kind=\"FIRE_SAFETY_PLAN\"} 1"),
            std::string::npos);

  // The register survives a restart; an enterprise sees the public plan and not the internal one.
  Stop();
  Start();
  service_->Connect({grpc::InsecureChannelCredentials(), kEnterpriseToken});
  v1::ListDocumentsResponse listed;
  ASSERT_TRUE(service_->Call(&Stub::ListDocuments, v1::ListDocumentsRequest(), &listed).ok());
  ASSERT_EQ(listed.documents_size(), 1);
  EXPECT_EQ(listed.documents(0).document_id(), first.document_id());
  EXPECT_EQ(listed.documents(0).version(), 2);
  v1::GetDocumentRequest get;
  get.set_document_id(internal.document_id());
  v1::DocumentVersion hidden;
  EXPECT_TRUE(absl::IsNotFound(service_->Call(&Stub::GetDocument, get, &hidden)));
  get.set_document_id(first.document_id());
  get.set_version(1);
  v1::DocumentVersion old;
  ASSERT_TRUE(service_->Call(&Stub::GetDocument, get, &old).ok());
  EXPECT_EQ(old.content(), "# Fire-safety plan\nAssembly point: north car park.\n");
  v1::DocumentVersion denied;
  EXPECT_TRUE(absl::IsPermissionDenied(
      service_->Call(&Stub::PublishDocument, Plan("p5-" + run, v1::VISIBILITY_PUBLIC), &denied)));
  Stop();
}

TEST_F(QualityE2eTest, AnInspectionsActionsClosedAndItsRecordVerifiedOverGrpc) {
  std::string run = events::NewUuid();
  v1::RecordInspectionRequest r;
  r.set_request_id("ins-" + run);
  r.set_kind(v1::INSPECTION_KIND_INTERNAL_PERIODIC);
  r.set_inspected_date(
      absl::FormatTime("%Y-%m-%d", absl::Now() - absl::Hours(24), absl::FixedTimeZone(8 * 3600)));
  r.set_inspector("Zhou Min, quality office");
  v1::Finding* f = r.add_findings();
  f->set_description("Fire exit 3 blocked by pallets");
  f->set_owner_department("facilities-management");
  f->set_deadline_working_days(3);
  r.add_findings()->set_description("Evacuation map outdated");
  v1::Inspection in;
  absl::Status recorded = service_->Call(&Stub::RecordInspection, r, &in);
  ASSERT_TRUE(recorded.ok()) << recorded;
  ASSERT_EQ(in.actions_size(), 2);
  EXPECT_EQ(in.actions(1).owner_department(), "records-office") << "the flag's default";
  EXPECT_EQ(in.actions(1).deadline_working_days(), 4);

  v1::CloseCorrectiveActionRequest close;
  close.set_action_id(in.actions(0).action_id());
  close.set_request_id("close-" + run);
  close.set_evidence("Pallets moved; exit marked with floor paint");
  v1::Inspection after;
  ASSERT_TRUE(service_->Call(&Stub::CloseCorrectiveAction, close, &after).ok());
  EXPECT_EQ(after.actions(0).status(), v1::ACTION_STATUS_CLOSED);
  EXPECT_TRUE(after.actions(0).closed_on_time());
  EXPECT_EQ(after.actions(1).status(), v1::ACTION_STATUS_OPEN);

  v1::VerifyInspectionRecordRequest verify;
  verify.set_inspection_id(in.inspection_id());
  v1::VerifyInspectionRecordResponse verified;
  ASSERT_TRUE(service_->Call(&Stub::VerifyInspectionRecord, verify, &verified).ok());
  EXPECT_EQ(verified.inspections_checked(), 1);
  EXPECT_TRUE(verified.breaks().empty());

  auto events = testing::ReadTopic(
      prefix_ + "parkline.quality.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& rec) { return rec.key == in.inspection_id(); },
      [](const auto& kept) { return kept.size() >= 2; });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(testing::Header(events[0], "ce_type"), "parkline.quality.v1.InspectionRecorded");
  v1::CorrectiveActionClosed closed;
  ASSERT_TRUE(closed.ParseFromString(events[1].value));
  EXPECT_EQ(closed.action_id(), in.actions(0).action_id());
  EXPECT_TRUE(closed.closed_on_time());
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_quality_actions_overdue 0"),
            std::string::npos)
      << "the supervision job ran and found nothing overdue";
  Stop();
}

// A period's result, once every day of it is closed, is stored and never changes (8.3.2).
TEST_F(QualityE2eTest, AClosedPeriodsResultIsStoredOnceAndSurvivesRevisionsAndARestart) {
  auto producer = events::KafkaProducer::Create(testing::KafkaBrokers());
  ASSERT_TRUE(producer.ok());
  int64_t tag = 0;
  auto close_day = [&](const std::string& day, const std::string& occupancy, int64_t revision) {
    statistics::v1::DayClosed d;
    d.set_day(day);
    d.set_time_zone("Asia/Shanghai");
    d.set_revision(revision);
    auto* v = d.add_values();
    v->set_indicator("occupancy_ratio");
    (*v->mutable_labels())["basis"] = "area";
    v->set_value(occupancy);
    v->set_unit("ratio");
    auto e =
        events::NewEvent("parkline.statistics.v1", "/parkline/statistics", day, d, absl::Now());
    events::Record record = events::ToRecord(e);
    record.topic = prefix_ + record.topic;
    ASSERT_TRUE((*producer)->Produce(record, tag++).ok());
    for (const auto& r : (*producer)->Flush(absl::Seconds(20))) ASSERT_TRUE(r.status.ok());
  };
  close_day("2026-02-01", "0.6000", 0);
  close_day("2026-02-02", "0.8000", 0);

  v1::PublishAssessmentSchemeRequest scheme;
  scheme.set_request_id("scheme-" + events::NewUuid());
  scheme.set_effective_from("2026-01-01");
  scheme.set_approved_by("Wang Fang, general manager");
  auto* occupancy = scheme.add_components();
  occupancy->set_name("occupancy");
  occupancy->set_input(v1::ASSESSMENT_INPUT_INDICATOR);
  occupancy->set_indicator("occupancy_ratio");
  (*occupancy->mutable_labels())["basis"] = "area";
  occupancy->set_weight_bp(6000);
  occupancy->set_direction(v1::DIRECTION_HIGHER_BETTER);
  occupancy->set_floor("0.5");
  occupancy->set_target("0.9");
  auto* survey = scheme.add_components();
  survey->set_name("survey");
  survey->set_input(v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY);
  survey->set_weight_bp(4000);
  survey->set_direction(v1::DIRECTION_HIGHER_BETTER);
  survey->set_floor("60");
  survey->set_target("90");
  v1::AssessmentScheme published;
  ASSERT_TRUE(service_->Call(&Stub::PublishAssessmentScheme, scheme, &published).ok());

  v1::ComputeAssessmentResultRequest compute;
  compute.mutable_period()->set_from("2026-02-01");
  compute.mutable_period()->set_to("2026-02-02");
  v1::AssessmentResult stored;
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {  // until the consumer has both days
    ASSERT_TRUE(service_->Call(&Stub::ComputeAssessmentResult, compute, &stored).ok());
    if (stored.final()) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_TRUE(stored.final());
  EXPECT_EQ(stored.components(0).input(), "0.8000");  // the last day's value
  EXPECT_EQ(stored.total(), "45.00");                 // 75.00 x 60 %; the survey missing
  ASSERT_EQ(stored.missing_size(), 1);
  EXPECT_EQ(stored.missing(0), "survey");

  // A late revision of the last day reaches the service, as a period ending on that day shows.
  // That period starts on a day never closed, so it stays provisional and is not stored: a closed
  // one (02-02 alone) would be stored by the first call, with whatever value had arrived by then.
  close_day("2026-02-02", "0.9000", 1);
  v1::ComputeAssessmentResultRequest last_day;
  last_day.mutable_period()->set_from("2026-01-31");
  last_day.mutable_period()->set_to("2026-02-02");
  v1::AssessmentResult revised;
  deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    ASSERT_TRUE(service_->Call(&Stub::ComputeAssessmentResult, last_day, &revised).ok());
    if (revised.components(0).input() == "0.9000") break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(revised.components(0).input(), "0.9000");
  EXPECT_FALSE(revised.final()) << "a period with a day never closed";
  // ... and after a restart the closed period's result is still the one stored, byte for byte.
  Stop();
  Start();
  v1::AssessmentResult again;
  ASSERT_TRUE(service_->Call(&Stub::ComputeAssessmentResult, compute, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), stored.SerializeAsString());
  v1::GetAssessmentResultRequest get;
  *get.mutable_period() = compute.period();
  v1::AssessmentResult got;
  ASSERT_TRUE(service_->Call(&Stub::GetAssessmentResult, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), stored.SerializeAsString());

  auto announced = testing::ReadTopic(
      prefix_ + "parkline.quality.v1", absl::Seconds(30),
      [](const testing::ConsumedRecord& r) { return r.key == "2026-02-01..2026-02-02"; },
      [](const auto& kept) { return kept.size() >= 2; });
  ASSERT_EQ(announced.size(), 1u) << "AssessmentResultStored once for the period";
  EXPECT_NE(testing::HttpGet(service_->metrics_port(), "/metrics")
                .find("parkline_quality_assessment_total "),
            std::string::npos);
}

}  // namespace
}  // namespace parkline
