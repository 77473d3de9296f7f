// The clause 8 evidence report (GB/T 39678-2020 8.1-8.3): what the park holds as evidence for an
// evaluation period, clause by clause, judged by criteria written out in the report itself, and
// what is missing.
//
// Assembling is pure: the desk gathers a ReportEvidence from small sources (the records register,
// the inspections and their record's verification, trainings and certifications, assessment
// results, the statistics service's figures), each of which may be absent from a build ("no
// source in this build") or unreachable ("unavailable: <why>"); AssembleReport turns it into the
// report message, which both renderings (its proto JSON, report_html.h) are made from. A source
// that is absent or fails never stops the report: the clauses it would evidence list it as
// missing.
//
// Verdicts: EVIDENCED when every criterion of the clause is met by records the park holds,
// PARTIAL when some are, MISSING when none is, ON_SITE for clauses clause 8 checks on site or by
// asking the enterprises (the records listed there support the evaluator; they do not decide).
#ifndef PARKLINE_QUALITY_REPORT_RULES_H_
#define PARKLINE_QUALITY_REPORT_RULES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "parkline/quality/v1/quality.pb.h"
#include "parkline/statistics/v1/statistics.pb.h"

namespace parkline::quality {

// The evaluation period: park civil days, both ends included.
struct ReportPeriod {
  absl::CivilDay from;
  absl::CivilDay to;
  // Day buckets up to 62 days, month buckets beyond: the charts' and statistics' granularity.
  bool monthly() const { return to - from + 1 > 62; }
};

inline constexpr int kMaxReportDays = 731;
inline constexpr size_t kMaxReportTitleBytes = 200;

// INVALID_ARGUMENT naming each field and rule: period_from and period_to real dates, in order, at
// most kMaxReportDays apart; title at most kMaxReportTitleBytes.
absl::StatusOr<ReportPeriod> CheckReportRequest(const v1::GetEvaluationReportRequest& request);

// What a source answered: not part of this build, unreachable (with why), or its value.
template <typename T>
struct Sourced {
  enum class State { kNotWired, kUnavailable, kOk };
  State state = State::kNotWired;
  std::string reason;
  T value{};

  static Sourced Of(T v) { return {State::kOk, "", std::move(v)}; }
  static Sourced Unavailable(std::string why) { return {State::kUnavailable, std::move(why), T{}}; }
  bool ok() const { return state == State::kOk; }
  // "no source in this build" or "unavailable: <why>", for a missing entry.
  std::string Absence() const {
    return state == State::kNotWired ? "no source in this build" : "unavailable: " + reason;
  }
};

// Staff training, drills and certifications (issue #22 item 2), as the report needs them.
struct TrainingSession {
  std::string id;
  // "FIRE_SAFETY_EDUCATION" (5.6.1.1), "EMERGENCY_DRILL" (5.6.3.1) or "STAFF_TRAINING" (5.2.1).
  std::string kind;
  std::string date;  // YYYY-MM-DD
  int attendees = 0;
  std::string evidence_uri;
};
struct StaffCertification {
  std::string id;
  std::string holder;
  std::string name;
  std::string expires;  // YYYY-MM-DD, the last day it is valid
  std::string issued;   // YYYY-MM-DD
};
struct TrainingEvidence {
  std::vector<TrainingSession> sessions;  // those of the period
  // As they stood at the period's end: issued by then, replaced ones whose successor was not.
  std::vector<StaffCertification> certifications;
};

// The assessment scheme and its results per period (issue #22 item 4, 7.2.1-7.2.4).
struct AssessmentResult {
  std::string id;
  std::string period_from, period_to;
  std::string score;  // exact decimal text, 0..100
  bool closed = false;
  std::vector<std::string> components_missing;  // components without data, scored nothing
};
struct AssessmentEvidence {
  std::string scheme_id;  // empty: no scheme published
  int64_t scheme_version = 0;
  std::string scheme_sha256;
  std::string scheme_effective_date;
  std::vector<AssessmentResult> results;  // those overlapping the period
};

// One statistics indicator over the period, every label set added up per bucket.
struct IndicatorSeries {
  std::string unit;
  std::vector<std::pair<std::string, std::string>> points;  // bucket, exact decimal value
  std::string total;
};
struct StatisticsEvidence {
  std::map<std::string, IndicatorSeries> series;  // by indicator name
  std::string export_sha256;                      // of the period's archive export (8.1.5.2)
  int64_t export_rows = 0;
};

// The indicators the report reads, with the label filter each needs (occupancy by area).
struct WantedIndicator {
  std::string name;
  std::map<std::string, std::string> labels;
};
const std::vector<WantedIndicator>& ReportIndicators();

// The sources, each replaceable; the desk implements documents and inspections.
class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  // Every version of every document in the register.
  virtual absl::StatusOr<std::vector<v1::DocumentVersion>> AllVersions() = 0;
};
class InspectionSource {
 public:
  virtual ~InspectionSource() = default;
  virtual absl::StatusOr<std::vector<v1::Inspection>> Inspections() = 0;
  virtual absl::StatusOr<v1::VerifyInspectionRecordResponse> VerifyRecords() = 0;
};
class TrainingSource {
 public:
  virtual ~TrainingSource() = default;
  virtual absl::StatusOr<TrainingEvidence> Trainings(const ReportPeriod& period) = 0;
};
class AssessmentSource {
 public:
  virtual ~AssessmentSource() = default;
  virtual absl::StatusOr<AssessmentEvidence> Assessments(const ReportPeriod& period) = 0;
};
class StatisticsSource {
 public:
  virtual ~StatisticsSource() = default;
  virtual absl::StatusOr<StatisticsEvidence> Figures(const ReportPeriod& period) = 0;
};

// Any may be null: not part of this build.
struct ReportSources {
  DocumentSource* documents = nullptr;
  InspectionSource* inspections = nullptr;
  TrainingSource* trainings = nullptr;
  AssessmentSource* assessments = nullptr;
  StatisticsSource* statistics = nullptr;
};

struct ReportEvidence {
  ReportPeriod period;
  std::string title;
  absl::Time generated = absl::UnixEpoch();
  std::string generated_by;
  Sourced<std::vector<v1::DocumentVersion>> documents;
  Sourced<std::vector<v1::Inspection>> inspections;
  Sourced<v1::VerifyInspectionRecordResponse> record_check;
  Sourced<TrainingEvidence> trainings;
  Sourced<AssessmentEvidence> assessments;
  Sourced<StatisticsEvidence> statistics;
};

// Asks every source; a failing one is recorded as unavailable with its error, never returned.
ReportEvidence GatherEvidence(const ReportSources& sources, const ReportPeriod& period,
                              std::string title, absl::Time now, std::string actor);

// The report, clause by clause of clause 8, with its charts and summary.
v1::EvaluationReport AssembleReport(const ReportEvidence& evidence);

// Adds up a statistics series over its label sets per bucket (exact decimals); for a ratio or a
// current value asked for with a filter that leaves one series, that series as it is.
IndicatorSeries SumSeries(const statistics::v1::TimeSeries& series);

std::string ReportVerdictName(v1::ReportVerdict verdict);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_REPORT_RULES_H_
