#include "quality/quality_service.h"

#include <string>

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::quality {
namespace {

constexpr char kPrefix[] = "/parkline.quality.v1.QualityService/";

using auth::Deliver;
using auth::kParkWide;

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

}  // namespace parkline::quality
