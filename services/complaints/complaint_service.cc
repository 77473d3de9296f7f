#include "complaints/complaint_service.h"

#include <string>

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::complaints {
namespace {

constexpr char kPrefix[] = "/parkline.complaints.v1.ComplaintService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfEnterprise;

template <typename Request>
StepRequest StepOf(const Request& request) {
  StepRequest step;
  step.complaint_id = request.complaint_id();
  step.request_id = request.request_id();
  step.note = request.note();
  return step;
}

}  // namespace

grpc::Status ComplaintService::FileComplaint(grpc::ServerContext* ctx,
                                             const v1::FileComplaintRequest* request,
                                             v1::Complaint* response) {
  return PARKLINE_RPC_AS_VIEWER(FileComplaint, OfEnterprise(request->complainant().uscc()),
                                Deliver(desk_.File(*request, viewer), response));
}

grpc::Status ComplaintService::GetComplaint(grpc::ServerContext* ctx,
                                            const v1::GetComplaintRequest* request,
                                            v1::Complaint* response) {
  return PARKLINE_RPC_AS_VIEWER(GetComplaint, OfEnterprise(request->party_uscc()),
                                Deliver(desk_.Get(*request, viewer), response));
}

grpc::Status ComplaintService::ListComplaints(grpc::ServerContext* ctx,
                                              const v1::ListComplaintsRequest* request,
                                              v1::ListComplaintsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListComplaints, OfEnterprise(request->party_uscc()),
                                Deliver(desk_.List(*request, viewer), response));
}

grpc::Status ComplaintService::StepRpc(grpc::ServerContext* ctx, const char* method, Action action,
                                       const StepRequest& step, v1::Complaint* response) {
  return auth::HandleUnaryAsViewer(
      authorizer_, ctx, std::string(kPrefix) + method, kParkWide,
      [&](const Viewer& viewer) { return Deliver(desk_.Step(action, step, viewer), response); });
}

grpc::Status ComplaintService::AcknowledgeComplaint(grpc::ServerContext* ctx,
                                                    const v1::TransitionRequest* request,
                                                    v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  return StepRpc(ctx, "AcknowledgeComplaint", Action::kAcknowledge, step, response);
}

grpc::Status ComplaintService::AssignComplaint(grpc::ServerContext* ctx,
                                               const v1::AssignComplaintRequest* request,
                                               v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  step.department = request->department();
  step.handler = request->handler();
  return StepRpc(ctx, "AssignComplaint", Action::kAssign, step, response);
}

grpc::Status ComplaintService::StartInvestigation(grpc::ServerContext* ctx,
                                                  const v1::TransitionRequest* request,
                                                  v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  return StepRpc(ctx, "StartInvestigation", Action::kStartInvestigation, step, response);
}

grpc::Status ComplaintService::RespondToComplaint(grpc::ServerContext* ctx,
                                                  const v1::RespondRequest* request,
                                                  v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  step.response = request->response();
  return StepRpc(ctx, "RespondToComplaint", Action::kRespond, step, response);
}

grpc::Status ComplaintService::CloseComplaint(grpc::ServerContext* ctx,
                                              const v1::CloseComplaintRequest* request,
                                              v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  step.satisfaction = request->satisfaction();
  return StepRpc(ctx, "CloseComplaint", Action::kClose, step, response);
}

grpc::Status ComplaintService::ReopenComplaint(grpc::ServerContext* ctx,
                                               const v1::TransitionRequest* request,
                                               v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  return StepRpc(ctx, "ReopenComplaint", Action::kReopen, step, response);
}

grpc::Status ComplaintService::EscalateComplaint(grpc::ServerContext* ctx,
                                                 const v1::TransitionRequest* request,
                                                 v1::Complaint* response) {
  StepRequest step = StepOf(*request);
  return StepRpc(ctx, "EscalateComplaint", Action::kEscalate, step, response);
}

grpc::Status ComplaintService::OverrideDeadline(grpc::ServerContext* ctx,
                                                const v1::OverrideDeadlineRequest* request,
                                                v1::Complaint* response) {
  return PARKLINE_RPC_AS_VIEWER(OverrideDeadline, kParkWide,
                                Deliver(desk_.OverrideDeadline(*request, viewer), response));
}

grpc::Status ComplaintService::VerifyRecord(grpc::ServerContext* ctx,
                                            const v1::VerifyRecordRequest* request,
                                            v1::VerifyRecordResponse* response) {
  return PARKLINE_RPC(VerifyRecord, kParkWide, Deliver(desk_.Verify(*request), response));
}

grpc::Status ComplaintService::ExportComplaints(grpc::ServerContext* ctx,
                                                const v1::ExportComplaintsRequest* request,
                                                v1::ExportComplaintsResponse* response) {
  return PARKLINE_RPC(ExportComplaints, kParkWide, Deliver(desk_.Export(*request), response));
}

grpc::Status ComplaintService::RecordFeedback(grpc::ServerContext* ctx,
                                              const v1::RecordFeedbackRequest* request,
                                              v1::Feedback* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordFeedback, kParkWide,
                                Deliver(desk_.RecordFeedback(*request, viewer), response));
}

grpc::Status ComplaintService::ListFeedback(grpc::ServerContext* ctx,
                                            const v1::ListFeedbackRequest* request,
                                            v1::ListFeedbackResponse* response) {
  return PARKLINE_RPC(ListFeedback, kParkWide, Deliver(desk_.ListFeedback(*request), response));
}

}  // namespace parkline::complaints
