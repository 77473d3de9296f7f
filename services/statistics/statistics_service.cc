#include "statistics/statistics_service.h"

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::statistics {
namespace {

constexpr char kPrefix[] = "/parkline.statistics.v1.StatisticsService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfEnterprise;

}  // namespace

grpc::Status StatisticsService::GetOverview(grpc::ServerContext* ctx,
                                            const v1::GetOverviewRequest* request,
                                            v1::Overview* response) {
  return PARKLINE_RPC(GetOverview, kParkWide, Deliver(desk_.Overview(), response));
}

grpc::Status StatisticsService::GetTimeSeries(grpc::ServerContext* ctx,
                                              const v1::GetTimeSeriesRequest* request,
                                              v1::TimeSeries* response) {
  return PARKLINE_RPC(GetTimeSeries, kParkWide, Deliver(desk_.TimeSeries(*request), response));
}

grpc::Status StatisticsService::GetEnterpriseFigures(grpc::ServerContext* ctx,
                                                     const v1::GetEnterpriseFiguresRequest* request,
                                                     v1::EnterpriseFigures* response) {
  return PARKLINE_RPC(GetEnterpriseFigures, OfEnterprise(request->uscc()),
                      Deliver(desk_.EnterpriseFigures(*request), response));
}

grpc::Status StatisticsService::ListTopEnterprises(grpc::ServerContext* ctx,
                                                   const v1::ListTopEnterprisesRequest* request,
                                                   v1::ListTopEnterprisesResponse* response) {
  return PARKLINE_RPC(ListTopEnterprises, kParkWide,
                      Deliver(desk_.TopEnterprises(*request), response));
}

grpc::Status StatisticsService::ExportPeriod(grpc::ServerContext* ctx,
                                             const v1::ExportPeriodRequest* request,
                                             v1::ExportPeriodResponse* response) {
  return PARKLINE_RPC(ExportPeriod, kParkWide, Deliver(desk_.Export(*request), response));
}

grpc::Status StatisticsService::GetConformance(grpc::ServerContext* ctx,
                                               const v1::GetConformanceRequest* request,
                                               v1::Conformance* response) {
  return PARKLINE_RPC(GetConformance, kParkWide, Deliver(desk_.Conformance(*request), response));
}

grpc::Status StatisticsService::GetServiceScore(grpc::ServerContext* ctx,
                                                const v1::GetServiceScoreRequest* request,
                                                v1::ServiceScore* response) {
  return PARKLINE_RPC(GetServiceScore, kParkWide, Deliver(desk_.Score(*request), response));
}

}  // namespace parkline::statistics
