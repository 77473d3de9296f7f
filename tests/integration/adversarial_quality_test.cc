// The quality service tried as a hostile tenant would: over gRPC, on both backends, an
// enterprise tries to read the park's internal documents (by id, by version, by history, by
// listing), to publish, replace or withdraw a document, to reuse the park's request id, and to
// read, close or forge another enterprise's supervision finding (7.1.1) or the park's inspections;
// and every role but park staff tries to record or renew the operator's internal training records
// and staff certifications (5.6.1.1, 5.6.3), an enterprise to read them. Each attempt is refused
// (PERMISSION_DENIED, or NOT_FOUND exactly as for a document that does not exist) and the witness
// shows that no row, no outbox event and no record on the topic changed; no answer carries a byte
// of the internal document.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "quality/access_policy.h"
#include "quality/quality_desk.h"
#include "quality/quality_service.h"
#include "quality/schema.h"
#include "store/group_commit.h"
#include "tests/support/access_matrix.h"
#include "tests/support/backend_test.h"
#include "tests/support/tamper_witness.h"

namespace parkline::quality {
namespace {

const std::string kTenant = testing::NumberedUscc(1);
const std::string kVictim = testing::NumberedUscc(2);
constexpr char kSecret[] = "Night-shift key safe code 4471";

const std::vector<testing::TestCaller>& Callers() {
  static const auto* callers = new std::vector<testing::TestCaller>{
      {"t-staff", "staff-li", "park-staff", "", "", ""},
      {"t-tenant", "tenant-erp", "enterprise", kTenant, "", ""},
      {"t-victim", "victim-erp", "enterprise", kVictim, "", ""},
      {"t-analyst", "analyst-bi", "analyst", "", "", ""},
      {"t-carrier", "carrier-tms", "carrier", "", "", "SF"},
      {"t-customs", "customs-gateway", "customs-gateway", "", "", ""},
  };
  return *callers;
}

using Stub = v1::QualityService::Stub;

class AdversarialQualityTest : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ = std::make_unique<QualityDesk>(*db_, *writer_, nullptr, DeskSettings{}, nullptr);
    training_ =
        std::make_unique<TrainingDesk>(*db_, *writer_, nullptr, absl::UTCTimeZone(), nullptr);
    assessment_ = std::make_unique<AssessmentDesk>(*db_, *writer_, nullptr, nullptr);
    auto server = testing::PolicyServer::Start(
        dir_.path(), AccessPolicy(), Callers(), [&](const auth::Authorizer& a) {
          return std::make_unique<QualityService>(*desk_, *training_, *assessment_, a);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::QualityService::NewStub(server_->channel());

    // The victim: an internal manual (with a secret) in two versions, and a public guide.
    grpc::ClientContext c1, c2, c3;
    As(c1, "staff");
    ASSERT_TRUE(stub_->PublishDocument(&c1, Internal("staff-1", "", 0), &manual_).ok());
    As(c2, "staff");
    ASSERT_TRUE(
        stub_->PublishDocument(&c2, Internal("staff-2", manual_.document_id(), 1), &manual_).ok());
    v1::PublishDocumentRequest guide = Internal("staff-3", "", 0);
    guide.set_kind(v1::DOCUMENT_KIND_SERVICE_GUIDE);
    guide.set_visibility(v1::VISIBILITY_PUBLIC);
    guide.set_content("Office hours 9-17.");
    As(c3, "staff");
    ASSERT_TRUE(stub_->PublishDocument(&c3, guide, &guide_).ok());
    // Another enterprise's supervision of the park, and the park's own inspection.
    grpc::ClientContext c4, c5;
    As(c4, "victim");
    v1::RecordInspectionRequest sup;
    sup.set_request_id("victim-sup-1");
    sup.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
    sup.set_inspected_date("2026-03-01");
    sup.set_inspector("Chen Jing");
    sup.set_filer_uscc(kVictim);
    sup.add_findings()->set_description("The loading bay lights are out at night");
    grpc::Status filed = stub_->RecordInspection(&c4, sup, &supervision_);
    ASSERT_TRUE(filed.ok()) << filed.error_message();
    v1::RecordInspectionRequest own = sup;
    own.set_request_id("staff-ins-1");
    own.set_kind(v1::INSPECTION_KIND_INTERNAL_PERIODIC);
    own.clear_filer_uscc();
    As(c5, "staff");
    ASSERT_TRUE(stub_->RecordInspection(&c5, own, &internal_).ok());
    witness_ = std::make_unique<testing::TamperWitness>(
        *db_, std::vector<std::string>{"parkline.quality.v1"});
    witness_->Mark();
  }

  static void As(grpc::ClientContext& ctx, const std::string& who) {
    ctx.AddMetadata("authorization", "Bearer t-" + who);
  }

  static v1::PublishDocumentRequest Internal(const std::string& request_id,
                                             const std::string& document_id, int64_t expected) {
    v1::PublishDocumentRequest r;
    r.set_request_id(request_id);
    r.set_document_id(document_id);
    r.set_expected_version(expected);
    r.set_kind(v1::DOCUMENT_KIND_INTERNAL_MANUAL);
    r.set_title("Security desk manual");
    r.set_visibility(v1::VISIBILITY_INTERNAL);
    r.set_effective_date("2026-03-01");
    r.set_approved_by("Wang Fang");
    r.set_media_type("text/plain");
    r.set_content(kSecret);
    return r;
  }

  grpc::Status ExpectRefused(const std::string& who, const std::string& trick,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             std::vector<grpc::StatusCode> codes = {
                                 grpc::StatusCode::PERMISSION_DENIED,
                                 grpc::StatusCode::NOT_FOUND}) {
    grpc::ClientContext ctx;
    As(ctx, who);
    grpc::Status status = attempt(&ctx);
    witness_->ExpectRefused(absl::StrCat(who, " ", trick), status, codes);
    EXPECT_EQ(status.error_message().find(kSecret), std::string::npos);
    return status;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<QualityDesk> desk_;
  std::unique_ptr<AssessmentDesk> assessment_;
  std::unique_ptr<TrainingDesk> training_;
  std::unique_ptr<testing::PolicyServer> server_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<testing::TamperWitness> witness_;
  v1::DocumentVersion manual_;
  v1::DocumentVersion guide_;
  v1::Inspection supervision_;
  v1::Inspection internal_;
};

TEST_P(AdversarialQualityTest, AnEnterpriseCannotReadTheParksInternalDocuments) {
  for (int64_t version : {0, 1, 2}) {
    grpc::Status s =
        ExpectRefused("tenant", absl::StrCat("reads the internal manual, version ", version),
                      [&](grpc::ClientContext* c) {
                        v1::GetDocumentRequest r;
                        r.set_document_id(manual_.document_id());
                        r.set_version(version);
                        v1::DocumentVersion out;
                        grpc::Status st = stub_->GetDocument(c, r, &out);
                        EXPECT_EQ(out.content(), "");
                        return st;
                      });
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << "as if it did not exist";
  }
  ExpectRefused("tenant", "reads the internal manual's history", [&](grpc::ClientContext* c) {
    v1::GetDocumentHistoryRequest r;
    r.set_document_id(manual_.document_id());
    v1::GetDocumentHistoryResponse out;
    grpc::Status st = stub_->GetDocumentHistory(c, r, &out);
    EXPECT_EQ(out.versions_size(), 0);
    return st;
  });
  // Listing shows the public guide alone.
  grpc::ClientContext ctx;
  As(ctx, "tenant");
  v1::ListDocumentsResponse listed;
  ASSERT_TRUE(stub_->ListDocuments(&ctx, {}, &listed).ok());
  ASSERT_EQ(listed.documents_size(), 1);
  EXPECT_EQ(listed.documents(0).document_id(), guide_.document_id());
  witness_->ExpectUnchanged("tenant lists the register");
}

TEST_P(AdversarialQualityTest, AnEnterpriseCannotPublishOrReplaceADocument) {
  ExpectRefused("tenant", "replaces the public guide with its own version",
                [&](grpc::ClientContext* c) {
                  v1::PublishDocumentRequest r = Internal("tenant-1", guide_.document_id(), 1);
                  r.set_kind(v1::DOCUMENT_KIND_SERVICE_GUIDE);
                  r.set_visibility(v1::VISIBILITY_PUBLIC);
                  r.set_content("Office closed, pay fees to account 6222...");
                  v1::DocumentVersion out;
                  return stub_->PublishDocument(c, r, &out);
                });
  ExpectRefused("tenant", "retries the park's own publication to read it back",
                [&](grpc::ClientContext* c) {
                  v1::DocumentVersion out;
                  return stub_->PublishDocument(c, Internal("staff-1", "", 0), &out);
                });
  for (const char* who : {"carrier", "customs"}) {
    ExpectRefused(who, "lists the register", [&](grpc::ClientContext* c) {
      v1::ListDocumentsResponse out;
      return stub_->ListDocuments(c, {}, &out);
    });
  }
}

// Withdrawing a document is the park's decision (5.1.3): a tenant that could withdraw the park's
// guide or its fire-safety plan would leave the register, and clause 8's evidence, without it.
TEST_P(AdversarialQualityTest, OnlyParkStaffWithdrawADocument) {
  auto withdrawal = [](const v1::DocumentVersion& d, const std::string& request_id) {
    v1::WithdrawDocumentRequest r;
    r.set_request_id(request_id);
    r.set_document_id(d.document_id());
    r.set_expected_version(d.version());
    r.set_effective_date("2026-04-01");
    r.set_approved_by("Wang Fang");
    r.set_reason("no longer applies");
    return r;
  };
  for (const char* who : {"tenant", "victim", "analyst", "carrier", "customs"}) {
    ExpectRefused(who, "withdraws the public guide", [&](grpc::ClientContext* c) {
      v1::DocumentVersion out;
      return stub_->WithdrawDocument(c, withdrawal(guide_, absl::StrCat(who, "-w1")), &out);
    });
    ExpectRefused(who, "withdraws the internal manual", [&](grpc::ClientContext* c) {
      v1::DocumentVersion out;
      grpc::Status st =
          stub_->WithdrawDocument(c, withdrawal(manual_, absl::StrCat(who, "-w2")), &out);
      EXPECT_EQ(out.title(), "") << "nothing of the internal manual comes back";
      return st;
    });
    ExpectRefused(who, "withdraws under the park's own request id", [&](grpc::ClientContext* c) {
      v1::DocumentVersion out;
      return stub_->WithdrawDocument(c, withdrawal(guide_, "staff-3"), &out);
    });
  }
  // Once the park has withdrawn its guide, a tenant cannot bring it back with a new version.
  grpc::ClientContext staff;
  As(staff, "staff");
  v1::DocumentVersion withdrawn;
  ASSERT_TRUE(stub_->WithdrawDocument(&staff, withdrawal(guide_, "staff-w1"), &withdrawn).ok());
  witness_->Mark();
  ExpectRefused("tenant", "republishes the withdrawn guide", [&](grpc::ClientContext* c) {
    v1::PublishDocumentRequest r = Internal("tenant-2", guide_.document_id(), withdrawn.version());
    r.set_kind(v1::DOCUMENT_KIND_SERVICE_GUIDE);
    r.set_visibility(v1::VISIBILITY_PUBLIC);
    v1::DocumentVersion out;
    return stub_->PublishDocument(c, r, &out);
  });
}

// The assessment is the park's own (7.2): a tenant can neither set the weights its services are
// scored by, nor plant a survey, nor freeze a period's result, nor read them.
TEST_P(AdversarialQualityTest, AnEnterpriseCannotTouchTheAssessment) {
  ExpectRefused("tenant", "publishes a scheme weighing only what flatters it",
                [&](grpc::ClientContext* c) {
                  v1::PublishAssessmentSchemeRequest r;
                  r.set_request_id("tenant-scheme");
                  r.set_effective_from("2026-01-01");
                  r.set_approved_by("tenant");
                  auto* only = r.add_components();
                  only->set_name("survey");
                  only->set_input(v1::ASSESSMENT_INPUT_THIRD_PARTY_SURVEY);
                  only->set_weight_bp(10000);
                  only->set_direction(v1::DIRECTION_HIGHER_BETTER);
                  only->set_floor("0");
                  only->set_target("1");
                  v1::AssessmentScheme out;
                  return stub_->PublishAssessmentScheme(c, r, &out);
                });
  ExpectRefused("tenant", "records a survey of its own", [&](grpc::ClientContext* c) {
    v1::RecordSurveyResultRequest r;
    r.set_request_id("tenant-survey");
    r.set_surveyor("tenant");
    r.set_period_from("2026-01-01");
    r.set_period_to("2026-03-31");
    r.set_sample_size(1);
    r.set_score("100");
    r.set_evidence_uri("https://tenant.example/s.pdf");
    r.set_evidence_sha256(std::string(64, 'a'));
    v1::SurveyResult out;
    return stub_->RecordSurveyResult(c, r, &out);
  });
  ExpectRefused("tenant", "computes and freezes a period's result", [&](grpc::ClientContext* c) {
    v1::ComputeAssessmentResultRequest r;
    r.mutable_period()->set_from("2026-03-01");
    r.mutable_period()->set_to("2026-03-01");
    v1::AssessmentResult out;
    return stub_->ComputeAssessmentResult(c, r, &out);
  });
  ExpectRefused("tenant", "lists the results", [&](grpc::ClientContext* c) {
    v1::ListAssessmentResultsResponse out;
    return stub_->ListAssessmentResults(c, {}, &out);
  });
  ExpectRefused("tenant", "reads the scheme", [&](grpc::ClientContext* c) {
    v1::AssessmentScheme out;
    return stub_->GetAssessmentScheme(c, {}, &out);
  });
}

TEST_P(AdversarialQualityTest, AnEnterpriseCannotReadOrChangeAnothersFinding) {
  const std::string action = supervision_.actions(0).action_id();
  ExpectRefused("tenant", "closes the victim's corrective action", [&](grpc::ClientContext* c) {
    v1::CloseCorrectiveActionRequest r;
    r.set_action_id(action);
    r.set_request_id("tenant-close-1");
    r.set_evidence("nothing was wrong");
    v1::Inspection out;
    return stub_->CloseCorrectiveAction(c, r, &out);
  });
  ExpectRefused("victim", "closes its own finding's action (the park's to close)",
                [&](grpc::ClientContext* c) {
                  v1::CloseCorrectiveActionRequest r;
                  r.set_action_id(action);
                  r.set_request_id("victim-close-1");
                  r.set_evidence("fixed it ourselves");
                  v1::Inspection out;
                  return stub_->CloseCorrectiveAction(c, r, &out);
                });
  for (const std::string& id : {supervision_.inspection_id(), internal_.inspection_id()}) {
    grpc::Status s = ExpectRefused("tenant", "reads an inspection it did not file, naming itself",
                                   [&](grpc::ClientContext* c) {
                                     v1::GetInspectionRequest r;
                                     r.set_inspection_id(id);
                                     r.set_party_uscc(kTenant);
                                     v1::Inspection out;
                                     return stub_->GetInspection(c, r, &out);
                                   });
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  }
  ExpectRefused("tenant", "reads the victim's inspection naming the victim",
                [&](grpc::ClientContext* c) {
                  v1::GetInspectionRequest r;
                  r.set_inspection_id(supervision_.inspection_id());
                  r.set_party_uscc(kVictim);
                  v1::Inspection out;
                  return stub_->GetInspection(c, r, &out);
                });
  ExpectRefused("tenant", "files a supervision in the victim's name", [&](grpc::ClientContext* c) {
    v1::RecordInspectionRequest r;
    r.set_request_id("tenant-sup-1");
    r.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
    r.set_inspected_date("2026-03-01");
    r.set_inspector("someone");
    r.set_filer_uscc(kVictim);
    r.add_findings()->set_description("The victim's complaint was unfounded");
    v1::Inspection out;
    return stub_->RecordInspection(c, r, &out);
  });
  ExpectRefused("tenant", "files an authority's inspection",
                [&](grpc::ClientContext* c) {
                  v1::RecordInspectionRequest r;
                  r.set_request_id("tenant-auth-1");
                  r.set_kind(v1::INSPECTION_KIND_AUTHORITY);
                  r.set_inspected_date("2026-03-01");
                  r.set_inspector("District fire brigade");
                  r.set_filer_uscc(kTenant);
                  r.add_findings()->set_description("forged");
                  v1::Inspection out;
                  return stub_->RecordInspection(c, r, &out);
                },
                {grpc::StatusCode::PERMISSION_DENIED, grpc::StatusCode::INVALID_ARGUMENT});
  ExpectRefused("tenant", "reuses the victim's request id to read its filing back",
                [&](grpc::ClientContext* c) {
                  v1::RecordInspectionRequest r;
                  r.set_request_id("victim-sup-1");
                  r.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
                  r.set_inspected_date("2026-03-01");
                  r.set_inspector("Chen Jing");
                  r.set_filer_uscc(kTenant);
                  r.add_findings()->set_description("The loading bay lights are out at night");
                  v1::Inspection out;
                  grpc::Status st = stub_->RecordInspection(c, r, &out);
                  EXPECT_EQ(out.inspection_id(), "");
                  return st;
                },
                {grpc::StatusCode::ALREADY_EXISTS});
  // Listing shows the tenant nothing of the others', whatever it names.
  grpc::ClientContext ctx;
  As(ctx, "tenant");
  v1::ListInspectionsRequest list;
  list.set_party_uscc(kTenant);
  v1::ListInspectionsResponse listed;
  ASSERT_TRUE(stub_->ListInspections(&ctx, list, &listed).ok());
  EXPECT_EQ(listed.inspections_size(), 0);
  witness_->ExpectUnchanged("tenant lists inspections");
}

// The operator's internal records: a staff certification and a drill, then the witness' mark.
class AdversarialTrainingTest : public AdversarialQualityTest {
 protected:
  void SetUp() override {
    AdversarialQualityTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    grpc::ClientContext c1, c2;
    As(c1, "staff");
    ASSERT_TRUE(stub_->RecordCertification(&c1, Certificate("staff-crt"), &certification_).ok());
    As(c2, "staff");
    v1::TrainingSession session;
    ASSERT_TRUE(stub_->RecordTraining(&c2, Drill("staff-drill"), &session).ok());
    witness_->Mark();
  }

  static v1::RecordCertificationRequest Certificate(const std::string& request_id) {
    v1::RecordCertificationRequest r;
    r.set_request_id(request_id);
    r.set_holder("Liu Yang");
    r.set_certificate_kind("fire-safety facility operator");
    r.set_number("3501-2024-00871");
    r.set_issuer("Fujian fire rescue corps");
    r.set_issued_date("2024-10-15");
    r.set_expires_date("2026-10-14");
    return r;
  }

  static v1::RecordTrainingRequest Drill(const std::string& request_id) {
    v1::RecordTrainingRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::TRAINING_KIND_EMERGENCY_DRILL);
    r.set_held_date("2026-03-01");
    r.set_title("Warehouse B evacuation drill");
    r.set_attendee_count(46);
    r.mutable_evidence()->set_uri("https://files.park.example/drills/2026-03-01.pdf");
    r.mutable_evidence()->set_sha256(std::string(64, 'a'));
    return r;
  }

  static v1::ListTrainingsRequest Year() {
    v1::ListTrainingsRequest r;
    r.set_from_date("2026-01-01");
    r.set_to_date("2026-12-31");
    return r;
  }

  v1::Certification certification_;
};

TEST_P(AdversarialTrainingTest, EveryRoleButParkStaffIsRefusedEveryWriteAndChangesNothing) {
  const std::vector<std::pair<std::string, std::function<grpc::Status(grpc::ClientContext*)>>>
      writes = {
          {"records a drill",
           [&](grpc::ClientContext* c) {
             v1::TrainingSession out;
             return stub_->RecordTraining(c, Drill("forged-drill"), &out);
           }},
          {"records a certification",
           [&](grpc::ClientContext* c) {
             v1::Certification out;
             return stub_->RecordCertification(c, Certificate("forged-crt"), &out);
           }},
          {"renews the park's certification",
           [&](grpc::ClientContext* c) {
             v1::RenewCertificationRequest r;
             r.set_request_id("forged-renewal");
             r.set_certification_id(certification_.certification_id());
             r.set_number("FAKE-1");
             r.set_issuer("nobody");
             r.set_issued_date("2026-03-01");
             r.set_expires_date("2036-03-01");
             v1::Certification out;
             return stub_->RenewCertification(c, r, &out);
           }},
      };
  for (const std::string who : {"analyst", "tenant", "carrier", "customs"}) {
    for (const auto& [trick, attempt] : writes) {
      ExpectRefused(who, trick, attempt, {grpc::StatusCode::PERMISSION_DENIED});
    }
  }
}

TEST_P(AdversarialTrainingTest, AnEnterpriseReadsNoneOfTheseInternalRecords) {
  ExpectRefused("tenant", "lists trainings",
                [&](grpc::ClientContext* c) {
                  v1::ListTrainingsResponse out;
                  grpc::Status st = stub_->ListTrainings(c, Year(), &out);
                  EXPECT_EQ(out.sessions_size(), 0);
                  return st;
                },
                {grpc::StatusCode::PERMISSION_DENIED});
  ExpectRefused("tenant", "lists certifications",
                [&](grpc::ClientContext* c) {
                  v1::ListExpiringCertificationsRequest r;
                  r.set_within_days(3650);
                  v1::ListExpiringCertificationsResponse out;
                  grpc::Status st = stub_->ListExpiringCertifications(c, r, &out);
                  EXPECT_EQ(out.certifications_size(), 0);
                  return st;
                },
                {grpc::StatusCode::PERMISSION_DENIED});
  // The analyst reads them, and reading changes nothing either.
  grpc::ClientContext ctx;
  As(ctx, "analyst");
  v1::ListTrainingsResponse listed;
  grpc::Status read = stub_->ListTrainings(&ctx, Year(), &listed);
  EXPECT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(listed.sessions_size(), 1);
  witness_->ExpectUnchanged("analyst lists trainings");
}

PARKLINE_BACKEND_TESTS(AdversarialQualityTest);
PARKLINE_BACKEND_TESTS(AdversarialTrainingTest);

}  // namespace
}  // namespace parkline::quality
