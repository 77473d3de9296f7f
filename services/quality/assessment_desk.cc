#include "quality/assessment_desk.h"

#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/assessment_repository.h"
#include "quality/assessment_rules.h"
#include "quality/document_rules.h"
#include "quality/quality_desk.h"
#include "quality/quality_metrics.h"
#include "runtime/log.h"

namespace parkline::quality {
namespace {

using google::protobuf::util::TimeUtil;
constexpr char kSchemeKey[] = "scheme";
constexpr int kMaxResultsListed = 500;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

void ShowTotal(const v1::AssessmentResult& r) {
  SetAssessmentTotal(std::strtod(r.total().c_str(), nullptr));
}

// The stored result the gauge shows: the one of the newest period (Results lists newest period
// first), whatever order the periods were stored in. At start and after each store alike, so a
// restart shows what the running process showed.
absl::StatusOr<std::optional<v1::AssessmentResult>> GaugedResult(AssessmentRepository& repo) {
  auto newest = repo.Results(1);
  if (!newest.ok()) return newest.status();
  if (newest->empty()) return std::optional<v1::AssessmentResult>();
  return std::optional<v1::AssessmentResult>(std::move(newest->front()));
}

}  // namespace

AssessmentDesk::AssessmentDesk(store::Database& db, store::GroupCommitter& writer,
                               std::function<void()> events_committed, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::StatusOr<v1::AssessmentScheme> AssessmentDesk::PublishScheme(
    const v1::PublishAssessmentSchemeRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckScheme(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = RequestDigest(request);
  v1::AssessmentScheme result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    AssessmentRepository repo(tx);
    auto before = repo.SchemeByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->second != digest) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id: ", request.request_id(),
                         " already published another scheme version; use a new request_id"));
      }
      result = std::move((*before)->first);
      return absl::OkStatus();
    }
    auto current = repo.Scheme(0);
    if (!current.ok()) return current.status();
    if (auto s = CheckSchemeSuccession(request, *current); !s.ok()) return s;
    result = NextScheme(request, *current, viewer.name, now);
    if (auto s = repo.InsertScheme(result, digest); !s.ok()) return s;
    created = true;
    v1::SchemePublished event;
    *event.mutable_scheme() = result;
    return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, kSchemeKey, event, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountSchemePublished();
    log::Info("assessment scheme published", {{"version", absl::StrCat(result.version())},
                                              {"effective_from", result.effective_from()},
                                              {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::AssessmentScheme> AssessmentDesk::GetScheme(
    const v1::GetAssessmentSchemeRequest& request) {
  if (request.version() < 0) {
    errors::Violations v;
    v.Add("version", "NEGATIVE", "0 (current) or a version number");
    return v.ToStatus();
  }
  std::optional<v1::AssessmentScheme> found;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto f = AssessmentRepository(tx).Scheme(request.version());
    if (!f.ok()) return f.status();
    found = std::move(*f);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) {
    return absl::NotFoundError(
        request.version() == 0 ? std::string("version: no assessment scheme published yet")
                               : absl::StrCat("version: no scheme version ", request.version()));
  }
  return std::move(*found);
}

absl::StatusOr<v1::ListAssessmentSchemesResponse> AssessmentDesk::ListSchemes() {
  v1::ListAssessmentSchemesResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    out.Clear();
    auto all = AssessmentRepository(tx).Schemes();
    if (!all.ok()) return all.status();
    for (auto& s : *all) *out.add_schemes() = std::move(s);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::SurveyResult> AssessmentDesk::RecordSurvey(
    const v1::RecordSurveyResultRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckSurvey(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = RequestDigest(request);
  v1::SurveyResult fresh;
  fresh.set_survey_id(NewId("SRV-", now));
  fresh.set_request_id(request.request_id());
  fresh.set_surveyor(request.surveyor());
  fresh.set_period_from(request.period_from());
  fresh.set_period_to(request.period_to());
  fresh.set_sample_size(request.sample_size());
  fresh.set_score(request.score());
  fresh.set_evidence_uri(request.evidence_uri());
  fresh.set_evidence_sha256(request.evidence_sha256());
  *fresh.mutable_recorded_time() = Ts(now);
  fresh.set_recorded_by(viewer.name);
  v1::SurveyResult result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    AssessmentRepository repo(tx);
    auto before = repo.SurveyByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->second != digest) {
        return absl::AlreadyExistsError(absl::StrCat("request_id: ", request.request_id(),
                                                     " recorded another survey; use a new one"));
      }
      result = std::move((*before)->first);
      return absl::OkStatus();
    }
    if (auto s = repo.InsertSurvey(fresh, digest); !s.ok()) return s;
    created = true;
    result = fresh;
    v1::SurveyResultRecorded event;
    *event.mutable_survey() = fresh;
    return events::AppendToOutbox(tx,
                                  events::NewEvent(kTopic, kSource, fresh.survey_id(), event, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    log::Info("survey result recorded", {{"survey_id", result.survey_id()},
                                         {"period_to", result.period_to()},
                                         {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::AssessmentResult> AssessmentDesk::ComputeResult(
    const v1::ComputeAssessmentResultRequest& request, const auth::Viewer& viewer) {
  auto days = CheckPeriod(request.period());
  if (!days.ok()) return days.status();
  const v1::AssessmentPeriod& period = request.period();
  absl::Time now = clock_();
  v1::AssessmentResult result;
  bool stored = false;
  std::optional<v1::AssessmentResult> gauged;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    stored = false;
    AssessmentRepository repo(tx);
    auto existing = repo.Result(period);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      result = std::move(**existing);
      return absl::OkStatus();
    }
    auto schemes = repo.Schemes();
    if (!schemes.ok()) return schemes.status();
    auto scheme = SchemeInForce(*schemes, period.to());
    if (!scheme) {
      return absl::FailedPreconditionError(
          absl::StrCat("period.to: no assessment scheme in force on ", period.to(),
                       "; publish one whose effective_from is on or before it"));
    }
    PeriodInputs in;
    auto last_day = repo.Day(period.to());
    if (!last_day.ok()) return last_day.status();
    in.last_day = std::move(*last_day);
    auto feedback = repo.Feedback(period.from(), period.to());
    if (!feedback.ok()) return feedback.status();
    in.feedback = std::move(*feedback);
    auto surveys = repo.SurveysEnding(period.from(), period.to());
    if (!surveys.ok()) return surveys.status();
    in.surveys = std::move(*surveys);
    auto closed = repo.ClosedDays(period.from(), period.to());
    if (!closed.ok()) return closed.status();
    in.closed_days = std::move(*closed);
    in.days_closed = static_cast<int>(in.closed_days.size());
    result = Assess(*scheme, period, *days, in);
    *result.mutable_computed_time() = Ts(now);
    result.set_computed_by(viewer.name);
    if (!result.final()) return absl::OkStatus();
    if (auto s = repo.InsertResult(result, absl::ToUnixMicros(now)); !s.ok()) return s;
    stored = true;
    auto newest = GaugedResult(repo);
    if (!newest.ok()) return newest.status();
    gauged = std::move(*newest);
    v1::AssessmentResultStored event;
    *event.mutable_result() = result;
    return events::AppendToOutbox(tx,
                                  events::NewEvent(kTopic, kSource, PeriodKey(period), event, now));
  });
  if (!status.ok()) {
    // Another replica stored the same period first: its result is the one.
    v1::GetAssessmentResultRequest get;
    *get.mutable_period() = period;
    auto theirs = GetResult(get);
    if (theirs.ok()) return theirs;
    return status;
  }
  if (stored) {
    if (events_committed_) events_committed_();
    if (gauged) ShowTotal(*gauged);
    log::Info("assessment result stored",
              {{"period", PeriodKey(period)},
               {"scheme_version", absl::StrCat(result.scheme_version())},
               {"total", result.total()},
               {"actor", viewer.name}});
  }
  return result;
}

absl::StatusOr<v1::AssessmentResult> AssessmentDesk::GetResult(
    const v1::GetAssessmentResultRequest& request) {
  if (auto days = CheckPeriod(request.period()); !days.ok()) return days.status();
  std::optional<v1::AssessmentResult> found;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto f = AssessmentRepository(tx).Result(request.period());
    if (!f.ok()) return f.status();
    found = std::move(*f);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) {
    return absl::NotFoundError(absl::StrCat("period: no stored result for ",
                                            PeriodKey(request.period()),
                                            " (ComputeAssessmentResult stores a closed period's)"));
  }
  return std::move(*found);
}

absl::StatusOr<v1::ListAssessmentResultsResponse> AssessmentDesk::ListResults() {
  v1::ListAssessmentResultsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    out.Clear();
    auto all = AssessmentRepository(tx).Results(kMaxResultsListed);
    if (!all.ok()) return all.status();
    for (auto& r : *all) *out.add_results() = std::move(r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status AssessmentDesk::RefreshGauge() {
  return db_.Read([&](store::Transaction& tx) -> absl::Status {
    AssessmentRepository repo(tx);
    auto gauged = GaugedResult(repo);
    if (!gauged.ok()) return gauged.status();
    if (*gauged) ShowTotal(**gauged);
    return absl::OkStatus();
  });
}

absl::Status OnDayClosed(store::Transaction& tx, const statistics::v1::DayClosed& event) {
  if (!ParseDate(event.day())) {
    return absl::InvalidArgumentError(absl::StrCat("DayClosed.day '", event.day(), "' is no date"));
  }
  return AssessmentRepository(tx).StoreDay(event);
}

absl::Status OnFeedbackRecorded(store::Transaction& tx,
                                const complaints::v1::FeedbackRecorded& event) {
  if (!ParseDate(event.survey_day()) || event.feedback_id().empty()) {
    return absl::InvalidArgumentError("FeedbackRecorded without an id or a survey day");
  }
  return AssessmentRepository(tx).InsertFeedback(event.feedback_id(), event.survey_day(),
                                                 {event.satisfaction_centi(), event.respondents()});
}

void FollowAssessmentInputs(events::EventConsumer& consumer) {
  consumer.On<statistics::v1::DayClosed>(OnDayClosed);
  consumer.On<complaints::v1::FeedbackRecorded>(OnFeedbackRecorded);
}

}  // namespace parkline::quality
