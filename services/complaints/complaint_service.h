// The gRPC face of the complaint desk: each RPC names the party its request is about (for the
// row-level rules), authorizes, calls ComplaintDesk and converts the result (auth/handler.h). An
// RPC whose answer or record depends on who asks also identifies the caller as a Viewer
// (contact_privacy.h: whose name goes into the record and who may see contact details); an
// authorizer that cannot identify callers fails those RPCs.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_SERVICE_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_SERVICE_H_

#include "auth/authorizer.h"
#include "complaints/complaint_desk.h"
#include "parkline/complaints/v1/complaints.grpc.pb.h"

namespace parkline::complaints {

class ComplaintService final : public v1::ComplaintService::Service {
 public:
  ComplaintService(ComplaintDesk& desk, const auth::Authorizer& authorizer)
      : desk_(desk), authorizer_(authorizer) {}

  grpc::Status FileComplaint(grpc::ServerContext* ctx, const v1::FileComplaintRequest* request,
                             v1::Complaint* response) override;
  grpc::Status GetComplaint(grpc::ServerContext* ctx, const v1::GetComplaintRequest* request,
                            v1::Complaint* response) override;
  grpc::Status ListComplaints(grpc::ServerContext* ctx, const v1::ListComplaintsRequest* request,
                              v1::ListComplaintsResponse* response) override;
  grpc::Status AcknowledgeComplaint(grpc::ServerContext* ctx, const v1::TransitionRequest* request,
                                    v1::Complaint* response) override;
  grpc::Status AssignComplaint(grpc::ServerContext* ctx, const v1::AssignComplaintRequest* request,
                               v1::Complaint* response) override;
  grpc::Status StartInvestigation(grpc::ServerContext* ctx, const v1::TransitionRequest* request,
                                  v1::Complaint* response) override;
  grpc::Status RespondToComplaint(grpc::ServerContext* ctx, const v1::RespondRequest* request,
                                  v1::Complaint* response) override;
  grpc::Status CloseComplaint(grpc::ServerContext* ctx, const v1::CloseComplaintRequest* request,
                              v1::Complaint* response) override;
  grpc::Status ReopenComplaint(grpc::ServerContext* ctx, const v1::TransitionRequest* request,
                               v1::Complaint* response) override;
  grpc::Status EscalateComplaint(grpc::ServerContext* ctx, const v1::TransitionRequest* request,
                                 v1::Complaint* response) override;
  grpc::Status OverrideDeadline(grpc::ServerContext* ctx,
                                const v1::OverrideDeadlineRequest* request,
                                v1::Complaint* response) override;
  grpc::Status VerifyRecord(grpc::ServerContext* ctx, const v1::VerifyRecordRequest* request,
                            v1::VerifyRecordResponse* response) override;
  grpc::Status ExportComplaints(grpc::ServerContext* ctx,
                                const v1::ExportComplaintsRequest* request,
                                v1::ExportComplaintsResponse* response) override;
  grpc::Status RecordFeedback(grpc::ServerContext* ctx, const v1::RecordFeedbackRequest* request,
                              v1::Feedback* response) override;
  grpc::Status ListFeedback(grpc::ServerContext* ctx, const v1::ListFeedbackRequest* request,
                            v1::ListFeedbackResponse* response) override;

 private:
  grpc::Status StepRpc(grpc::ServerContext* ctx, const char* method, Action action,
                       const StepRequest& step, v1::Complaint* response);

  ComplaintDesk& desk_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_SERVICE_H_
