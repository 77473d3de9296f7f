// The gRPC face of the clearance desk: each RPC names the parties its request is about (for the
// row-level rules), authorizes, calls ClearanceDesk and converts the result. An RPC that returns
// cases also identifies the caller (Authorizer::Identify) as the Viewer the desk shapes them for
// (buyer_privacy.h); an authorizer that cannot identify callers fails those RPCs.
#ifndef PARKLINE_CLEARANCE_CLEARANCE_SERVICE_H_
#define PARKLINE_CLEARANCE_CLEARANCE_SERVICE_H_

#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "clearance/clearance_desk.h"
#include "parkline/clearance/v1/clearance.grpc.pb.h"

namespace parkline::clearance {

class ClearanceService final : public v1::ClearanceService::Service {
 public:
  // `customs_certificates` (DER): a receipt message that carries a signature must be signed with
  // one of them; empty: receipts' signatures are not checked. The receipt XSDs have no
  // Signature, so an unsigned receipt is accepted either way (the DXP transport authenticates
  // customs); a signed one that does not verify is refused.
  ClearanceService(ClearanceDesk& desk, const v1::GuidanceBook& guidance,
                   const auth::Authorizer& authorizer,
                   std::vector<std::string> customs_certificates = {})
      : desk_(desk),
        guidance_(guidance),
        authorizer_(authorizer),
        customs_certificates_(std::move(customs_certificates)) {}

  grpc::Status OpenCase(grpc::ServerContext* ctx, const v1::OpenCaseRequest* request,
                        v1::ClearanceCase* response) override;
  grpc::Status GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* request,
                       v1::ClearanceCase* response) override;
  grpc::Status ListCases(grpc::ServerContext* ctx, const v1::ListCasesRequest* request,
                         v1::ListCasesResponse* response) override;
  grpc::Status SubmitCase(grpc::ServerContext* ctx, const v1::SubmitCaseRequest* request,
                          v1::ClearanceCase* response) override;
  grpc::Status GetInventoryMessage(grpc::ServerContext* ctx,
                                   const v1::GetInventoryMessageRequest* request,
                                   v1::InventoryMessage* response) override;
  grpc::Status RecordReceipt(grpc::ServerContext* ctx, const v1::RecordReceiptRequest* request,
                             v1::ReceiptResult* response) override;
  grpc::Status SubmitReceiptMessage(grpc::ServerContext* ctx,
                                    const v1::SubmitReceiptMessageRequest* request,
                                    v1::SubmitReceiptMessageResponse* response) override;
  grpc::Status RecordTaxBill(grpc::ServerContext* ctx, const v1::RecordTaxBillRequest* request,
                             v1::ClearanceCase* response) override;
  grpc::Status GetGuidance(grpc::ServerContext* ctx, const v1::GetGuidanceRequest* request,
                           v1::Guidance* response) override;
  grpc::Status ListRefundEligible(grpc::ServerContext* ctx,
                                  const v1::ListRefundEligibleRequest* request,
                                  v1::ListRefundEligibleResponse* response) override;
  grpc::Status GrantMandate(grpc::ServerContext* ctx, const v1::GrantMandateRequest* request,
                            v1::Mandate* response) override;
  grpc::Status RevokeMandate(grpc::ServerContext* ctx, const v1::RevokeMandateRequest* request,
                             v1::Mandate* response) override;
  grpc::Status ListMandates(grpc::ServerContext* ctx, const v1::ListMandatesRequest* request,
                            v1::ListMandatesResponse* response) override;

 private:
  ClearanceDesk& desk_;
  const v1::GuidanceBook& guidance_;
  const auth::Authorizer& authorizer_;
  const std::vector<std::string> customs_certificates_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CLEARANCE_SERVICE_H_
