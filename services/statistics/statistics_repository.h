// The statistics' repository: applies effects and reads figures back. A thin adapter over
// store::Transaction; every rule lives in event_effects and figures.
#ifndef PARKLINE_STATISTICS_STATISTICS_REPOSITORY_H_
#define PARKLINE_STATISTICS_STATISTICS_REPOSITORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
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
