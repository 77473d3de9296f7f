// The statistics' repository: applies effects and reads figures back. A thin adapter over
// store::Transaction; every rule lives in event_effects and figures.
#ifndef PARKLINE_STATISTICS_STATISTICS_REPOSITORY_H_
#define PARKLINE_STATISTICS_STATISTICS_REPOSITORY_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "statistics/event_effects.h"
#include "statistics/figures.h"
#include "store/database.h"

namespace parkline::statistics {

// Merges the counter deltas (one write per distinct counter) and applies the projection
// changes in order.
absl::Status ApplyEffects(store::Transaction& tx, const Effects& effects);
// The projection changes alone (enterprises, units, IP, talent, shipments), as ApplyEffects
// applies them after the counters.
absl::Status ApplyProjections(store::Transaction& tx, const Effects& effects);

absl::StatusOr<Snapshot> LoadSnapshot(store::Transaction& tx);

// Whether the snapshots sum `indicator`'s counter over every day up to their own (confirmed
// training attendance, the incubator's admissions, graduations and leavings, the register's
// documents): a late change to it changes the snapshots of its day and of every closed day after
// it, as a projection change does.
bool IsSummedIntoSnapshots(absl::string_view indicator);

// The projections as they stood at the end of `day` ("YYYY-MM-DD"), from their history.
absl::StatusOr<Snapshot> LoadSnapshotAt(store::Transaction& tx, const std::string& day);

// The earliest day anything was counted or changed ("" when nothing ever was).
absl::StatusOr<std::string> FirstEventDay(store::Transaction& tx);
// The first day whose end the history can give: nullopt on a store whose history began with its
// first event; "" on a store that predates the history and whose first day is not set yet.
absl::StatusOr<std::optional<std::string>> LoadHistoryFrom(store::Transaction& tx);
absl::Status StoreHistoryFrom(store::Transaction& tx, const std::string& day);

absl::StatusOr<std::set<std::string>> LoadClosedDays(store::Transaction& tx,
                                                     const std::string& from_day,
                                                     const std::string& to_day);
// Marks `day` closed and stores its snapshot and its totals (as its DayClosed carries them),
// once: false (writing nothing) when it was closed already.
absl::StatusOr<bool> StoreClosedDay(store::Transaction& tx, const std::string& day,
                                    const std::vector<Figure>& figures,
                                    const std::vector<Figure>& totals, bool backfilled);

// The park-wide counters of `day` alone, each one not 0, by indicator then labels: the day's
// totals. Enterprises' own counters are not among them.
absl::StatusOr<std::vector<Figure>> LoadDayTotals(store::Transaction& tx, const std::string& day);

// Counter totals over [from_day, to_day] ("YYYY-MM-DD"); every day when both are empty.
absl::StatusOr<Totals> LoadTotals(store::Transaction& tx, const std::string& from_day,
                                  const std::string& to_day);
// The same for one enterprise (its customs code).
absl::StatusOr<Totals> LoadEnterpriseTotals(store::Transaction& tx, const std::string& enterprise,
                                            const std::string& from_day, const std::string& to_day);

struct DailyValue {
  std::string day;
  std::string indicator;
  std::string labels;
  int64_t value = 0;
};
// Daily values of one indicator (every indicator when empty), ordered by day, indicator, labels.
absl::StatusOr<std::vector<DailyValue>> LoadDaily(store::Transaction& tx,
                                                  const std::string& indicator,
                                                  const std::string& from_day,
                                                  const std::string& to_day);

// The closed days on or after `from_day`, oldest first.
absl::StatusOr<std::vector<std::string>> LoadClosedDaysFrom(store::Transaction& tx,
                                                            const std::string& from_day);
// Replaces the snapshot and the totals stored for the closed `day` by `figures` and `totals`
// when either differs: the day's new revision (1, 2 ...), or 0 when nothing changed.
absl::StatusOr<int64_t> ReviseClosedDay(store::Transaction& tx, const std::string& day,
                                        const std::vector<Figure>& figures,
                                        const std::vector<Figure>& totals);

// Snapshot values of one current-value indicator (every one when empty), ordered by day,
// indicator, labels.
absl::StatusOr<std::vector<DailyValue>> LoadSnapshots(store::Transaction& tx,
                                                      const std::string& indicator,
                                                      const std::string& from_day,
                                                      const std::string& to_day);

struct EnterpriseValue {
  std::string enterprise;  // customs code
  int64_t value = 0;
};
// Enterprises by the sum of `indicator` over the period, highest first.
absl::StatusOr<std::vector<EnterpriseValue>> LoadTopEnterprises(store::Transaction& tx,
                                                                const std::string& indicator,
                                                                const std::string& from_day,
                                                                const std::string& to_day,
                                                                int limit);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_STATISTICS_REPOSITORY_H_
