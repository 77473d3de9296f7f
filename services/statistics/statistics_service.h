// The gRPC face of the statistics: authorize, ask StatisticsDesk, return. No rules here.
#ifndef PARKLINE_STATISTICS_STATISTICS_SERVICE_H_
#define PARKLINE_STATISTICS_STATISTICS_SERVICE_H_

#include "auth/authorizer.h"
#include "parkline/statistics/v1/statistics.grpc.pb.h"
#include "statistics/statistics_desk.h"

namespace parkline::statistics {

class StatisticsService final : public v1::StatisticsService::Service {
 public:
  StatisticsService(StatisticsDesk& desk, const auth::Authorizer& authorizer)
      : desk_(desk), authorizer_(authorizer) {}

  grpc::Status GetOverview(grpc::ServerContext* ctx, const v1::GetOverviewRequest* request,
                           v1::Overview* response) override;
  grpc::Status GetTimeSeries(grpc::ServerContext* ctx, const v1::GetTimeSeriesRequest* request,
                             v1::TimeSeries* response) override;
  grpc::Status GetEnterpriseFigures(grpc::ServerContext* ctx,
                                    const v1::GetEnterpriseFiguresRequest* request,
                                    v1::EnterpriseFigures* response) override;
  grpc::Status ListTopEnterprises(grpc::ServerContext* ctx,
                                  const v1::ListTopEnterprisesRequest* request,
                                  v1::ListTopEnterprisesResponse* response) override;
  grpc::Status ExportPeriod(grpc::ServerContext* ctx, const v1::ExportPeriodRequest* request,
                            v1::ExportPeriodResponse* response) override;
  grpc::Status GetConformance(grpc::ServerContext* ctx, const v1::GetConformanceRequest* request,
                              v1::Conformance* response) override;
  grpc::Status GetServiceScore(grpc::ServerContext* ctx, const v1::GetServiceScoreRequest* request,
                               v1::ServiceScore* response) override;

 private:
  StatisticsDesk& desk_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_STATISTICS_SERVICE_H_
