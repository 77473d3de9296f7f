#include "support/support_service.h"

#include <string>

#include "auth/handler.h"
#include "auth/resources.h"

namespace parkline::support {
namespace {

constexpr char kPrefix[] = "/parkline.support.v1.SupportService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfEnterprise;

}  // namespace

grpc::Status SupportService::ScheduleActivity(grpc::ServerContext* ctx,
                                              const v1::ScheduleActivityRequest* request,
                                              v1::Activity* response) {
  return PARKLINE_RPC(ScheduleActivity, kParkWide, Deliver(desk_.Schedule(*request), response));
}

grpc::Status SupportService::GetActivity(grpc::ServerContext* ctx,
                                         const v1::GetActivityRequest* request,
                                         v1::Activity* response) {
  return PARKLINE_RPC(GetActivity, kParkWide, Deliver(desk_.GetActivity(*request), response));
}

grpc::Status SupportService::ListActivities(grpc::ServerContext* ctx,
                                            const v1::ListActivitiesRequest* request,
                                            v1::ListActivitiesResponse* response) {
  return PARKLINE_RPC(ListActivities, kParkWide, Deliver(desk_.ListActivities(*request), response));
}

grpc::Status SupportService::RegisterAttendees(grpc::ServerContext* ctx,
                                               const v1::RegisterAttendeesRequest* request,
                                               v1::Registration* response) {
  return PARKLINE_RPC_AS_VIEWER(RegisterAttendees, OfEnterprise(request->enterprise_uscc()),
                                Deliver(desk_.Register(*request, viewer), response));
}

grpc::Status SupportService::CancelRegistration(grpc::ServerContext* ctx,
                                                const v1::CancelRegistrationRequest* request,
                                                v1::Registration* response) {
  return PARKLINE_RPC_AS_VIEWER(CancelRegistration, OfEnterprise(request->enterprise_uscc()),
                                Deliver(desk_.Cancel(*request, viewer), response));
}

grpc::Status SupportService::ListRegistrations(grpc::ServerContext* ctx,
                                               const v1::ListRegistrationsRequest* request,
                                               v1::ListRegistrationsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListRegistrations, OfEnterprise(request->enterprise_uscc()),
                                Deliver(desk_.ListRegistrations(*request, viewer), response));
}

grpc::Status SupportService::ConfirmAttendance(grpc::ServerContext* ctx,
                                               const v1::ConfirmAttendanceRequest* request,
                                               v1::Registration* response) {
  return PARKLINE_RPC(ConfirmAttendance, kParkWide,
                      Deliver(desk_.ConfirmAttendance(*request), response));
}

grpc::Status SupportService::GetActivityFigures(grpc::ServerContext* ctx,
                                                const v1::GetActivityFiguresRequest* request,
                                                v1::ActivityFigures* response) {
  return PARKLINE_RPC(GetActivityFigures, kParkWide, Deliver(desk_.Figures(*request), response));
}

grpc::Status SupportService::CancelActivity(grpc::ServerContext* ctx,
                                            const v1::CancelActivityRequest* request,
                                            v1::Activity* response) {
  return PARKLINE_RPC_AS_VIEWER(CancelActivity, kParkWide,
                                Deliver(desk_.CancelActivity(*request, viewer), response));
}

grpc::Status SupportService::WithdrawOffering(grpc::ServerContext* ctx,
                                              const v1::WithdrawOfferingRequest* request,
                                              v1::Offering* response) {
  return PARKLINE_RPC_AS_VIEWER(WithdrawOffering, OfEnterprise(request->provider_uscc()),
                                Deliver(requests_.Withdraw(*request, viewer), response));
}

grpc::Status SupportService::RerouteServiceRequest(grpc::ServerContext* ctx,
                                                   const v1::RerouteServiceRequestRequest* request,
                                                   v1::ServiceRequest* response) {
  return PARKLINE_RPC_AS_VIEWER(RerouteServiceRequest, kParkWide,
                                Deliver(requests_.Reroute(*request, viewer), response));
}

grpc::Status SupportService::PublishOffering(grpc::ServerContext* ctx,
                                             const v1::PublishOfferingRequest* request,
                                             v1::Offering* response) {
  return PARKLINE_RPC(PublishOffering, OfEnterprise(request->provider_uscc()),
                      Deliver(requests_.Publish(*request), response));
}

grpc::Status SupportService::ListOfferings(grpc::ServerContext* ctx,
                                           const v1::ListOfferingsRequest* request,
                                           v1::ListOfferingsResponse* response) {
  return PARKLINE_RPC(ListOfferings, kParkWide,
                      Deliver(requests_.ListOfferings(*request), response));
}

grpc::Status SupportService::FileServiceRequest(grpc::ServerContext* ctx,
                                                const v1::FileServiceRequestRequest* request,
                                                v1::ServiceRequest* response) {
  return PARKLINE_RPC(FileServiceRequest, OfEnterprise(request->enterprise_uscc()),
                      Deliver(requests_.File(*request), response));
}

grpc::Status SupportService::RouteServiceRequest(grpc::ServerContext* ctx,
                                                 const v1::RouteServiceRequestRequest* request,
                                                 v1::ServiceRequest* response) {
  return PARKLINE_RPC(RouteServiceRequest, kParkWide, Deliver(requests_.Route(*request), response));
}

grpc::Status SupportService::AnswerServiceRequest(grpc::ServerContext* ctx,
                                                  const v1::AnswerServiceRequestRequest* request,
                                                  v1::ServiceRequest* response) {
  return PARKLINE_RPC_AS_VIEWER(AnswerServiceRequest, OfEnterprise(request->provider_uscc()),
                                Deliver(requests_.Answer(*request, viewer), response));
}

grpc::Status SupportService::RateServiceRequest(grpc::ServerContext* ctx,
                                                const v1::RateServiceRequestRequest* request,
                                                v1::ServiceRequest* response) {
  return PARKLINE_RPC_AS_VIEWER(RateServiceRequest, OfEnterprise(request->enterprise_uscc()),
                                Deliver(requests_.Rate(*request, viewer), response));
}

grpc::Status SupportService::GetServiceRequest(grpc::ServerContext* ctx,
                                               const v1::GetServiceRequestRequest* request,
                                               v1::ServiceRequest* response) {
  return PARKLINE_RPC_AS_VIEWER(GetServiceRequest, OfEnterprise(request->party_uscc()),
                                Deliver(requests_.Get(*request, viewer), response));
}

grpc::Status SupportService::ListServiceRequests(grpc::ServerContext* ctx,
                                                 const v1::ListServiceRequestsRequest* request,
                                                 v1::ListServiceRequestsResponse* response) {
  return PARKLINE_RPC_AS_VIEWER(ListServiceRequests, OfEnterprise(request->party_uscc()),
                                Deliver(requests_.List(*request, viewer), response));
}

grpc::Status SupportService::GetRequestFigures(grpc::ServerContext* ctx,
                                               const v1::GetRequestFiguresRequest* request,
                                               v1::RequestFigures* response) {
  return PARKLINE_RPC(GetRequestFigures, kParkWide, Deliver(requests_.Figures(*request), response));
}

}  // namespace parkline::support
