// The service directory's and requests' rules (GB/T 39678-2020 6.4, 6.5.3, 6.6, 6.7), pure: what
// an offering, a request, a routing, an answer and a rating must hold; which registry roles may
// provide a category; the committed response time in working days; the request's states; and
// which party may see, answer or rate a request, decided from the stored request.
//
// States: FILED --route--> ROUTED --answer--> ANSWERED (closed); a rating (once) is set on an
// ANSWERED request. Supervision marks a ROUTED request overdue once respond_by has passed.
//
// Pure functions; thread-safe.
#ifndef PARKLINE_SUPPORT_REQUEST_RULES_H_
#define PARKLINE_SUPPORT_REQUEST_RULES_H_

#include <set>

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

// Tenant rules, from the stored request: the park sees and acts on every request; the filing
// enterprise sees and rates its own; the provider sees and answers the requests routed to it.
bool MaySee(const auth::Viewer& viewer, const v1::ServiceRequest& stored);
bool MayAnswer(const auth::Viewer& viewer, const v1::ServiceRequest& stored);
bool MayRate(const auth::Viewer& viewer, const v1::ServiceRequest& stored);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_REQUEST_RULES_H_
