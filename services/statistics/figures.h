// The figures the park reads: current values computed from the projections, the service score
// and the clause-by-clause conformance verdicts. Pure functions over plain values.
#ifndef PARKLINE_STATISTICS_FIGURES_H_
#define PARKLINE_STATISTICS_FIGURES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "statistics/event_effects.h"
#include "statistics/indicators.h"

namespace parkline::statistics {

// The projections as stored.
struct Snapshot {
  std::vector<EnterpriseRecord> enterprises;
  std::vector<UnitRecord> units;
  std::vector<IpAssetRecord> ip_assets;
  std::vector<TalentRecord> talent;
  std::map<std::string, int64_t> shipments_by_status;
};

// One value of an indicator, in the indicator's scale.
struct Figure {
  std::string indicator;
  Labels labels;
  int64_t scaled = 0;
};

// Counter totals of a period: (indicator, labels text) -> sum.
using Totals = std::map<std::pair<std::string, std::string>, int64_t>;

// The sum of an indicator over every label set whose labels include `filter`.
int64_t Sum(const Totals& totals, const std::string& indicator, const Labels& filter = {});

// Every rate of Rates() that has a non-zero denominator in `period`, park-wide.
std::vector<Figure> PeriodRates(const Totals& period);

// Current values: residents by role, occupancy, IP, talent, shipments by status.
std::vector<Figure> CurrentFigures(const Snapshot& snapshot);
// The value of a current figure (0 when absent).
int64_t Current(const std::vector<Figure>& figures, const std::string& indicator,
                const Labels& labels = {});

// numerator / denominator at scale 4, rounded half up; nullopt when the denominator is 0.
std::optional<int64_t> Ratio(int64_t numerator, int64_t denominator);

struct ScoreComponent {
  std::string name;
  std::string clause;
  int weight = 0;
  std::optional<int64_t> value;  // 0..10000 (scale 4); nullopt: no data
};
struct Score {
  int64_t scaled = 0;  // 0..10000 (0..100 at scale 2)
  std::vector<ScoreComponent> components;
};
// The service-evaluation score (5.5.4); the formula is documented in statistics.proto.
Score ServiceScore(const std::vector<Figure>& current, const Totals& period);

enum class Verdict { kMet, kNotMet, kNotEvaluated };
struct ClauseVerdict {
  std::string clause;
  std::string requirement;
  Verdict verdict = Verdict::kNotEvaluated;
  std::string explanation;
  std::vector<Figure> evidence;
};
std::vector<ClauseVerdict> Conformance(const std::vector<Figure>& current, const Totals& period);

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_FIGURES_H_
