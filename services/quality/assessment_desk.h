// The assessment's use cases (GB/T 39678-2020 7.2.1-7.2.3, 8.3.2): publish and read the scheme's
// versions, record third-party surveys, compute a period's result; and the consumer's effects
// that keep the inputs: the statistics' closed days (DayClosed) and the complaints' feedback
// (FeedbackRecorded).
//
// A publication or a survey validates first (assessment_rules.h; nothing is stored when a rule
// breaks), then in ONE transaction recognises a retry by its request_id, stores the row and
// appends its event to the outbox. Two publishers racing on the next scheme version cannot both
// win: the version is the table's key.
//
// ComputeResult, in one transaction: a period that already has a stored result answers with it,
// unchanged, whatever was published or consumed since (8.3.2: a closed period's result is
// immutable; recomputing is not an error, it returns the same result). Otherwise it applies the
// scheme in force on the period's last day to the inputs held now; when the service holds every
// day of the period as closed by statistics, the result is final: stored with
// AssessmentResultStored. Otherwise it is provisional (final false) and stored nowhere.
//
// Thread-safe (all state is in the database); `clock` gives "now".
#ifndef PARKLINE_QUALITY_ASSESSMENT_DESK_H_
#define PARKLINE_QUALITY_ASSESSMENT_DESK_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "events/consumer.h"
#include "parkline/complaints/v1/events.pb.h"
#include "parkline/quality/v1/assessment.pb.h"
#include "parkline/statistics/v1/events.pb.h"
#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::quality {

class AssessmentDesk {
 public:
  using Clock = std::function<absl::Time()>;

  AssessmentDesk(store::Database& db, store::GroupCommitter& writer,
                 std::function<void()> events_committed, Clock clock);

  absl::StatusOr<v1::AssessmentScheme> PublishScheme(
      const v1::PublishAssessmentSchemeRequest& request, const auth::Viewer& viewer);
  absl::StatusOr<v1::AssessmentScheme> GetScheme(const v1::GetAssessmentSchemeRequest& request);
  absl::StatusOr<v1::ListAssessmentSchemesResponse> ListSchemes();

  absl::StatusOr<v1::SurveyResult> RecordSurvey(const v1::RecordSurveyResultRequest& request,
                                                const auth::Viewer& viewer);

  absl::StatusOr<v1::AssessmentResult> ComputeResult(
      const v1::ComputeAssessmentResultRequest& request, const auth::Viewer& viewer);
  absl::StatusOr<v1::AssessmentResult> GetResult(const v1::GetAssessmentResultRequest& request);
  absl::StatusOr<v1::ListAssessmentResultsResponse> ListResults();

  // Sets parkline_quality_assessment_total from the stored result of the newest period (at
  // start; ComputeResult does the same after storing one, whichever period it stored).
  absl::Status RefreshGauge();

 private:
  store::Database& db_;
  store::GroupCommitter& writer_;
  std::function<void()> events_committed_;
  Clock clock_;
};

// The consumer's effects, each in the consumer's transaction (events/consumer.h: once per event).
absl::Status OnDayClosed(store::Transaction& tx, const statistics::v1::DayClosed& event);
absl::Status OnFeedbackRecorded(store::Transaction& tx,
                                const complaints::v1::FeedbackRecorded& event);
// Registers both on `consumer` (parkline.statistics.v1 and parkline.complaints.v1).
void FollowAssessmentInputs(events::EventConsumer& consumer);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_ASSESSMENT_DESK_H_
