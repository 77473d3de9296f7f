// The support service's use cases for the service directory and requests (GB/T 39678-2020 6.4,
// 6.5.3, 6.6, 6.7, 8.2.8): providers publish offerings, enterprises file requests, the park
// routes each to a provider with a committed response time in working days (libs/calendar, the
// complaints' calendar), the provider answers, the enterprise rates; supervision marks the
// requests whose committed time passed (request_rules.h).
//
// Each write validates first, then in ONE transaction reads what it decides from, writes and
// appends its event to the outbox. A provider is a resident whose registry roles fit the category
// (libs/residents' projection). Tenant rules decide from the stored request: a request the caller
// may not see is NOT_FOUND, exactly as one that does not exist. Publishing and filing are
// recognised by request_id as the activities' writes are.
//
// Thread-safe (all state is in the database); `clock` gives "now" for every decision.
#ifndef PARKLINE_SUPPORT_REQUEST_DESK_H_
#define PARKLINE_SUPPORT_REQUEST_DESK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "calendar/working_calendar.h"
#include "parkline/support/v1/support.pb.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::support {

class RequestDesk {
 public:
  using Clock = std::function<absl::Time()>;

  RequestDesk(store::Database& db, store::GroupCommitter& writer,
              std::function<void()> events_committed, calendar::WorkingCalendar calendar,
              Clock clock);

  absl::StatusOr<v1::Offering> Publish(const v1::PublishOfferingRequest& request);
  absl::StatusOr<v1::ListOfferingsResponse> ListOfferings(const v1::ListOfferingsRequest& request);
  // The provider withdraws its own offering (the park any): it leaves the directory and no new
  // request may name it; requests already filed or routed keep it. Again: FAILED_PRECONDITION.
  absl::StatusOr<v1::Offering> Withdraw(const v1::WithdrawOfferingRequest& request,
                                        const auth::Viewer& viewer);
  absl::StatusOr<v1::ServiceRequest> File(const v1::FileServiceRequestRequest& request);
  absl::StatusOr<v1::ServiceRequest> Route(const v1::RouteServiceRequestRequest& request);
  // The park moves a ROUTED request to another provider of its category: the old one loses sight
  // of it at once (the tenant rules read the current provider), respond_by stays, every routing
  // is kept in `routings`; one ServiceRequestRerouted.
  absl::StatusOr<v1::ServiceRequest> Reroute(const v1::RerouteServiceRequestRequest& request,
                                             const auth::Viewer& viewer);
  absl::StatusOr<v1::ServiceRequest> Answer(const v1::AnswerServiceRequestRequest& request,
                                            const auth::Viewer& viewer);
  absl::StatusOr<v1::ServiceRequest> Rate(const v1::RateServiceRequestRequest& request,
                                          const auth::Viewer& viewer);
  absl::StatusOr<v1::ServiceRequest> Get(const v1::GetServiceRequestRequest& request,
                                         const auth::Viewer& viewer);
  absl::StatusOr<v1::ListServiceRequestsResponse> List(
      const v1::ListServiceRequestsRequest& request, const auth::Viewer& viewer);
  absl::StatusOr<v1::RequestFigures> Figures(const v1::GetRequestFiguresRequest& request);

  // Marks every routed request whose committed time passed before now overdue (one event each)
  // and sets the gauge of the open overdue requests; how many it marked.
  absl::StatusOr<int> Supervise();

 private:
  using Change = std::function<absl::Status(store::Transaction&, v1::ServiceRequest&)>;
  // Loads the request, refuses it as NOT_FOUND unless `visible`, applies `change`, stores it and
  // appends its ServiceRequestChanged.
  absl::StatusOr<v1::ServiceRequest> Step(
      const std::string& id, const std::function<bool(const v1::ServiceRequest&)>& visible,
      const Change& change);

  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  calendar::WorkingCalendar calendar_;
  Clock clock_;
  absl::TimeZone park_;
};

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_REQUEST_DESK_H_
