// The support service's own metrics (beside the common ones of runtime/metrics.h), counted
// after each commit.
#ifndef PARKLINE_SUPPORT_SUPPORT_METRICS_H_
#define PARKLINE_SUPPORT_SUPPORT_METRICS_H_

#include "parkline/support/v1/support.pb.h"

namespace parkline::support {

// parkline_support_registrations_total{kind, outcome}: registrations taken, by the activity's kind
// and where they went (confirmed, waiting, promoted, cancelled).
void CountRegistration(v1::ActivityKind kind, const char* outcome);
// parkline_support_attendees_confirmed_total{kind}: attendees the park confirmed (6.8.2).
void CountAttendance(v1::ActivityKind kind, int attended);

// parkline_support_requests_total{category, outcome}: service requests filed, routed, answered
// on time or late (6.4, 6.5.3, 6.6, 6.7).
void CountRequest(v1::ServiceCategory category, const char* outcome);
// parkline_support_requests_overdue_total{category}: committed response times that passed.
void CountOverdue(v1::ServiceCategory category);
// parkline_support_requests_overdue_open: routed requests past their time, still unanswered.
void SetOpenOverdue(int64_t open);

// parkline_support_incubation_total{step}: incubator steps committed (6.9.1): admitted,
// milestone, graduated, left.
void CountIncubation(const char* step);

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SUPPORT_METRICS_H_
