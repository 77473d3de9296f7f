// The clause 8 report's sources over this service's own desks: the assessment scheme and its
// stored results (7.2.1, 7.2.3), and the trainings, drills and certifications (5.6.1.1, 5.6.3).
// Adapters only: each turns a desk's answers into the report's evidence structs.
#ifndef PARKLINE_QUALITY_REPORT_SOURCES_H_
#define PARKLINE_QUALITY_REPORT_SOURCES_H_

#include "quality/assessment_desk.h"
#include "quality/report_rules.h"
#include "quality/training_desk.h"

namespace parkline::quality {

class AssessmentEvidenceSource final : public AssessmentSource {
 public:
  explicit AssessmentEvidenceSource(AssessmentDesk& desk) : desk_(desk) {}

  // The scheme version in force on the period's last day (the one its result is judged by), its
  // SHA-256 over its deterministic serialisation (RequestDigest), and every stored result
  // overlapping the period.
  absl::StatusOr<AssessmentEvidence> Assessments(const ReportPeriod& period) override;

 private:
  AssessmentDesk& desk_;
};

class TrainingEvidenceSource final : public TrainingSource {
 public:
  explicit TrainingEvidenceSource(TrainingDesk& desk) : desk_(desk) {}

  // The sessions held in the period (asked for a year at a time, the desk's limit) and the
  // certifications as they stood at the period's end (TrainingDesk::CertificationsOn). Analysts
  // read the report, so it carries counts and certificate kinds, never attendees' or holders'
  // names.
  absl::StatusOr<TrainingEvidence> Trainings(const ReportPeriod& period) override;

 private:
  TrainingDesk& desk_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_REPORT_SOURCES_H_
