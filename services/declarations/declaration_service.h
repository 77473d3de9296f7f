// The gRPC face of the declarations desk: each RPC names the parties its request is about (for
// the row-level rules), authorizes, calls DeclarationDesk and converts the result.
#ifndef PARKLINE_DECLARATIONS_DECLARATION_SERVICE_H_
#define PARKLINE_DECLARATIONS_DECLARATION_SERVICE_H_

#include "auth/authorizer.h"
#include "ceb/ceb_reader.h"
#include "declarations/declaration_desk.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "runtime/async_unary.h"

namespace parkline::declarations {

// The four RPCs that submit one document are served asynchronously (runtime/async_unary.h): the
// group commit answers each call when its transaction commits, so no server thread per call
// waits for it.
using DeclarationServiceBase = v1::DeclarationService::WithAsyncMethod_SubmitOrder<
    v1::DeclarationService::WithAsyncMethod_SubmitPayment<
        v1::DeclarationService::WithAsyncMethod_SubmitReceipt<
            v1::DeclarationService::WithAsyncMethod_SubmitWaybill<
                v1::DeclarationService::Service>>>>;

class DeclarationService final : public DeclarationServiceBase, public runtime::AsyncService {
 public:
  // `max_message_documents`: documents one SubmitMessage may carry (Config).
  DeclarationService(DeclarationDesk& desk, const auth::Authorizer& authorizer,
                     int max_message_documents = ceb::kDefaultMaxCebDocuments)
      : desk_(desk), authorizer_(authorizer), max_message_documents_(max_message_documents) {}

  // SubmitOrder, SubmitPayment, SubmitReceipt and SubmitWaybill.
  void Serve(runtime::AsyncCalls& calls) override;

  grpc::Status SubmitMessage(grpc::ServerContext* ctx, const v1::SubmitMessageRequest* request,
                             v1::SubmitMessageResponse* response) override;
  grpc::Status GetDeclaration(grpc::ServerContext* ctx, const v1::GetDeclarationRequest* request,
                              v1::Declaration* response) override;
  grpc::Status ListDeclarations(grpc::ServerContext* ctx,
                                const v1::ListDeclarationsRequest* request,
                                v1::ListDeclarationsResponse* response) override;
  grpc::Status GetBuyerQuota(grpc::ServerContext* ctx, const v1::GetBuyerQuotaRequest* request,
                             v1::BuyerQuota* response) override;
  grpc::Status ListWaitingDocuments(grpc::ServerContext* ctx,
                                    const v1::ListWaitingDocumentsRequest* request,
                                    v1::ListWaitingDocumentsResponse* response) override;

 private:
  DeclarationDesk& desk_;
  const auth::Authorizer& authorizer_;
  int max_message_documents_;
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_DECLARATION_SERVICE_H_
