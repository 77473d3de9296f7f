// Which park days are due to be closed, and how a closed day's snapshot is made: pure rules for
// the day closer (day_closer.h), so that a test can cross a park midnight on a clock of its own.
#ifndef PARKLINE_STATISTICS_HISTORY_H_
#define PARKLINE_STATISTICS_HISTORY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "statistics/figures.h"

namespace parkline::statistics {

// The days to close at `now`, oldest first: every day from `first_day` ("" : none) through the
// latest day whose end (the next midnight in `zone`) plus `grace` is not after `now`, less those
// in `closed`. The grace lets the events of a day's last moments reach the store before its end
// is taken; a day before the others' that is still open (its first event arrived after they
// were closed) is closed too.
std::vector<std::string> DaysToClose(const std::string& first_day,
                                     const std::set<std::string>& closed, absl::Time now,
                                     const absl::TimeZone& zone, absl::Duration grace);

// Whether closing `day` at `now` is a back-fill: an hour or more after it was due (the service
// was not running, or not caught up, when it was due), rather than on the closer's next passes.
bool IsBackfill(const std::string& day, absl::Time now, const absl::TimeZone& zone,
                absl::Duration grace);

// "YYYY-MM-DD" -> civil day; false when the text is not a date.
bool ParseDay(const std::string& text, absl::CivilDay* day);
std::string DayText(absl::CivilDay day);

// A day's snapshot: every current-value figure (CurrentFigures of the projections at its end).
inline std::vector<Figure> SnapshotFigures(const Snapshot& at_end_of_day) {
  return CurrentFigures(at_end_of_day);
}

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_HISTORY_H_
