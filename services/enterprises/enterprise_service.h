// The gRPC face of the registry: each RPC authorizes (naming the enterprise the request is
// about, for the row-level rules), calls EnterpriseDesk and converts the result. No rules
// live here.
#ifndef PARKLINE_ENTERPRISES_ENTERPRISE_SERVICE_H_
#define PARKLINE_ENTERPRISES_ENTERPRISE_SERVICE_H_

#include "auth/authorizer.h"
#include "enterprises/enterprise_desk.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"

namespace parkline::enterprises {

class EnterpriseService final : public v1::EnterpriseService::Service {
 public:
  EnterpriseService(EnterpriseDesk& desk, const auth::Authorizer& authorizer)
      : desk_(desk), authorizer_(authorizer) {}

  grpc::Status DefineUnit(grpc::ServerContext* ctx, const v1::DefineUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;
  grpc::Status AdmitEnterprise(grpc::ServerContext* ctx, const v1::AdmitEnterpriseRequest* request,
                               v1::Enterprise* response) override;
  grpc::Status UpdateEnterprise(grpc::ServerContext* ctx,
                                const v1::UpdateEnterpriseRequest* request,
                                v1::Enterprise* response) override;
  grpc::Status DepartEnterprise(grpc::ServerContext* ctx,
                                const v1::DepartEnterpriseRequest* request,
                                v1::Enterprise* response) override;
  grpc::Status GetEnterprise(grpc::ServerContext* ctx, const v1::GetEnterpriseRequest* request,
                             v1::Enterprise* response) override;
  grpc::Status ListEnterprises(grpc::ServerContext* ctx, const v1::ListEnterprisesRequest* request,
                               v1::ListEnterprisesResponse* response) override;
  grpc::Status RecordIpAsset(grpc::ServerContext* ctx, const v1::RecordIpAssetRequest* request,
                             v1::IpAsset* response) override;
  grpc::Status ListIpAssets(grpc::ServerContext* ctx, const v1::ListIpAssetsRequest* request,
                            v1::ListIpAssetsResponse* response) override;
  grpc::Status RecordTalent(grpc::ServerContext* ctx, const v1::RecordTalentRequest* request,
                            v1::TalentFigures* response) override;

 private:
  EnterpriseDesk& desk_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_ENTERPRISE_SERVICE_H_
