#include "declarations/declaration_service.h"

#include <algorithm>

#include "auth/handler.h"
#include "auth/resources.h"
#include "ceb/ceb_reader.h"

namespace parkline::declarations {
namespace {

// The parties below are a first filter only, from what the request claims: whether the caller
// may file a document is decided by the desk from what is stored (filing_rules.h).
constexpr char kPrefix[] = "/parkline.declarations.v1.DeclarationService/";

using auth::Deliver;
using auth::kParkWide;
using auth::Parties;

std::vector<std::string> PartiesOf(const v1::Order& o) {
  return {o.ebp_code(), o.ebc_code(), o.pay_code()};
}
std::vector<std::string> PartiesOf(const v1::Payment& p) { return {p.pay_code(), p.ebp_code()}; }
std::vector<std::string> PartiesOf(const v1::Receipt& r) {
  return {r.ebc_code(), r.pay_code(), r.ebp_code()};
}
std::vector<std::string> PartiesOf(const v1::Waybill& w) {
  return {w.logistics_code(), w.ebc_code()};
}

// The codes that are a party to every document of the message: a caller must own each document
// it sends, so a bundle of its own and someone else's documents is refused.
auth::Resource CommonParties(const v1::CebMessage& m) {
  std::vector<std::vector<std::string>> all;
  for (const auto& d : m.orders()) all.push_back(PartiesOf(d));
  for (const auto& d : m.payments()) all.push_back(PartiesOf(d));
  for (const auto& d : m.receipts()) all.push_back(PartiesOf(d));
  for (const auto& d : m.waybills()) all.push_back(PartiesOf(d));
  if (all.empty()) return {};
  std::vector<std::string> common = all.front();
  for (const auto& parties : all) {
    common.erase(std::remove_if(common.begin(), common.end(),
                                [&](const std::string& code) {
                                  return std::find(parties.begin(), parties.end(), code) ==
                                         parties.end();
                                }),
                 common.end());
  }
  return Parties(std::move(common));
}

// An order key is "<ebp_code>/<order_no>": its platform is a party.
auth::Resource PartiesOfKey(const std::string& order_key) {
  return Parties({order_key.substr(0, order_key.find('/'))});
}

}  // namespace

void DeclarationService::Serve(runtime::AsyncCalls& calls) {
  calls.Serve(this, &DeclarationService::RequestSubmitOrder,
              [this](grpc::ServerContext* ctx, const v1::SubmitOrderRequest& request,
                     runtime::Reply<v1::DocumentReceipt> reply) {
                PARKLINE_RPC_LATER(SubmitOrder, Parties(PartiesOf(request.order())),
                                   desk_.SubmitOrder(request.order(), viewer, std::move(reply)));
              });
  calls.Serve(this, &DeclarationService::RequestSubmitPayment,
              [this](grpc::ServerContext* ctx, const v1::SubmitPaymentRequest& request,
                     runtime::Reply<v1::DocumentReceipt> reply) {
                PARKLINE_RPC_LATER(
                    SubmitPayment, Parties(PartiesOf(request.payment())),
                    desk_.SubmitPayment(request.payment(), viewer, std::move(reply)));
              });
  calls.Serve(this, &DeclarationService::RequestSubmitReceipt,
              [this](grpc::ServerContext* ctx, const v1::SubmitReceiptRequest& request,
                     runtime::Reply<v1::DocumentReceipt> reply) {
                PARKLINE_RPC_LATER(
                    SubmitReceipt, Parties(PartiesOf(request.receipt())),
                    desk_.SubmitReceipt(request.receipt(), viewer, std::move(reply)));
              });
  calls.Serve(this, &DeclarationService::RequestSubmitWaybill,
              [this](grpc::ServerContext* ctx, const v1::SubmitWaybillRequest& request,
                     runtime::Reply<v1::DocumentReceipt> reply) {
                PARKLINE_RPC_LATER(
                    SubmitWaybill, Parties(PartiesOf(request.waybill())),
                    desk_.SubmitWaybill(request.waybill(), viewer, std::move(reply)));
              });
}

grpc::Status DeclarationService::SubmitMessage(grpc::ServerContext* ctx,
                                               const v1::SubmitMessageRequest* request,
                                               v1::SubmitMessageResponse* response) {
  // Who calls is settled before the XML is read: an unknown caller, or one who may send no
  // message, is refused without parsing it. Then read once, here: the parties decide who may send
  // it, and the desk stores what was read. A message that cannot be read names no party and
  // touches nobody's documents, so an enterprise (which may send its own) is told what is wrong
  // with it rather than refused.
  if (grpc::Status admitted = PARKLINE_ADMIT(SubmitMessage); !admitted.ok()) return admitted;
  auto message = ceb::ReadCebMessage(request->xml(), {max_message_documents_});
  auth::Resource resource;
  if (message.ok()) {
    resource = CommonParties(*message);
  } else if (auto caller = authorizer_.Identify(*ctx); caller.ok()) {
    resource = Parties({caller->uscc, caller->customs_code, caller->carrier_code});
  }
  return PARKLINE_RPC_AS_VIEWER(
      SubmitMessage, resource,
      message.ok() ? Deliver(desk_.SubmitMessage(*message, *request, viewer), response)
                   : message.status());
}

grpc::Status DeclarationService::GetDeclaration(grpc::ServerContext* ctx,
                                                const v1::GetDeclarationRequest* request,
                                                v1::Declaration* response) {
  return PARKLINE_RPC(GetDeclaration, PartiesOfKey(request->order_key()),
                      Deliver(desk_.Get(request->order_key()), response));
}

grpc::Status DeclarationService::ListDeclarations(grpc::ServerContext* ctx,
                                                  const v1::ListDeclarationsRequest* request,
                                                  v1::ListDeclarationsResponse* response) {
  return PARKLINE_RPC(ListDeclarations, Parties({request->enterprise_code()}),
                      Deliver(desk_.List(*request), response));
}

grpc::Status DeclarationService::GetBuyerQuota(grpc::ServerContext* ctx,
                                               const v1::GetBuyerQuotaRequest* request,
                                               v1::BuyerQuota* response) {
  // Who may read it is decided from the buyer's stored orders (buyer_quota_access.h).
  return PARKLINE_RPC_AS_VIEWER(GetBuyerQuota, kParkWide,
                                Deliver(desk_.Quota(viewer, *request), response));
}

grpc::Status DeclarationService::ListWaitingDocuments(
    grpc::ServerContext* ctx, const v1::ListWaitingDocumentsRequest* request,
    v1::ListWaitingDocumentsResponse* response) {
  return PARKLINE_RPC(ListWaitingDocuments, kParkWide,
                      Deliver(desk_.ListWaiting(*request), response));
}

}  // namespace parkline::declarations
