// The gRPC face of the shipment desk: each RPC names the parties its request is about (for
// the row-level rules), authorizes, calls ShipmentDesk and converts the result. WatchShipment
// is a server stream on the synchronous server: it sends the timeline, then waits on the watch
// hub (woken when this process stores entries for the shipment, or every poll interval to see
// what other replicas stored) and sends what is new, until the shipment reaches its end, the
// client cancels or the hub shuts down (SIGTERM). A caller holds at most
// `max_watches_per_caller` watches at once (watch_quota.h): the next is RESOURCE_EXHAUSTED.
#ifndef PARKLINE_LOGISTICS_LOGISTICS_SERVICE_H_
#define PARKLINE_LOGISTICS_LOGISTICS_SERVICE_H_

#include "absl/time/time.h"
#include "auth/authorizer.h"
#include "logistics/shipment_desk.h"
#include "logistics/watch_quota.h"
#include "parkline/logistics/v1/logistics.grpc.pb.h"

namespace parkline::logistics {

class LogisticsService final : public v1::LogisticsService::Service {
 public:
  LogisticsService(ShipmentDesk& desk, const auth::Authorizer& authorizer,
                   absl::Duration watch_poll = absl::Seconds(1), int max_watches_per_caller = 8)
      : desk_(desk),
        authorizer_(authorizer),
        watch_poll_(watch_poll),
        watch_quota_(max_watches_per_caller) {}

  grpc::Status RegisterShipment(grpc::ServerContext* ctx,
                                const v1::RegisterShipmentRequest* request,
                                v1::Shipment* response) override;
  grpc::Status ReportTrackingEvents(grpc::ServerContext* ctx,
                                    const v1::ReportTrackingEventsRequest* request,
                                    v1::ReportTrackingEventsResponse* response) override;
  grpc::Status SubmitWaybillStatus(grpc::ServerContext* ctx,
                                   const v1::SubmitWaybillStatusRequest* request,
                                   v1::ReportTrackingEventsResponse* response) override;
  grpc::Status GetShipment(grpc::ServerContext* ctx, const v1::GetShipmentRequest* request,
                           v1::Shipment* response) override;
  grpc::Status GetTimeline(grpc::ServerContext* ctx, const v1::GetShipmentRequest* request,
                           v1::GetTimelineResponse* response) override;
  grpc::Status ListShipments(grpc::ServerContext* ctx, const v1::ListShipmentsRequest* request,
                             v1::ListShipmentsResponse* response) override;
  grpc::Status WatchShipment(grpc::ServerContext* ctx, const v1::GetShipmentRequest* request,
                             grpc::ServerWriter<v1::WatchShipmentResponse>* writer) override;
  grpc::Status GetCoverageReport(grpc::ServerContext* ctx, const v1::CoverageReportRequest* request,
                                 v1::CoverageReport* response) override;

 private:
  absl::Status Watch(grpc::ServerContext* ctx, const v1::GetShipmentRequest& request,
                     grpc::ServerWriter<v1::WatchShipmentResponse>* writer);

  ShipmentDesk& desk_;
  const auth::Authorizer& authorizer_;
  absl::Duration watch_poll_;
  WatchQuota watch_quota_;
};

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_LOGISTICS_SERVICE_H_
