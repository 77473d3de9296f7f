// The quality service's Prometheus metrics (runtime/metrics.h's registry).
#ifndef PARKLINE_QUALITY_QUALITY_METRICS_H_
#define PARKLINE_QUALITY_QUALITY_METRICS_H_

#include <cstdint>
#include <string>

namespace parkline::quality {

// A document version was published, by kind (KindName) and visibility.
void CountPublication(const std::string& kind, const std::string& visibility);
// A document was withdrawn, by kind (KindName).
void CountWithdrawal(const std::string& kind);
// An inspection was recorded, by kind (InspectionKindName).
void CountInspection(const std::string& kind);
// Supervision marked a corrective action overdue, by owner department.
void CountOverdueAction(const std::string& department);
// The corrective actions overdue and still open now (database-wide; alerts read it).
void SetOverdueActions(int64_t count);
// An assessment scheme version was published (7.2.1).
void CountSchemePublished();
// The total of the latest final assessment result (7.2.3): the park's one service score.
void SetAssessmentTotal(double total);
// A training session was recorded, by kind (TrainingKindName), with its attendee count.
void CountTraining(const std::string& kind, int64_t attendees);
// Current certifications expired or expiring within 30 days (alerts read it).
void SetExpiringCertifications(int64_t count);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_QUALITY_METRICS_H_
