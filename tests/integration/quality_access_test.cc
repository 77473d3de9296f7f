// Every RPC of the quality service against every role, over a real gRPC server: park staff and
// admins keep the register (publish, withdraw) and the inspections; enterprises and analysts read
// the register (what each sees is the desk's business, checked in quality_desk_test and
// adversarial_quality_test); an enterprise files and follows its own supervision of the park
// (naming itself), analysts read inspections; the assessment scheme and results are the park's,
// analysts reading them, enterprises refused; training sessions and certifications are internal
// (staff write, analysts read, enterprises are refused); customs and carriers have no access.
// Refusals are PERMISSION_DENIED, decided from the request alone.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "quality/access_policy.h"
#include "quality/quality_desk.h"
#include "quality/quality_service.h"
#include "quality/schema.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/test_env.h"

namespace parkline::quality {
namespace {

constexpr char kOwn[] = "91350100M000100Y43";    // the enterprise caller's USCC
constexpr char kOther[] = "91110000100000000R";  // somebody else's

// The expected policy, written out independently of access_policy.cc.
const std::set<std::string> kDesk = {"park-admin", "park-staff"};
const std::set<std::string> kAnalysts = {"park-admin", "park-staff", "analyst"};
const std::set<std::string> kReaders = {"park-admin", "park-staff", "analyst", "enterprise"};
const testing::AccessTable kExpected = {
    {"PublishDocument", {kDesk, {}}},
    {"GetDocument", {kReaders, {}}},
    {"ListDocuments", {kReaders, {}}},
    {"GetDocumentHistory", {kReaders, {}}},
    {"WithdrawDocument", {kDesk, {}}},
    {"RecordInspection", {kDesk, {"enterprise"}}},
    {"GetInspection", {{"park-admin", "park-staff", "analyst"}, {"enterprise"}}},
    {"ListInspections", {{"park-admin", "park-staff", "analyst"}, {"enterprise"}}},
    {"CloseCorrectiveAction", {kDesk, {}}},
    {"VerifyInspectionRecord", {kDesk, {}}},
    {"GetEvaluationReport", {{"park-admin", "park-staff", "analyst"}, {}}},
    // The assessment (7.2): the park's; analysts read schemes and results; enterprises nothing.
    {"PublishAssessmentScheme", {kDesk, {}}},
    {"GetAssessmentScheme", {kAnalysts, {}}},
    {"ListAssessmentSchemes", {kAnalysts, {}}},
    {"RecordSurveyResult", {kDesk, {}}},
    {"ComputeAssessmentResult", {kDesk, {}}},
    {"GetAssessmentResult", {kAnalysts, {}}},
    {"ListAssessmentResults", {kAnalysts, {}}},
    {"RecordTraining", {kDesk, {}}},
    {"ListTrainings", {{"park-admin", "park-staff", "analyst"}, {}}},
    {"RecordCertification", {kDesk, {}}},
    {"RenewCertification", {kDesk, {}}},
    {"ListExpiringCertifications", {{"park-admin", "park-staff", "analyst"}, {}}},
};

using Stub = v1::QualityService::Stub;

const std::map<std::string, testing::StubCall<Stub>>& Calls() {
  static const auto* calls = new std::map<std::string, testing::StubCall<Stub>>{
      {"PublishDocument",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::PublishDocumentRequest r;
         r.set_request_id("access-" + uscc);
         r.set_kind(v1::DOCUMENT_KIND_MANAGEMENT_RULE);
         r.set_title("Visitor rules");
         r.set_visibility(v1::VISIBILITY_PUBLIC);
         r.set_effective_date("2026-03-01");
         r.set_approved_by("Wang Fang");
         r.set_media_type("text/plain");
         r.set_content("Visitors register at the gate.");
         v1::DocumentVersion out;
         return s.PublishDocument(c, r, &out);
       }},
      {"GetDocument",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetDocumentRequest r;
         r.set_document_id("DOC-20260309-000000000000");
         v1::DocumentVersion out;
         return s.GetDocument(c, r, &out);
       }},
      {"ListDocuments",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListDocumentsResponse out;
         return s.ListDocuments(c, {}, &out);
       }},
      {"GetDocumentHistory",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetDocumentHistoryRequest r;
         r.set_document_id("DOC-20260309-000000000000");
         v1::GetDocumentHistoryResponse out;
         return s.GetDocumentHistory(c, r, &out);
       }},
      {"WithdrawDocument",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::WithdrawDocumentRequest r;
         r.set_request_id("access-w-" + uscc);
         r.set_document_id("DOC-20260309-000000000000");
         r.set_expected_version(1);
         r.set_effective_date("2026-04-01");
         r.set_approved_by("Wang Fang");
         r.set_reason("repealed");
         v1::DocumentVersion out;
         return s.WithdrawDocument(c, r, &out);
       }},
      {"RecordInspection",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RecordInspectionRequest r;
         r.set_request_id("access-" + uscc);
         r.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
         r.set_inspected_date("2026-03-01");
         r.set_inspector("Chen Jing");
         r.set_filer_uscc(uscc);
         r.add_findings()->set_description("The loading bay lights are out");
         v1::Inspection out;
         return s.RecordInspection(c, r, &out);
       }},
      {"GetInspection",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::GetInspectionRequest r;
         r.set_inspection_id("INS-20260309-000000000000");
         r.set_party_uscc(uscc);
         v1::Inspection out;
         return s.GetInspection(c, r, &out);
       }},
      {"ListInspections",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::ListInspectionsRequest r;
         r.set_party_uscc(uscc);
         v1::ListInspectionsResponse out;
         return s.ListInspections(c, r, &out);
       }},
      {"CloseCorrectiveAction",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::CloseCorrectiveActionRequest r;
         r.set_action_id("INS-20260309-000000000000-A1");
         r.set_request_id("close-1");
         r.set_evidence("done");
         v1::Inspection out;
         return s.CloseCorrectiveAction(c, r, &out);
       }},
      {"VerifyInspectionRecord",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::VerifyInspectionRecordResponse out;
         return s.VerifyInspectionRecord(c, {}, &out);
       }},
      {"GetEvaluationReport",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::GetEvaluationReportRequest r;
         r.set_period_from("2026-01-01");
         r.set_period_to("2026-03-31");
         v1::GetEvaluationReportResponse out;
         return s.GetEvaluationReport(c, r, &out);
       }},
      {"PublishAssessmentScheme",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::AssessmentScheme out;
         return s.PublishAssessmentScheme(c, {}, &out);
       }},
      {"GetAssessmentScheme",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::AssessmentScheme out;
         return s.GetAssessmentScheme(c, {}, &out);
       }},
      {"ListAssessmentSchemes",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListAssessmentSchemesResponse out;
         return s.ListAssessmentSchemes(c, {}, &out);
       }},
      {"RecordSurveyResult",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::SurveyResult out;
         return s.RecordSurveyResult(c, {}, &out);
       }},
      {"ComputeAssessmentResult",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::AssessmentResult out;
         return s.ComputeAssessmentResult(c, {}, &out);
       }},
      {"GetAssessmentResult",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::AssessmentResult out;
         return s.GetAssessmentResult(c, {}, &out);
       }},
      {"ListAssessmentResults",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListAssessmentResultsResponse out;
         return s.ListAssessmentResults(c, {}, &out);
       }},
      {"RecordTraining",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RecordTrainingRequest r;
         r.set_request_id("access-" + uscc);
         r.set_kind(v1::TRAINING_KIND_FIRE_SAFETY_EDUCATION);
         r.set_held_date("2026-03-01");
         r.set_title("Extinguisher use");
         r.set_attendee_count(12);
         r.mutable_evidence()->set_uri("https://files.park.example/t/1.pdf");
         r.mutable_evidence()->set_sha256(std::string(64, 'b'));
         v1::TrainingSession out;
         return s.RecordTraining(c, r, &out);
       }},
      {"ListTrainings",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListTrainingsRequest r;
         r.set_from_date("2026-01-01");
         r.set_to_date("2026-12-31");
         v1::ListTrainingsResponse out;
         return s.ListTrainings(c, r, &out);
       }},
      {"RecordCertification",
       [](Stub& s, grpc::ClientContext* c, const std::string& uscc) {
         v1::RecordCertificationRequest r;
         r.set_request_id("access-" + uscc);
         r.set_holder("Liu Yang");
         r.set_certificate_kind("electrician");
         r.set_number("E-1");
         r.set_issuer("Fuzhou emergency management bureau");
         r.set_issued_date("2025-01-01");
         r.set_expires_date("2028-01-01");
         v1::Certification out;
         return s.RecordCertification(c, r, &out);
       }},
      {"RenewCertification",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::RenewCertificationRequest r;
         r.set_request_id("renew-1");
         r.set_certification_id("CRT-20260309-000000000000");
         r.set_number("E-2");
         r.set_issuer("Fuzhou emergency management bureau");
         r.set_issued_date("2027-12-01");
         r.set_expires_date("2030-12-01");
         v1::Certification out;
         return s.RenewCertification(c, r, &out);
       }},
      {"ListExpiringCertifications",
       [](Stub& s, grpc::ClientContext* c, const std::string&) {
         v1::ListExpiringCertificationsRequest r;
         r.set_within_days(30);
         v1::ListExpiringCertificationsResponse out;
         return s.ListExpiringCertifications(c, r, &out);
       }},
  };
  return *calls;
}

class QualityAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenServiceDatabase("sqlite://" + dir_.path() + "/q.db", ApplySchema);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<QualityDesk>(*db_, *writer_, nullptr, DeskSettings{}, nullptr);
    training_ =
        std::make_unique<TrainingDesk>(*db_, *writer_, nullptr, absl::UTCTimeZone(), nullptr);
    assessment_ = std::make_unique<AssessmentDesk>(*db_, *writer_, nullptr, nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), kOwn, "3301960001", "SF", [&](const auth::Authorizer& a) {
          return std::make_unique<QualityService>(*desk_, *training_, *assessment_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::QualityService::NewStub(server_->channel());
  }

  testing::Invoke Invoker() { return testing::InvokerOf(*stub_, Calls()); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<QualityDesk> desk_;
  std::unique_ptr<AssessmentDesk> assessment_;
  std::unique_ptr<TrainingDesk> training_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(QualityAccessTest, TheTableCoversEveryRpcOfTheService) {
  std::set<std::string> calls;
  for (const auto& [name, call] : Calls()) calls.insert(name);
  testing::ExpectTableCoversService(
      v1::DocumentVersion::descriptor()->file()->FindServiceByName("QualityService"), kExpected,
      calls);
}

TEST_F(QualityAccessTest, EveryRpcTimesEveryRole) {
  testing::ExpectEveryRpcTimesEveryRole(kExpected, kOwn, kOther, Invoker());
}

TEST_F(QualityAccessTest, NoCredentialsAreUnauthenticatedOnEveryRpc) {
  testing::ExpectUnauthenticatedWithoutCredentials(kExpected, kOwn, Invoker());
}

}  // namespace
}  // namespace parkline::quality
