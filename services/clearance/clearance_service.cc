#include "clearance/clearance_service.h"

#include <algorithm>

#include "auth/handler.h"
#include "ceb/receipt_reader.h"
#include "clearance/clearance_metrics.h"
#include "clearance/guidance.h"

namespace parkline::clearance {
namespace {

constexpr char kPrefix[] = "/parkline.clearance.v1.ClearanceService/";

using auth::Deliver;

auth::Resource Parties(std::vector<std::string> codes) {
  auth::Resource resource;
  codes.erase(std::remove(codes.begin(), codes.end(), std::string()), codes.end());
  resource.parties = std::move(codes);
  return resource;
}

// Runs `body` with the caller as a Viewer (authorization has passed by then), as complaints do:
// what a case shows of the buyer's identity depends on who asks.
template <typename Body>
absl::Status AsViewer(const auth::Authorizer& authorizer, grpc::ServerContext* ctx, Body&& body) {
  auto principal = authorizer.Identify(*ctx);
  if (!principal.ok()) return principal.status();
  return body(ViewerOf(*principal));
}

}  // namespace

#define PARKLINE_RPC(name, resource, body) \
  auth::HandleUnary(authorizer_, ctx, std::string(kPrefix) + #name, resource, [&] { return body; })

// An RPC whose answer carries cases: `body` sees the caller as `viewer`.
#define PARKLINE_CASE_RPC(name, resource, body)                                                    \
  auth::HandleUnary(authorizer_, ctx, std::string(kPrefix) + #name, resource, [&] {                \
    return AsViewer(authorizer_, ctx, [&](const Viewer& viewer) -> absl::Status { return body; }); \
  })

grpc::Status ClearanceService::OpenCase(grpc::ServerContext* ctx,
                                        const v1::OpenCaseRequest* request,
                                        v1::ClearanceCase* response) {
  // The caller must be the declaring party: the e-commerce enterprise or its agent.
  const v1::Inventory& i = request->inventory();
  auth::Resource resource = Parties({i.ebc_code(), i.agent_code()});
  return PARKLINE_CASE_RPC(OpenCase, resource, Deliver(desk_.Open(*request, viewer), response));
}

grpc::Status ClearanceService::GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* request,
                                       v1::ClearanceCase* response) {
  return PARKLINE_CASE_RPC(
      GetCase, Parties({request->enterprise_code()}),
      Deliver(desk_.Get(request->case_id(), request->enterprise_code(), viewer), response));
}

grpc::Status ClearanceService::ListCases(grpc::ServerContext* ctx,
                                         const v1::ListCasesRequest* request,
                                         v1::ListCasesResponse* response) {
  return PARKLINE_CASE_RPC(ListCases, Parties({request->enterprise_code()}),
                           Deliver(desk_.List(*request, viewer), response));
}

grpc::Status ClearanceService::SubmitCase(grpc::ServerContext* ctx,
                                          const v1::SubmitCaseRequest* request,
                                          v1::ClearanceCase* response) {
  return PARKLINE_CASE_RPC(SubmitCase, Parties({request->enterprise_code()}),
                           Deliver(desk_.Submit(*request, viewer), response));
}

grpc::Status ClearanceService::GetInventoryMessage(grpc::ServerContext* ctx,
                                                   const v1::GetInventoryMessageRequest* request,
                                                   v1::InventoryMessage* response) {
  return PARKLINE_CASE_RPC(
      GetInventoryMessage, Parties({request->enterprise_code()}),
      Deliver(desk_.Message(request->case_id(), request->enterprise_code(), viewer), response));
}

grpc::Status ClearanceService::RecordReceipt(grpc::ServerContext* ctx,
                                             const v1::RecordReceiptRequest* request,
                                             v1::ReceiptResult* response) {
  return PARKLINE_RPC(RecordReceipt, auth::Resource{},
                      Deliver(desk_.RecordReceipt(request->receipt()), response));
}

grpc::Status ClearanceService::SubmitReceiptMessage(grpc::ServerContext* ctx,
                                                    const v1::SubmitReceiptMessageRequest* request,
                                                    v1::SubmitReceiptMessageResponse* response) {
  return PARKLINE_RPC(SubmitReceiptMessage, auth::Resource{}, [&]() -> absl::Status {
    auto message = ceb::ReadInventoryReturns(request->xml());
    if (!message.ok()) {
      CountReceipt("refused");
      return message.status();
    }
    return Deliver(desk_.RecordReceipts(*message), response);
  }());
}

grpc::Status ClearanceService::RecordTaxBill(grpc::ServerContext* ctx,
                                             const v1::RecordTaxBillRequest* request,
                                             v1::ClearanceCase* response) {
  return PARKLINE_CASE_RPC(RecordTaxBill, auth::Resource{},
                           Deliver(desk_.RecordTaxBill(*request, viewer), response));
}

grpc::Status ClearanceService::GetGuidance(grpc::ServerContext* ctx,
                                           const v1::GetGuidanceRequest* request,
                                           v1::Guidance* response) {
  return PARKLINE_RPC(
      GetGuidance, auth::Resource{},
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
  return PARKLINE_CASE_RPC(ListRefundEligible, Parties({request->enterprise_code()}),
                           Deliver(desk_.RefundEligible(*request, requirements, viewer), response));
}

#undef PARKLINE_CASE_RPC
#undef PARKLINE_RPC

}  // namespace parkline::clearance
