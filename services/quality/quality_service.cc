#include "quality/quality_service.h"

#include <string>

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::quality {
namespace {

constexpr char kPrefix[] = "/parkline.quality.v1.QualityService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfEnterprise;

}  // namespace

grpc::Status QualityService::PublishDocument(grpc::ServerContext* ctx,
                                             const v1::PublishDocumentRequest* request,
                                             v1::DocumentVersion* response) {
  return PARKLINE_RPC_AS_VIEWER(PublishDocument, kParkWide,
                                Deliver(desk_.Publish(*request, viewer), response));
}

grpc::Status QualityService::GetDocument(grpc::ServerContext* ctx,
                                         const v1::GetDocumentRequest* request,
                                         v1::DocumentVersion* response) {
  return PARKLINE_RPC_AS_VIEWER(GetDocument, kParkWide,
                                Deliver(desk_.Get(*request, viewer), response));
}

grpc::Status QualityService::ListDocuments(grpc::ServerContext* ctx,
                                           const v1::ListDocumentsRequest* request,
                                           v1::ListDocumentsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListDocuments, kParkWide,
                                Deliver(desk_.List(*request, viewer), response));
}

grpc::Status QualityService::GetDocumentHistory(grpc::ServerContext* ctx,
                                                const v1::GetDocumentHistoryRequest* request,
                                                v1::GetDocumentHistoryResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(GetDocumentHistory, kParkWide,
                                Deliver(desk_.History(*request, viewer), response));
}

grpc::Status QualityService::WithdrawDocument(grpc::ServerContext* ctx,
                                              const v1::WithdrawDocumentRequest* request,
                                              v1::DocumentVersion* response) {
  return PARKLINE_RPC_AS_VIEWER(WithdrawDocument, kParkWide,
                                Deliver(desk_.Withdraw(*request, viewer), response));
}

grpc::Status QualityService::RecordInspection(grpc::ServerContext* ctx,
                                              const v1::RecordInspectionRequest* request,
                                              v1::Inspection* response) {
  // An enterprise's supervision names its filer: the row-level rule checks it is the caller.
  auth::Resource party =
      request->filer_uscc().empty() ? kParkWide : OfEnterprise(request->filer_uscc());
  return PARKLINE_RPC_AS_VIEWER(RecordInspection, party,
                                Deliver(desk_.RecordInspection(*request, viewer), response));
}

grpc::Status QualityService::GetInspection(grpc::ServerContext* ctx,
                                           const v1::GetInspectionRequest* request,
                                           v1::Inspection* response) {
  return PARKLINE_RPC_AS_VIEWER(GetInspection, OfEnterprise(request->party_uscc()),
                                Deliver(desk_.GetInspection(*request, viewer), response));
}

grpc::Status QualityService::ListInspections(grpc::ServerContext* ctx,
                                             const v1::ListInspectionsRequest* request,
                                             v1::ListInspectionsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListInspections, OfEnterprise(request->party_uscc()),
                                Deliver(desk_.ListInspections(*request, viewer), response));
}

grpc::Status QualityService::CloseCorrectiveAction(grpc::ServerContext* ctx,
                                                   const v1::CloseCorrectiveActionRequest* request,
                                                   v1::Inspection* response) {
  return PARKLINE_RPC_AS_VIEWER(CloseCorrectiveAction, kParkWide,
                                Deliver(desk_.CloseAction(*request, viewer), response));
}

grpc::Status QualityService::VerifyInspectionRecord(
    grpc::ServerContext* ctx, const v1::VerifyInspectionRecordRequest* request,
    v1::VerifyInspectionRecordResponse* response) {
  return PARKLINE_RPC(VerifyInspectionRecord, kParkWide,
                      Deliver(desk_.VerifyRecord(*request), response));
}

grpc::Status QualityService::GetEvaluationReport(grpc::ServerContext* ctx,
                                                 const v1::GetEvaluationReportRequest* request,
                                                 v1::GetEvaluationReportResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(GetEvaluationReport, kParkWide,
                                Deliver(desk_.EvaluationReport(*request, viewer), response));
}

grpc::Status QualityService::PublishAssessmentScheme(
    grpc::ServerContext* ctx, const v1::PublishAssessmentSchemeRequest* request,
    v1::AssessmentScheme* response) {
  return PARKLINE_RPC_AS_VIEWER(PublishAssessmentScheme, kParkWide,
                                Deliver(assessment_.PublishScheme(*request, viewer), response));
}

grpc::Status QualityService::GetAssessmentScheme(grpc::ServerContext* ctx,
                                                 const v1::GetAssessmentSchemeRequest* request,
                                                 v1::AssessmentScheme* response) {
  return PARKLINE_RPC(GetAssessmentScheme, kParkWide,
                      Deliver(assessment_.GetScheme(*request), response));
}

grpc::Status QualityService::ListAssessmentSchemes(grpc::ServerContext* ctx,
                                                   const v1::ListAssessmentSchemesRequest* request,
                                                   v1::ListAssessmentSchemesResponse* response) {
  return PARKLINE_RPC(ListAssessmentSchemes, kParkWide,
                      Deliver(assessment_.ListSchemes(), response));
}

grpc::Status QualityService::RecordSurveyResult(grpc::ServerContext* ctx,
                                                const v1::RecordSurveyResultRequest* request,
                                                v1::SurveyResult* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordSurveyResult, kParkWide,
                                Deliver(assessment_.RecordSurvey(*request, viewer), response));
}

grpc::Status QualityService::ComputeAssessmentResult(
    grpc::ServerContext* ctx, const v1::ComputeAssessmentResultRequest* request,
    v1::AssessmentResult* response) {
  return PARKLINE_RPC_AS_VIEWER(ComputeAssessmentResult, kParkWide,
                                Deliver(assessment_.ComputeResult(*request, viewer), response));
}

grpc::Status QualityService::GetAssessmentResult(grpc::ServerContext* ctx,
                                                 const v1::GetAssessmentResultRequest* request,
                                                 v1::AssessmentResult* response) {
  return PARKLINE_RPC(GetAssessmentResult, kParkWide,
                      Deliver(assessment_.GetResult(*request), response));
}

grpc::Status QualityService::ListAssessmentResults(grpc::ServerContext* ctx,
                                                   const v1::ListAssessmentResultsRequest* request,
                                                   v1::ListAssessmentResultsResponse* response) {
  return PARKLINE_RPC(ListAssessmentResults, kParkWide,
                      Deliver(assessment_.ListResults(), response));
}

grpc::Status QualityService::RecordTraining(grpc::ServerContext* ctx,
                                            const v1::RecordTrainingRequest* request,
                                            v1::TrainingSession* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordTraining, kParkWide,
                                Deliver(training_.RecordTraining(*request, viewer), response));
}

grpc::Status QualityService::ListTrainings(grpc::ServerContext* ctx,
                                           const v1::ListTrainingsRequest* request,
                                           v1::ListTrainingsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListTrainings, kParkWide,
                                Deliver(training_.ListTrainings(*request, viewer), response));
}

grpc::Status QualityService::RecordCertification(grpc::ServerContext* ctx,
                                                 const v1::RecordCertificationRequest* request,
                                                 v1::Certification* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordCertification, kParkWide,
                                Deliver(training_.RecordCertification(*request, viewer), response));
}

grpc::Status QualityService::RenewCertification(grpc::ServerContext* ctx,
                                                const v1::RenewCertificationRequest* request,
                                                v1::Certification* response) {
  return PARKLINE_RPC_AS_VIEWER(RenewCertification, kParkWide,
                                Deliver(training_.RenewCertification(*request, viewer), response));
}

grpc::Status QualityService::ListExpiringCertifications(
    grpc::ServerContext* ctx, const v1::ListExpiringCertificationsRequest* request,
    v1::ListExpiringCertificationsResponse* response) {
  return PARKLINE_RPC(ListExpiringCertifications, kParkWide,
                      Deliver(training_.ListExpiring(*request), response));
}

}  // namespace parkline::quality
