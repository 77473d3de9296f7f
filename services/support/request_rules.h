// The service directory's and requests' rules (GB/T 39678-2020 6.4, 6.5.3, 6.6, 6.7), pure: what
// an offering, a request, a routing, an answer and a rating must hold; which registry roles may
// provide a category; the committed response time in working days; the request's states; and
// which party may see, answer or rate a request, decided from the stored request.
//
// States: FILED --route--> ROUTED --answer--> ANSWERED (closed); a rating (once) is set on an
// ANSWERED request. Supervision marks a ROUTED request overdue once respond_by has passed. A ROUTED
// request may be re-routed (ROUTED -> ROUTED, another provider) until it is answered; respond_by
// and the overdue mark stay: the response time is the park's commitment to the enterprise, and
// moving the work between providers neither extends it nor clears a lapse (README).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SUPPORT_REQUEST_RULES_H_
#define PARKLINE_SUPPORT_REQUEST_RULES_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "calendar/working_calendar.h"
#include "errors/violations.h"
#include "parkline/enterprises/v1/enterprises.pb.h"
#include "parkline/support/v1/support.pb.h"

namespace parkline::support {

inline constexpr int kMaxResponseWorkingDays = 30;

void CheckOffering(const v1::PublishOfferingRequest& request, errors::Violations& v);
void CheckFiling(const v1::FileServiceRequestRequest& request, errors::Violations& v);
void CheckRouting(const v1::RouteServiceRequestRequest& request, errors::Violations& v);
void CheckAnswer(const v1::AnswerServiceRequestRequest& request, errors::Violations& v);
void CheckRating(const v1::RateServiceRequestRequest& request, errors::Violations& v);
void CheckWithdrawal(const v1::WithdrawOfferingRequest& request, errors::Violations& v);
void CheckRerouting(const v1::RerouteServiceRequestRequest& request, errors::Violations& v);

// Whether an enterprise with registry `roles` may provide `category`: finance needs a financial
// institution, logistics solutions a logistics enterprise, and a service provider may offer any
// of the four.
bool MayProvide(const std::set<enterprises::v1::EnterpriseRole>& roles,
                v1::ServiceCategory category);

// The end (24:00 park time) of the `days`-th working day after the park day of `routed`.
absl::Time RespondBy(const calendar::WorkingCalendar& calendar, absl::TimeZone park,
                     absl::Time routed, int days);

// FAILED_PRECONDITION naming the status when the step does not fit it.
absl::Status CheckRoutable(const v1::ServiceRequest& stored);
absl::Status CheckAnswerable(const v1::ServiceRequest& stored);
absl::Status CheckRateable(const v1::ServiceRequest& stored);
// A ROUTED request, to a provider other than the one holding it and other than the filer.
absl::Status CheckReroutable(const v1::ServiceRequest& stored, const std::string& provider);

// FAILED_PRECONDITION when the offering is withdrawn already (`field` names the request's field):
// a withdrawn offering is neither withdrawn again nor named by a new request.
absl::Status CheckOfferingActive(const v1::Offering& stored, const char* field);

// Hands the request to `provider` at `now` and keeps the routing in its record; respond_by is the
// caller's (set at the first routing, never moved by a re-routing).
void RecordRouting(v1::ServiceRequest& request, const std::string& provider, absl::Time now,
                   const std::string& reason);

// Tenant rules, from the stored request: the park sees and acts on every request; the filing
// enterprise sees and rates its own; the provider sees and answers the requests routed to it.
bool MaySee(const auth::Viewer& viewer, const v1::ServiceRequest& stored);
bool MayAnswer(const auth::Viewer& viewer, const v1::ServiceRequest& stored);
bool MayRate(const auth::Viewer& viewer, const v1::ServiceRequest& stored);
// The park, or the offering's provider.
bool MayWithdraw(const auth::Viewer& viewer, const v1::Offering& stored);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_REQUEST_RULES_H_
