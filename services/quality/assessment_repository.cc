#include "quality/assessment_repository.h"

#include "absl/strings/str_cat.h"
#include "runtime/job_errors.h"

namespace parkline::quality {
namespace {

template <typename M>
absl::StatusOr<M> Parse(const std::string& bytes, const char* table, const std::string& key) {
  M m;
  if (!m.ParseFromString(bytes)) {
    return runtime::UnreadableRow(table, absl::StrCat("stored row ", key, " is unreadable"));
  }
  return m;
}

template <typename M>
absl::StatusOr<std::vector<M>> All(absl::StatusOr<std::vector<store::Row>> rows,
                                   const char* table) {
  if (!rows.ok()) return rows.status();
  std::vector<M> out;
  for (const store::Row& r : *rows) {
    auto m = Parse<M>(r.Text(0), table, r.Text(1));
    if (!m.ok()) return m.status();
    out.push_back(std::move(*m));
  }
  return out;
}

template <typename M>
absl::StatusOr<std::optional<M>> First(absl::StatusOr<std::vector<store::Row>> rows,
                                       const char* table) {
  auto all = All<M>(std::move(rows), table);
  if (!all.ok()) return all.status();
  if (all->empty()) return std::optional<M>();
  return std::optional<M>(std::move(all->front()));
}

template <typename M>
absl::StatusOr<std::optional<std::pair<M, std::string>>> WithDigest(
    absl::StatusOr<std::vector<store::Row>> rows, const char* table) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::pair<M, std::string>>();
  auto m = Parse<M>(rows->front().Text(0), table, rows->front().Text(1));
  if (!m.ok()) return m.status();
  return std::optional<std::pair<M, std::string>>(
      std::make_pair(std::move(*m), rows->front().Text(2)));
}

}  // namespace

absl::StatusOr<std::optional<v1::AssessmentScheme>> AssessmentRepository::Scheme(int64_t version) {
  if (version > 0) {
    return First<v1::AssessmentScheme>(
        tx_.Query("SELECT payload, version FROM quality_schemes WHERE version = $1", {version}),
        "quality_schemes");
  }
  return First<v1::AssessmentScheme>(
      tx_.Query("SELECT payload, version FROM quality_schemes ORDER BY version DESC LIMIT 1"),
      "quality_schemes");
}

absl::StatusOr<std::optional<std::pair<v1::AssessmentScheme, std::string>>>
AssessmentRepository::SchemeByRequest(const std::string& request_id) {
  return WithDigest<v1::AssessmentScheme>(
      tx_.Query(
          "SELECT payload, version, request_digest FROM quality_schemes WHERE request_id = $1",
          {request_id}),
      "quality_schemes");
}

absl::Status AssessmentRepository::InsertScheme(const v1::AssessmentScheme& s,
                                                const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO quality_schemes (version, effective_from, request_id, request_digest, "
          "payload) VALUES ($1, $2, $3, $4, $5)",
          {s.version(), s.effective_from(), s.request_id(), digest,
           store::Blob{s.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::AssessmentScheme>> AssessmentRepository::Schemes() {
  return All<v1::AssessmentScheme>(
      tx_.Query("SELECT payload, version FROM quality_schemes ORDER BY version"),
      "quality_schemes");
}

absl::Status AssessmentRepository::StoreDay(const statistics::v1::DayClosed& day) {
  return tx_
      .Execute(
          "INSERT INTO quality_day_snapshots (day, revision, payload) VALUES ($1, $2, $3) "
          "ON CONFLICT (day) DO UPDATE SET revision = excluded.revision, payload = "
          "excluded.payload WHERE quality_day_snapshots.revision < excluded.revision",
          {day.day(), day.revision(), store::Blob{day.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::optional<statistics::v1::DayClosed>> AssessmentRepository::Day(
    const std::string& day) {
  return First<statistics::v1::DayClosed>(
      tx_.Query("SELECT payload, day FROM quality_day_snapshots WHERE day = $1", {day}),
      "quality_day_snapshots");
}

absl::StatusOr<std::vector<statistics::v1::DayClosed>> AssessmentRepository::ClosedDays(
    const std::string& from, const std::string& to) {
  return All<statistics::v1::DayClosed>(
      tx_.Query("SELECT payload, day FROM quality_day_snapshots WHERE day >= $1 AND day <= $2 "
                "ORDER BY day",
                {from, to}),
      "quality_day_snapshots");
}

absl::Status AssessmentRepository::InsertFeedback(const std::string& feedback_id,
                                                  const std::string& survey_day,
                                                  const FeedbackFigure& f) {
  return tx_
      .Execute(
          "INSERT INTO quality_feedback (feedback_id, survey_day, satisfaction_centi, "
          "respondents) VALUES ($1, $2, $3, $4) ON CONFLICT (feedback_id) DO NOTHING",
          {feedback_id, survey_day, int64_t{f.satisfaction_centi}, int64_t{f.respondents}})
      .status();
}

absl::StatusOr<std::vector<FeedbackFigure>> AssessmentRepository::Feedback(const std::string& from,
                                                                           const std::string& to) {
  auto rows = tx_.Query(
      "SELECT satisfaction_centi, respondents FROM quality_feedback WHERE survey_day >= $1 AND "
      "survey_day <= $2",
      {from, to});
  if (!rows.ok()) return rows.status();
  std::vector<FeedbackFigure> out;
  for (const store::Row& r : *rows) {
    out.push_back({static_cast<int32_t>(r.Int(0)), static_cast<int32_t>(r.Int(1))});
  }
  return out;
}

absl::StatusOr<std::optional<std::pair<v1::SurveyResult, std::string>>>
AssessmentRepository::SurveyByRequest(const std::string& request_id) {
  return WithDigest<v1::SurveyResult>(
      tx_.Query(
          "SELECT payload, survey_id, request_digest FROM quality_surveys WHERE request_id = $1",
          {request_id}),
      "quality_surveys");
}

absl::Status AssessmentRepository::InsertSurvey(const v1::SurveyResult& s,
                                                const std::string& digest) {
  return tx_
      .Execute(
          "INSERT INTO quality_surveys (survey_id, request_id, request_digest, period_to, "
          "payload) VALUES ($1, $2, $3, $4, $5)",
          {s.survey_id(), s.request_id(), digest, s.period_to(),
           store::Blob{s.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::SurveyResult>> AssessmentRepository::SurveysEnding(
    const std::string& from, const std::string& to) {
  return All<v1::SurveyResult>(
      tx_.Query("SELECT payload, survey_id FROM quality_surveys WHERE period_to >= $1 AND "
                "period_to <= $2 ORDER BY survey_id",
                {from, to}),
      "quality_surveys");
}

absl::StatusOr<std::optional<v1::AssessmentResult>> AssessmentRepository::Result(
    const v1::AssessmentPeriod& period) {
  return First<v1::AssessmentResult>(
      tx_.Query("SELECT payload, period_from FROM quality_assessment_results WHERE period_from = "
                "$1 AND period_to = $2",
                {period.from(), period.to()}),
      "quality_assessment_results");
}

absl::Status AssessmentRepository::InsertResult(const v1::AssessmentResult& r,
                                                int64_t stored_at_micros) {
  return tx_
      .Execute(
          "INSERT INTO quality_assessment_results (period_from, period_to, scheme_version, "
          "stored_at, payload) VALUES ($1, $2, $3, $4, $5)",
          {r.period().from(), r.period().to(), r.scheme_version(), stored_at_micros,
           store::Blob{r.SerializeAsString()}})
      .status();
}

absl::StatusOr<std::vector<v1::AssessmentResult>> AssessmentRepository::Results(int limit) {
  return All<v1::AssessmentResult>(
      tx_.Query("SELECT payload, period_from FROM quality_assessment_results ORDER BY period_to "
                "DESC, period_from DESC LIMIT $1",
                {int64_t{limit}}),
      "quality_assessment_results");
}

}  // namespace parkline::quality
