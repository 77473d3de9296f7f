#include "clearance/clearance_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "auth/handler.h"
#include "auth/resources.h"
#include "ceb/receipt_reader.h"
#include "ceb/xml_signature.h"
#include "clearance/clearance_metrics.h"
#include "clearance/guidance.h"

namespace parkline::clearance {
namespace {

constexpr char kPrefix[] = "/parkline.clearance.v1.ClearanceService/";

using auth::Deliver;
using auth::kParkWide;
using auth::Parties;

// The receipt's signature, when it has one and customs' certificate is configured; counted.
absl::Status CheckReceiptSignature(const std::string& xml,
                                   const std::vector<std::string>& customs_certificates) {
  if (customs_certificates.empty()) {
    CountReceiptSignature("unchecked");
    return absl::OkStatus();
  }
  auto is_signed = ceb::IsSigned(xml);
  if (!is_signed.ok()) return is_signed.status();
  if (!*is_signed) {
    CountReceiptSignature("unsigned");
    return absl::OkStatus();
  }
  auto verified = ceb::VerifyEnveloped(xml, customs_certificates);
  if (!verified.ok()) {
    CountReceiptSignature("refused");
    return absl::InvalidArgumentError(
        absl::StrCat("xml: the receipt's ", verified.status().message()));
  }
  CountReceiptSignature("verified");
  return absl::OkStatus();
}

}  // namespace

grpc::Status ClearanceService::OpenCase(grpc::ServerContext* ctx,
                                        const v1::OpenCaseRequest* request,
                                        v1::ClearanceCase* response) {
  // The caller must be one of the codes it names; whether it is the declarant (the e-commerce
  // enterprise, or its agent under a mandate in force) the desk decides from the mandates stored.
  const v1::Inventory& i = request->inventory();
  auth::Resource resource = Parties({i.ebc_code(), i.agent_code()});
  return PARKLINE_RPC_AS_VIEWER(OpenCase, resource,
                                Deliver(desk_.Open(*request, viewer), response));
}

grpc::Status ClearanceService::GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* request,
                                       v1::ClearanceCase* response) {
  return PARKLINE_RPC_AS_VIEWER(
      GetCase, Parties({request->enterprise_code()}),
      Deliver(desk_.Get(request->case_id(), request->enterprise_code(), viewer), response));
}

grpc::Status ClearanceService::ListCases(grpc::ServerContext* ctx,
                                         const v1::ListCasesRequest* request,
                                         v1::ListCasesResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListCases, Parties({request->enterprise_code()}),
                                Deliver(desk_.List(*request, viewer), response));
}

grpc::Status ClearanceService::SubmitCase(grpc::ServerContext* ctx,
                                          const v1::SubmitCaseRequest* request,
                                          v1::ClearanceCase* response) {
  return PARKLINE_RPC_AS_VIEWER(SubmitCase, Parties({request->enterprise_code()}),
                                Deliver(desk_.Submit(*request, viewer), response));
}

grpc::Status ClearanceService::GetInventoryMessage(grpc::ServerContext* ctx,
                                                   const v1::GetInventoryMessageRequest* request,
                                                   v1::InventoryMessage* response) {
  return PARKLINE_RPC_AS_VIEWER(
      GetInventoryMessage, Parties({request->enterprise_code()}),
      Deliver(desk_.Message(request->case_id(), request->enterprise_code(), viewer), response));
}

grpc::Status ClearanceService::RecordReceipt(grpc::ServerContext* ctx,
                                             const v1::RecordReceiptRequest* request,
                                             v1::ReceiptResult* response) {
  return PARKLINE_RPC(RecordReceipt, kParkWide,
                      Deliver(desk_.RecordReceipt(request->receipt()), response));
}

grpc::Status ClearanceService::SubmitReceiptMessage(grpc::ServerContext* ctx,
                                                    const v1::SubmitReceiptMessageRequest* request,
                                                    v1::SubmitReceiptMessageResponse* response) {
  return PARKLINE_RPC(SubmitReceiptMessage, kParkWide, [&]() -> absl::Status {
    auto message = ceb::ReadInventoryReturns(request->xml());
    if (!message.ok()) {
      CountReceipt("refused");
      return message.status();
    }
    if (auto s = CheckReceiptSignature(request->xml(), customs_certificates_); !s.ok()) {
      CountReceipt("refused");
      return s;
    }
    return Deliver(desk_.RecordReceipts(*message), response);
  }());
}

grpc::Status ClearanceService::RecordTaxBill(grpc::ServerContext* ctx,
                                             const v1::RecordTaxBillRequest* request,
                                             v1::ClearanceCase* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordTaxBill, kParkWide,
                                Deliver(desk_.RecordTaxBill(*request, viewer), response));
}

grpc::Status ClearanceService::GetGuidance(grpc::ServerContext* ctx,
                                           const v1::GetGuidanceRequest* request,
                                           v1::Guidance* response) {
  return PARKLINE_RPC(
      GetGuidance, kParkWide,
      Deliver(FindGuidance(guidance_, request->business_mode(), request->direction()), response));
}

grpc::Status ClearanceService::ListRefundEligible(grpc::ServerContext* ctx,
                                                  const v1::ListRefundEligibleRequest* request,
                                                  v1::ListRefundEligibleResponse* response) {
  auto requirements = [this](const std::string& mode) {
    std::vector<std::string> out;
    auto g = FindGuidance(guidance_, mode, parkline::declarations::v1::DIRECTION_EXPORT);
    if (g.ok()) out.assign(g->refund_requirements().begin(), g->refund_requirements().end());
    return out;
  };
  return PARKLINE_RPC_AS_VIEWER(
      ListRefundEligible, Parties({request->enterprise_code()}),
      Deliver(desk_.RefundEligible(*request, requirements, viewer), response));
}

grpc::Status ClearanceService::GrantMandate(grpc::ServerContext* ctx,
                                            const v1::GrantMandateRequest* request,
                                            v1::Mandate* response) {
  return PARKLINE_RPC_AS_VIEWER(GrantMandate, Parties({request->ebc_code()}),
                                Deliver(desk_.GrantMandate(*request, viewer), response));
}

grpc::Status ClearanceService::RevokeMandate(grpc::ServerContext* ctx,
                                             const v1::RevokeMandateRequest* request,
                                             v1::Mandate* response) {
  return PARKLINE_RPC_AS_VIEWER(RevokeMandate, Parties({request->enterprise_code()}),
                                Deliver(desk_.RevokeMandate(*request, viewer), response));
}

grpc::Status ClearanceService::ListMandates(grpc::ServerContext* ctx,
                                            const v1::ListMandatesRequest* request,
                                            v1::ListMandatesResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListMandates, Parties({request->enterprise_code()}),
                                Deliver(desk_.ListMandates(*request, viewer), response));
}

}  // namespace parkline::clearance
