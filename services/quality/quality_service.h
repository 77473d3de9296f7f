// The gRPC face of the quality desk and the assessment desk: each RPC authorizes, identifies the
// caller as a Viewer (what it may read depends on who it is), calls QualityDesk and converts the
// result (auth/handler.h).
#ifndef PARKLINE_QUALITY_QUALITY_SERVICE_H_
#define PARKLINE_QUALITY_QUALITY_SERVICE_H_

#include "auth/authorizer.h"
#include "parkline/quality/v1/quality.grpc.pb.h"
#include "quality/assessment_desk.h"
#include "quality/quality_desk.h"
#include "quality/training_desk.h"

namespace parkline::quality {

class QualityService final : public v1::QualityService::Service {
 public:
  QualityService(QualityDesk& desk, TrainingDesk& training, AssessmentDesk& assessment,
                 const auth::Authorizer& authorizer)
      : desk_(desk), training_(training), assessment_(assessment), authorizer_(authorizer) {}

  grpc::Status PublishDocument(grpc::ServerContext* ctx, const v1::PublishDocumentRequest* request,
                               v1::DocumentVersion* response) override;
  grpc::Status GetDocument(grpc::ServerContext* ctx, const v1::GetDocumentRequest* request,
                           v1::DocumentVersion* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* ctx, const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status GetDocumentHistory(grpc::ServerContext* ctx,
                                  const v1::GetDocumentHistoryRequest* request,
                                  v1::GetDocumentHistoryResponse* response) override;
  grpc::Status WithdrawDocument(grpc::ServerContext* ctx,
                                const v1::WithdrawDocumentRequest* request,
                                v1::DocumentVersion* response) override;
  grpc::Status RecordInspection(grpc::ServerContext* ctx,
                                const v1::RecordInspectionRequest* request,
                                v1::Inspection* response) override;
  grpc::Status GetInspection(grpc::ServerContext* ctx, const v1::GetInspectionRequest* request,
                             v1::Inspection* response) override;
  grpc::Status ListInspections(grpc::ServerContext* ctx, const v1::ListInspectionsRequest* request,
                               v1::ListInspectionsResponse* response) override;
  grpc::Status CloseCorrectiveAction(grpc::ServerContext* ctx,
                                     const v1::CloseCorrectiveActionRequest* request,
                                     v1::Inspection* response) override;
  grpc::Status VerifyInspectionRecord(grpc::ServerContext* ctx,
                                      const v1::VerifyInspectionRecordRequest* request,
                                      v1::VerifyInspectionRecordResponse* response) override;
  grpc::Status GetEvaluationReport(grpc::ServerContext* ctx,
                                   const v1::GetEvaluationReportRequest* request,
                                   v1::GetEvaluationReportResponse* response) override;

  grpc::Status PublishAssessmentScheme(grpc::ServerContext* ctx,
                                       const v1::PublishAssessmentSchemeRequest* request,
                                       v1::AssessmentScheme* response) override;
  grpc::Status GetAssessmentScheme(grpc::ServerContext* ctx,
                                   const v1::GetAssessmentSchemeRequest* request,
                                   v1::AssessmentScheme* response) override;
  grpc::Status ListAssessmentSchemes(grpc::ServerContext* ctx,
                                     const v1::ListAssessmentSchemesRequest* request,
                                     v1::ListAssessmentSchemesResponse* response) override;
  grpc::Status RecordSurveyResult(grpc::ServerContext* ctx,
                                  const v1::RecordSurveyResultRequest* request,
                                  v1::SurveyResult* response) override;
  grpc::Status ComputeAssessmentResult(grpc::ServerContext* ctx,
                                       const v1::ComputeAssessmentResultRequest* request,
                                       v1::AssessmentResult* response) override;
  grpc::Status GetAssessmentResult(grpc::ServerContext* ctx,
                                   const v1::GetAssessmentResultRequest* request,
                                   v1::AssessmentResult* response) override;
  grpc::Status ListAssessmentResults(grpc::ServerContext* ctx,
                                     const v1::ListAssessmentResultsRequest* request,
                                     v1::ListAssessmentResultsResponse* response) override;

  grpc::Status RecordTraining(grpc::ServerContext* ctx, const v1::RecordTrainingRequest* request,
                              v1::TrainingSession* response) override;
  grpc::Status ListTrainings(grpc::ServerContext* ctx, const v1::ListTrainingsRequest* request,
                             v1::ListTrainingsResponse* response) override;
  grpc::Status RecordCertification(grpc::ServerContext* ctx,
                                   const v1::RecordCertificationRequest* request,
                                   v1::Certification* response) override;
  grpc::Status RenewCertification(grpc::ServerContext* ctx,
                                  const v1::RenewCertificationRequest* request,
                                  v1::Certification* response) override;
  grpc::Status ListExpiringCertifications(
      grpc::ServerContext* ctx, const v1::ListExpiringCertificationsRequest* request,
      v1::ListExpiringCertificationsResponse* response) override;

 private:
  QualityDesk& desk_;
  TrainingDesk& training_;
  AssessmentDesk& assessment_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_QUALITY_SERVICE_H_
