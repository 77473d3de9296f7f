#include "enterprises/enterprise_service.h"

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::enterprises {
namespace {

constexpr char kPrefix[] = "/parkline.enterprises.v1.EnterpriseService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfEnterprise;

}  // namespace

grpc::Status EnterpriseService::DefineUnit(grpc::ServerContext* ctx,
                                           const v1::DefineUnitRequest* request,
                                           v1::Unit* response) {
  return PARKLINE_RPC(DefineUnit, kParkWide, Deliver(desk_.DefineUnit(request->unit()), response));
}

grpc::Status EnterpriseService::ListUnits(grpc::ServerContext* ctx,
                                          const v1::ListUnitsRequest* request,
                                          v1::ListUnitsResponse* response) {
  return PARKLINE_RPC(ListUnits, kParkWide, Deliver(desk_.ListUnits(*request), response));
}

grpc::Status EnterpriseService::AdmitEnterprise(grpc::ServerContext* ctx,
                                                const v1::AdmitEnterpriseRequest* request,
                                                v1::Enterprise* response) {
  return PARKLINE_RPC(AdmitEnterprise, kParkWide,
                      Deliver(desk_.Admit(request->enterprise()), response));
}

grpc::Status EnterpriseService::UpdateEnterprise(grpc::ServerContext* ctx,
                                                 const v1::UpdateEnterpriseRequest* request,
                                                 v1::Enterprise* response) {
  return PARKLINE_RPC(UpdateEnterprise, kParkWide, Deliver(desk_.Update(*request), response));
}

grpc::Status EnterpriseService::DepartEnterprise(grpc::ServerContext* ctx,
                                                 const v1::DepartEnterpriseRequest* request,
                                                 v1::Enterprise* response) {
  return PARKLINE_RPC(DepartEnterprise, kParkWide, Deliver(desk_.Depart(*request), response));
}

grpc::Status EnterpriseService::GetEnterprise(grpc::ServerContext* ctx,
                                              const v1::GetEnterpriseRequest* request,
                                              v1::Enterprise* response) {
  return PARKLINE_RPC(GetEnterprise, OfEnterprise(request->uscc()),
                      Deliver(desk_.Get(request->uscc()), response));
}

grpc::Status EnterpriseService::ListEnterprises(grpc::ServerContext* ctx,
                                                const v1::ListEnterprisesRequest* request,
                                                v1::ListEnterprisesResponse* response) {
  return PARKLINE_RPC(ListEnterprises, kParkWide, Deliver(desk_.List(*request), response));
}

grpc::Status EnterpriseService::RecordIpAsset(grpc::ServerContext* ctx,
                                              const v1::RecordIpAssetRequest* request,
                                              v1::IpAsset* response) {
  return PARKLINE_RPC_AS_VIEWER(RecordIpAsset, OfEnterprise(request->asset().uscc()),
                                Deliver(desk_.RecordIpAsset(request->asset(), viewer), response));
}

grpc::Status EnterpriseService::ListIpAssets(grpc::ServerContext* ctx,
                                             const v1::ListIpAssetsRequest* request,
                                             v1::ListIpAssetsResponse* response) {
  return PARKLINE_RPC(ListIpAssets, OfEnterprise(request->uscc()),
                      Deliver(desk_.ListIpAssets(request->uscc()), response));
}

grpc::Status EnterpriseService::RecordTalent(grpc::ServerContext* ctx,
                                             const v1::RecordTalentRequest* request,
                                             v1::TalentFigures* response) {
  return PARKLINE_RPC(RecordTalent, OfEnterprise(request->talent().uscc()),
                      Deliver(desk_.RecordTalent(request->talent()), response));
}

}  // namespace parkline::enterprises
