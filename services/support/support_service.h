// The gRPC face of the support desk: each RPC names the party its request is about (for the
// row-level rules), authorizes, calls SupportDesk and converts the result (auth/handler.h). The
// RPCs on registrations also identify the caller as a Viewer: the desk decides from the stored
// registration whether the caller may act on it.
#ifndef PARKLINE_SUPPORT_SUPPORT_SERVICE_H_
#define PARKLINE_SUPPORT_SUPPORT_SERVICE_H_

#include "auth/authorizer.h"
#include "parkline/support/v1/support.grpc.pb.h"
#include "support/support_desk.h"

namespace parkline::support {

class SupportService final : public v1::SupportService::Service {
 public:
  SupportService(SupportDesk& desk, const auth::Authorizer& authorizer)
      : desk_(desk), authorizer_(authorizer) {}

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

 private:
  SupportDesk& desk_;
  const auth::Authorizer& authorizer_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SUPPORT_SERVICE_H_
