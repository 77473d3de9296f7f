// The gRPC face of the support desk: each RPC names the party its request is about (for the
// row-level rules), authorizes, calls SupportDesk and converts the result (auth/handler.h). The
// RPCs on registrations also identify the caller as a Viewer: the desk decides from the stored
// registration whether the caller may act on it.
#ifndef PARKLINE_SUPPORT_SUPPORT_SERVICE_H_
#define PARKLINE_SUPPORT_SUPPORT_SERVICE_H_

#include "auth/authorizer.h"
#include "parkline/support/v1/support.grpc.pb.h"
#include "support/request_desk.h"
#include "support/support_desk.h"

namespace parkline::support {

class SupportService final : public v1::SupportService::Service {
 public:
  SupportService(SupportDesk& desk, RequestDesk& requests, const auth::Authorizer& authorizer)
      : desk_(desk), requests_(requests), authorizer_(authorizer) {}

  grpc::Status ScheduleActivity(grpc::ServerContext* ctx,
                                const v1::ScheduleActivityRequest* request,
                                v1::Activity* response) override;
  grpc::Status GetActivity(grpc::ServerContext* ctx, const v1::GetActivityRequest* request,
                           v1::Activity* response) override;
  grpc::Status ListActivities(grpc::ServerContext* ctx, const v1::ListActivitiesRequest* request,
                              v1::ListActivitiesResponse* response) override;
  grpc::Status RegisterAttendees(grpc::ServerContext* ctx,
                                 const v1::RegisterAttendeesRequest* request,
                                 v1::Registration* response) override;
  grpc::Status CancelRegistration(grpc::ServerContext* ctx,
                                  const v1::CancelRegistrationRequest* request,
                                  v1::Registration* response) override;
  grpc::Status ListRegistrations(grpc::ServerContext* ctx,
                                 const v1::ListRegistrationsRequest* request,
                                 v1::ListRegistrationsResponse* response) override;
  grpc::Status ConfirmAttendance(grpc::ServerContext* ctx,
                                 const v1::ConfirmAttendanceRequest* request,
                                 v1::Registration* response) override;
  grpc::Status GetActivityFigures(grpc::ServerContext* ctx,
                                  const v1::GetActivityFiguresRequest* request,
                                  v1::ActivityFigures* response) override;
  grpc::Status CancelActivity(grpc::ServerContext* ctx, const v1::CancelActivityRequest* request,
                              v1::Activity* response) override;
  grpc::Status WithdrawOffering(grpc::ServerContext* ctx,
                                const v1::WithdrawOfferingRequest* request,
                                v1::Offering* response) override;
  grpc::Status RerouteServiceRequest(grpc::ServerContext* ctx,
                                     const v1::RerouteServiceRequestRequest* request,
                                     v1::ServiceRequest* response) override;
  grpc::Status PublishOffering(grpc::ServerContext* ctx, const v1::PublishOfferingRequest* request,
                               v1::Offering* response) override;
  grpc::Status ListOfferings(grpc::ServerContext* ctx, const v1::ListOfferingsRequest* request,
                             v1::ListOfferingsResponse* response) override;
  grpc::Status FileServiceRequest(grpc::ServerContext* ctx,
                                  const v1::FileServiceRequestRequest* request,
                                  v1::ServiceRequest* response) override;
  grpc::Status RouteServiceRequest(grpc::ServerContext* ctx,
                                   const v1::RouteServiceRequestRequest* request,
                                   v1::ServiceRequest* response) override;
  grpc::Status AnswerServiceRequest(grpc::ServerContext* ctx,
                                    const v1::AnswerServiceRequestRequest* request,
                                    v1::ServiceRequest* response) override;
  grpc::Status RateServiceRequest(grpc::ServerContext* ctx,
                                  const v1::RateServiceRequestRequest* request,
                                  v1::ServiceRequest* response) override;
  grpc::Status GetServiceRequest(grpc::ServerContext* ctx,
                                 const v1::GetServiceRequestRequest* request,
                                 v1::ServiceRequest* response) override;
  grpc::Status ListServiceRequests(grpc::ServerContext* ctx,
                                   const v1::ListServiceRequestsRequest* request,
                                   v1::ListServiceRequestsResponse* response) override;
  grpc::Status GetRequestFigures(grpc::ServerContext* ctx,
                                 const v1::GetRequestFiguresRequest* request,
                                 v1::RequestFigures* response) override;

 private:
  SupportDesk& desk_;
  RequestDesk& requests_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SUPPORT_SERVICE_H_
