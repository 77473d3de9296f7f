// The assessment's SQL, on one transaction: scheme versions, the inputs the service consumed
// (closed days' snapshots, feedback figures) or recorded (surveys), and stored results. Thin: no
// rules here (assessment_rules.h and the desk decide).
#ifndef PARKLINE_QUALITY_ASSESSMENT_REPOSITORY_H_
#define PARKLINE_QUALITY_ASSESSMENT_REPOSITORY_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/quality/v1/assessment.pb.h"
#include "parkline/statistics/v1/events.pb.h"
#include "quality/assessment_rules.h"
#include "store/database.h"

namespace parkline::quality {

class AssessmentRepository {
 public:
  explicit AssessmentRepository(store::Transaction& tx) : tx_(tx) {}

  // One version (0: the highest).
  absl::StatusOr<std::optional<v1::AssessmentScheme>> Scheme(int64_t version);
  // A version and its request digest, by the request that published it.
  absl::StatusOr<std::optional<std::pair<v1::AssessmentScheme, std::string>>> SchemeByRequest(
      const std::string& request_id);
  absl::Status InsertScheme(const v1::AssessmentScheme& scheme, const std::string& digest);
  // Every version, oldest first.
  absl::StatusOr<std::vector<v1::AssessmentScheme>> Schemes();

  // Stores a closed day's snapshot unless the stored revision is the same or later (a revision
  // may arrive before an older one's redelivery).
  absl::Status StoreDay(const statistics::v1::DayClosed& day);
  absl::StatusOr<std::optional<statistics::v1::DayClosed>> Day(const std::string& day);
  // The latest revision of each closed day from `from` to `to`, oldest first.
  absl::StatusOr<std::vector<statistics::v1::DayClosed>> ClosedDays(const std::string& from,
                                                                    const std::string& to);

  absl::Status InsertFeedback(const std::string& feedback_id, const std::string& survey_day,
                              const FeedbackFigure& figure);
  absl::StatusOr<std::vector<FeedbackFigure>> Feedback(const std::string& from,
                                                       const std::string& to);

  absl::StatusOr<std::optional<std::pair<v1::SurveyResult, std::string>>> SurveyByRequest(
      const std::string& request_id);
  absl::Status InsertSurvey(const v1::SurveyResult& survey, const std::string& digest);
  // Surveys whose period ends between from and to.
  absl::StatusOr<std::vector<v1::SurveyResult>> SurveysEnding(const std::string& from,
                                                              const std::string& to);

  absl::StatusOr<std::optional<v1::AssessmentResult>> Result(const v1::AssessmentPeriod& period);
  // Inserts a final result; the period's key refuses a second one (results are immutable).
  absl::Status InsertResult(const v1::AssessmentResult& result, int64_t stored_at_micros);
  // Newest period first.
  absl::StatusOr<std::vector<v1::AssessmentResult>> Results(int limit);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_ASSESSMENT_REPOSITORY_H_
