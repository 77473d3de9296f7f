#include "quality/training_desk.h"

#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/document_rules.h"
#include "quality/quality_desk.h"
#include "quality/quality_metrics.h"
#include "quality/training_repository.h"
#include "quality/training_rules.h"
#include "runtime/log.h"

namespace parkline::quality {
namespace {

constexpr int kMaxListed = 1000;

absl::Status Clash(const std::string& request_id) {
  return absl::AlreadyExistsError(absl::StrCat(
      "request_id: ", request_id, " was used for another record; use a new request_id"));
}

v1::TrainingRecorded RecordedEvent(const v1::TrainingSession& s) {
  v1::TrainingRecorded e;
  e.set_session_id(s.session_id());
  e.set_kind(s.kind());
  e.set_held_date(s.held_date());
  e.set_attendee_count(s.attendee_count());
  e.set_evidence_sha256(s.evidence().sha256());
  *e.mutable_recorded_time() = s.recorded_time();
  return e;
}

v1::CertificationRecorded RecordedEvent(const v1::Certification& c) {
  v1::CertificationRecorded e;
  e.set_certification_id(c.certification_id());
  e.set_certificate_kind(c.certificate_kind());
  e.set_issued_date(c.issued_date());
  e.set_expires_date(c.expires_date());
  e.set_replaces_certification_id(c.replaces_certification_id());
  *e.mutable_recorded_time() = c.recorded_time();
  return e;
}

}  // namespace

TrainingDesk::TrainingDesk(store::Database& db, store::GroupCommitter& writer,
                           std::function<void()> events_committed, absl::TimeZone zone, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      zone_(zone),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::StatusOr<v1::TrainingSession> TrainingDesk::RecordTraining(
    const v1::RecordTrainingRequest& request, const auth::Viewer& viewer) {
  absl::Time now = clock_();
  errors::Violations v;
  CheckTraining(request, absl::ToCivilDay(now, zone_), v);
  if (!v.empty()) return v.ToStatus();
  std::string digest = RequestDigest(request);
  v1::TrainingSession fresh = NewSession(request, NewId("TRN-", now), viewer.name, now);
  v1::TrainingSession result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    TrainingRepository repo(tx);
    auto before = repo.SessionByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) return Clash(request.request_id());
      result = std::move((*before)->message);
      return absl::OkStatus();
    }
    if (auto s = repo.InsertSession(fresh, digest); !s.ok()) return s;
    created = true;
    result = fresh;
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, fresh.session_id(), RecordedEvent(fresh), now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountTraining(TrainingKindName(result.kind()), result.attendee_count());
    log::Info("training recorded", {{"session_id", result.session_id()},
                                    {"kind", TrainingKindName(result.kind())},
                                    {"attendees", absl::StrCat(result.attendee_count())},
                                    {"actor", viewer.name}});
  }
  return SessionForViewer(std::move(result), viewer);
}

absl::StatusOr<v1::ListTrainingsResponse> TrainingDesk::ListTrainings(
    const v1::ListTrainingsRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  auto period = CheckTrainingPeriod(request, v);
  if (!period) return v.ToStatus();
  v1::ListTrainingsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto sessions = TrainingRepository(tx).Sessions(absl::FormatCivilTime(period->first),
                                                    absl::FormatCivilTime(period->second),
                                                    request.kind(), kMaxListed);
    if (!sessions.ok()) return sessions.status();
    for (auto& s : *sessions) {
      out.set_attendees(out.attendees() + s.attendee_count());
      *out.add_sessions() = SessionForViewer(std::move(s), viewer);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Certification> TrainingDesk::RecordCertification(
    const v1::RecordCertificationRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckCertification(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  v1::Certification fresh = NewCertification(request, NewId("CRT-", now), viewer.name, now);
  return StoreCertification(
      request.request_id(), RequestDigest(request), now,
      [&](TrainingRepository&) -> absl::StatusOr<v1::Certification> { return fresh; });
}

absl::StatusOr<v1::Certification> TrainingDesk::RenewCertification(
    const v1::RenewCertificationRequest& request, const auth::Viewer& viewer) {
  errors::Violations v;
  CheckRenewal(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string id = NewId("CRT-", now);
  return StoreCertification(
      request.request_id(), RequestDigest(request), now,
      [&](TrainingRepository& repo) -> absl::StatusOr<v1::Certification> {
        auto current = repo.Certification(request.certification_id());
        if (!current.ok()) return current.status();
        if (!*current) {
          return absl::NotFoundError(
              absl::StrCat("certification_id: no certification ", request.certification_id()));
        }
        if (auto s = CheckRenewable(request, (*current)->message); !s.ok()) return s;
        auto marked = repo.MarkReplaced((*current)->message, id);
        if (!marked.ok()) return marked.status();
        if (!*marked) {
          return absl::FailedPreconditionError(
              absl::StrCat("certification_id: ", request.certification_id(),
                           " was replaced meanwhile; renew its successor"));
        }
        return Renewal(request, (*current)->message, id, viewer.name, now);
      });
}

absl::StatusOr<v1::Certification> TrainingDesk::StoreCertification(const std::string& request_id,
                                                                   const std::string& digest,
                                                                   absl::Time now,
                                                                   const Make& make) {
  v1::Certification result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    TrainingRepository repo(tx);
    // A retry is answered before anything is checked: a renewal that went through has replaced
    // the certificate its retry names.
    auto before = repo.CertificationByRequest(request_id);
    if (!before.ok()) return before.status();
    if (*before) {
      if ((*before)->request_digest != digest) return Clash(request_id);
      result = std::move((*before)->message);
      return absl::OkStatus();
    }
    auto fresh = make(repo);
    if (!fresh.ok()) return fresh.status();
    if (auto s = repo.InsertCertification(*fresh, digest); !s.ok()) return s;
    created = true;
    result = std::move(*fresh);
    return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, result.certification_id(),
                                                       RecordedEvent(result), now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    log::Info("certification recorded", {{"certification_id", result.certification_id()},
                                         {"replaces", result.replaces_certification_id()},
                                         {"actor", result.recorded_by()}});
    if (auto watched = WatchExpiry(); !watched.ok()) return watched.status();
  }
  return result;
}

absl::StatusOr<v1::ListExpiringCertificationsResponse> TrainingDesk::ListExpiring(
    const v1::ListExpiringCertificationsRequest& request) {
  if (request.within_days() < 0 || request.within_days() > kMaxWithinDays) {
    errors::Violations v;
    v.Add("within_days", "OUT_OF_RANGE", absl::StrCat("0 to ", kMaxWithinDays, " days"));
    return v.ToStatus();
  }
  absl::CivilDay today = Today();
  v1::ListExpiringCertificationsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto expiring =
        TrainingRepository(tx).ExpiringBy(ExpiringBy(today, request.within_days()), kMaxListed);
    if (!expiring.ok()) return expiring.status();
    for (auto& c : *expiring) {
      c.set_days_left(DaysLeft(c, today));
      *out.add_certifications() = std::move(c);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<v1::Certification>> TrainingDesk::CertificationsOn(absl::CivilDay day) {
  std::vector<v1::Certification> all;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto read = TrainingRepository(tx).AllCertifications();
    if (!read.ok()) return read.status();
    all = std::move(*read);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return CertificationsStandingOn(all, day);
}

absl::StatusOr<int64_t> TrainingDesk::WatchExpiry() {
  std::string by = ExpiringBy(Today(), kExpiryWatchDays);
  int64_t count = 0;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto n = TrainingRepository(tx).CountExpiringBy(by);
    if (!n.ok()) return n.status();
    count = *n;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  SetExpiringCertifications(count);
  return count;
}

}  // namespace parkline::quality
