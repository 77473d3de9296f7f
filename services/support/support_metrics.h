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

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_SUPPORT_METRICS_H_
