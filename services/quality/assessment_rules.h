// The rules of the park's assessment (GB/T 39678-2020 7.2.1 the scheme, 7.2.3 its results, 8.3.2
// kept as evidence): what a scheme must hold, how its versions follow one another, which version
// applies to a period, and how a period's inputs become component scores and a total.
//
// Scoring, per component: the input is mapped linearly between `floor` (scores 0.00) and
// `target` (scores 100.00), clamped, rounded half up to 0.01; higher-better components have
// target > floor, lower-better target < floor. Its points are score x weight_bp / 10000, exact
// (6 fraction digits). The total is the sum of the points rounded half up to 0.01. A component
// whose data is missing scores 0.00, earns nothing and is listed in `missing`: its weight is never
// spread over the others, so a park with no data cannot score 100.
//
// Pure functions over protobufs and plain values; thread-safe.
#ifndef PARKLINE_QUALITY_ASSESSMENT_RULES_H_
#define PARKLINE_QUALITY_ASSESSMENT_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "errors/violations.h"
#include "parkline/quality/v1/assessment.pb.h"
#include "parkline/statistics/v1/events.pb.h"

namespace parkline::quality {

inline constexpr int kWeightTotal = 10000;  // basis points
inline constexpr int kMaxComponents = 50;
inline constexpr int kMaxPeriodDays = 366;
inline constexpr int kInputScale = 4;  // fraction digits of floors, targets, inputs

// The label that names the currency of an amount counted per currency: the statistics count a
// trade value they cannot convert to CNY as trade_value_unconverted {mode, direction, currency}.
inline constexpr char kCurrencyLabel[] = "currency";

// Whether `indicator`'s values are amounts each in the currency its kCurrencyLabel names: its unit
// in the statistics' catalogue is "currency" (not "CNY", which is one currency, converted).
// Amounts of different currencies never add up, so a component reading one fixes that label.
bool IsPerCurrencyAmount(const std::string& indicator);

// Every form rule of a scheme, each broken one added to `v` as components[i].<field> and its
// rule: names, inputs, known indicators (a current-value indicator of the statistics' catalogue,
// the values DayClosed carries, for INDICATOR; a counted one, its totals, for COUNTED), the
// currency label of an amount per currency fixed (labels, per_labels), no duplicate component,
// weights 1..10000 summing to exactly 10000, direction, floor and target exact decimals in the
// direction's order, dates, approver.
void CheckScheme(const v1::PublishAssessmentSchemeRequest& request, errors::Violations& v);

// Whether `request` may follow `current` (nullopt: no scheme yet): FAILED_PRECONDITION when
// expected_version is not the current version, INVALID_ARGUMENT when it takes effect earlier
// than the version before.
absl::Status CheckSchemeSuccession(const v1::PublishAssessmentSchemeRequest& request,
                                   const std::optional<v1::AssessmentScheme>& current);

v1::AssessmentScheme NextScheme(const v1::PublishAssessmentSchemeRequest& request,
                                const std::optional<v1::AssessmentScheme>& current,
                                const std::string& actor, absl::Time now);

// The version in force for a period ending on `last_day`: the highest version whose
// effective_from is on or before it (versions in any order); nullopt when none is.
std::optional<v1::AssessmentScheme> SchemeInForce(const std::vector<v1::AssessmentScheme>& schemes,
                                                  const std::string& last_day);

void CheckSurvey(const v1::RecordSurveyResultRequest& request, errors::Violations& v);

// A period's days, from and to inclusive; INVALID_ARGUMENT naming period.from / period.to.
struct Days {
  absl::CivilDay from, to;
  int count() const { return static_cast<int>(to - from) + 1; }
};
absl::StatusOr<Days> CheckPeriod(const v1::AssessmentPeriod& period);

// One feedback figure from the complaints service (FeedbackRecorded).
struct FeedbackFigure {
  int32_t satisfaction_centi = 0;  // 100..500
  int32_t respondents = 0;
};

// What a period's result is computed from.
struct PeriodInputs {
  // The latest revision of the snapshot of the period's last day; nullopt when not closed.
  std::optional<parkline::statistics::v1::DayClosed> last_day;
  std::vector<FeedbackFigure> feedback;   // survey day in the period
  std::vector<v1::SurveyResult> surveys;  // period ending in the period
  int days_closed = 0;                    // of the period's days
  // The latest revision of each closed day of the period (COUNTED components sum their totals).
  std::vector<parkline::statistics::v1::DayClosed> closed_days;
};

// The component score of `value` (scale 4) under `component`: 0..10000 (0.00..100.00).
int64_t ComponentScore(const v1::AssessmentComponent& component, int64_t value);

// The result of `period` under `scheme` from `inputs`; `final` when every day is closed.
v1::AssessmentResult Assess(const v1::AssessmentScheme& scheme, const v1::AssessmentPeriod& period,
                            const Days& days, const PeriodInputs& inputs);

// "<from>..<to>": a period's key in the store and on the topic.
std::string PeriodKey(const v1::AssessmentPeriod& period);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_ASSESSMENT_RULES_H_
