// The figures the park reads: current values computed from the projections, the evaluation
// inputs of a period and the clause-by-clause conformance verdicts. Pure functions over plain
// values.
#ifndef PARKLINE_STATISTICS_FIGURES_H_
#define PARKLINE_STATISTICS_FIGURES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
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
  // Incubatees in the incubator by cohort: admitted - graduated - left, over every day up to the
  // snapshot's (every cohort ever admitted, 0 included).
  std::map<std::string, int64_t> incubation_active_by_cohort;
  // Register documents in force by kind label (the quality_documents_registered counter less
  // quality_documents_withdrawn, summed to the snapshot's day; 0 for a kind all withdrawn).
  std::map<std::string, int64_t> documents_by_kind;
  // Year -> staff whose training attendance the park confirmed (support_staff_trained), counted
  // up to the snapshot's day.
  std::map<int, int64_t> trained_confirmed;
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

// Current values: residents by role, occupancy, IP, talent, shipments by status, incubatees in
// the incubator by cohort, register documents in force by kind.
std::vector<Figure> CurrentFigures(const Snapshot& snapshot);
// The value of a current figure (0 when absent).
int64_t Current(const std::vector<Figure>& figures, const std::string& indicator,
                const Labels& labels = {});

// numerator / denominator at scale 4, rounded half up; nullopt when the denominator is 0.
std::optional<int64_t> Ratio(int64_t numerator, int64_t denominator);

// One measured input of the park's evaluation (5.5.4 运行和服务评价体系).
struct EvaluationInput {
  std::string name;
  std::string clause;
  std::optional<int64_t> value;  // 0..10000 (scale 4); nullopt: no data
};
// The evaluation inputs the statistics measure for a period (5.3.1 scale, occupancy now,
// declarations, clearance, logistics, complaints on time). No weights and no score: the park's
// score is the quality service's assessment result, under its published scheme (7.2.1), so that
// there is one score, not two.
std::vector<EvaluationInput> EvaluationInputs(const std::vector<Figure>& current,
                                              const Totals& period);

enum class Verdict { kMet, kNotMet, kNotEvaluated };

// One test of a verdict: what was measured, over which days, against what threshold.
struct Criterion {
  std::string measured;
  std::string from, to;  // "YYYY-MM-DD": the days measured (a value at a moment: from == to)
  std::string threshold;
  std::string value;  // exact decimal text; "" when not evaluated
  bool met = false;
  bool evaluated = false;
};

struct ClauseVerdict {
  std::string clause;
  std::string requirement;
  Verdict verdict = Verdict::kNotEvaluated;
  std::string explanation;
  std::vector<Figure> evidence;
  std::vector<Criterion> criteria;
};

// A calendar quarter: "2026-Q1" and its first and last day ("YYYY-MM-DD").
struct Quarter {
  std::string name;
  std::string from, to;
};
// The calendar quarters wholly inside [from, to]: the unit of "regularly" (定期) in 6.8 and
// 6.9.2. A quarter only partly in the period is left out; the desk passes as `to` no day later
// than yesterday, so that a quarter still under way is not judged before it ends.
std::vector<Quarter> WholeQuarters(absl::CivilDay from, absl::CivilDay to);

// What the verdicts of a period are computed from, read by the desk.
struct ConformanceInput {
  std::string from, to;  // the period asked, "YYYY-MM-DD"
  // The current-value figures at the end of the period: the snapshot of `to` when that day is
  // closed, the current figures when the period reaches today; nullopt when `to` has ended but
  // was never closed.
  std::optional<std::vector<Figure>> at_end;
  std::string at_end_day;  // the day whose end at_end shows (today's: "as of now")
  Totals period;           // counter totals over the period
  // Snapshots: the ended days of the period that the history covers (from the day it began),
  // and how many of them are closed.
  std::string history_from;  // "" when the store has no history yet
  int64_t days_required = 0;
  int64_t days_closed = 0;
  // The whole quarters of the period that have ended (WholeQuarters) and the counter totals of
  // each.
  std::vector<std::pair<Quarter, Totals>> quarters;
};

// The clause-by-clause verdicts of a period (5.3.1, 5.5.4, 6.8.1, 6.8.2, 6.9.1, 6.9.2, 7.3), each
// with its criteria. A verdict is MET when every criterion with a threshold is met, NOT_EVALUATED
// when one could not be measured, NOT_MET otherwise. The criteria of each clause are in the
// service's README.
std::vector<ClauseVerdict> Conformance(const ConformanceInput& in);

// The business modes 5.5.4's 全口径统计 counts.
const std::vector<std::string>& BusinessModes();

}  // namespace parkline::statistics

#endif  // PARKLINE_STATISTICS_FIGURES_H_
