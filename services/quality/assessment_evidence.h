// The assessment scheme and stored results as the clause 8 report reads them (7.2.1, 7.2.3):
// the adapter between the assessment desk and the report's AssessmentSource.
#ifndef PARKLINE_QUALITY_ASSESSMENT_EVIDENCE_H_
#define PARKLINE_QUALITY_ASSESSMENT_EVIDENCE_H_

#include "quality/assessment_desk.h"
#include "quality/report_rules.h"

namespace parkline::quality {

class AssessmentEvidenceSource final : public AssessmentSource {
 public:
  explicit AssessmentEvidenceSource(AssessmentDesk& desk) : desk_(desk) {}

  // The scheme version in force on the period's last day (the one its result is judged by), its
  // SHA-256 over the deterministic serialisation, and every stored result overlapping the period.
  absl::StatusOr<AssessmentEvidence> Assessments(const ReportPeriod& period) override;

 private:
  AssessmentDesk& desk_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_ASSESSMENT_EVIDENCE_H_
