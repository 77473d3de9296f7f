// The committed deadlines of a complaint (7.3.2: handling within the committed time): per
// category, how many working days the park takes to acknowledge and to resolve a complaint, and
// the instants those targets fall on.
//
// The day of filing never counts: a complaint filed on any day (a holiday too) with a target of
// N working days is due by the end (24:00, park time) of the N-th working day after that day.
//
// Default targets, in working days (acknowledge / resolve):
//   clearance 1/5, logistics 1/5, facilities 1/3, property 1/5, fees 1/10,
//   service_attitude 1/5, other 1/10.
// Overridden per category with --deadlines "facilities=1/2,fees=2/15".
//
// Immutable after construction; thread-safe.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_DEADLINE_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_DEADLINE_H_

#include <map>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "calendar/working_calendar.h"
#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

// The park's one working-day calendar (libs/calendar), shared with the quality service.
using calendar::WorkingCalendar;

struct DeadlineTargets {
  int acknowledge_days = 1;
  int resolve_days = 5;
};

struct Deadlines {
  absl::Time acknowledge_by;
  absl::Time resolve_by;
};

class ComplaintDeadline {
 public:
  // The default targets above.
  ComplaintDeadline(WorkingCalendar calendar, absl::TimeZone park);

  // Applies "category=ack/resolve,..." over the current targets. INVALID_ARGUMENT names the
  // entry: unknown category, or days outside 1..60 (acknowledge no later than resolve).
  absl::Status Configure(absl::string_view spec);

  DeadlineTargets TargetsFor(v1::Category category) const;
  Deadlines For(v1::Category category, absl::Time filed) const;
  // The end of the `days`-th working day after the park-time day of `from`.
  absl::Time After(absl::Time from, int days) const;

  const WorkingCalendar& calendar() const { return calendar_; }
  absl::TimeZone park() const { return park_; }

 private:
  WorkingCalendar calendar_;
  absl::TimeZone park_;
  std::map<v1::Category, DeadlineTargets> targets_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_DEADLINE_H_
