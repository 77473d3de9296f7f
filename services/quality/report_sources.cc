#include "quality/report_sources.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "quality/document_rules.h"

namespace parkline::quality {
namespace {

std::string DayText(absl::CivilDay d) { return absl::FormatCivilTime(d); }

// ListTrainings accepts at most this many days per request.
constexpr int kTrainingWindowDays = 366;

}  // namespace

absl::StatusOr<AssessmentEvidence> AssessmentEvidenceSource::Assessments(
    const ReportPeriod& period) {
  const std::string from = DayText(period.from), to = DayText(period.to);
  AssessmentEvidence out;
  auto schemes = desk_.ListSchemes();
  if (!schemes.ok()) return schemes.status();
  // Oldest first, and effective dates never go back: the last one in force by `to` wins.
  for (const auto& s : schemes->schemes()) {
    if (s.effective_from() > to) continue;
    out.scheme_id = absl::StrCat("assessment-scheme-v", s.version());
    out.scheme_version = s.version();
    out.scheme_effective_date = s.effective_from();
    out.scheme_sha256 = RequestDigest(s);
  }
  auto results = desk_.ListResults();
  if (!results.ok()) return results.status();
  for (const auto& r : results->results()) {
    if (r.period().to() < from || r.period().from() > to) continue;
    AssessmentResult a;
    a.id = absl::StrCat("assessment-result-", r.period().from(), "..", r.period().to());
    a.period_from = r.period().from();
    a.period_to = r.period().to();
    a.score = r.total();
    a.closed = r.final();
    a.components_missing.assign(r.missing().begin(), r.missing().end());
    out.results.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<TrainingEvidence> TrainingEvidenceSource::Trainings(const ReportPeriod& period) {
  TrainingEvidence out;
  auth::Viewer reader;
  reader.name = "evaluation-report";
  for (absl::CivilDay from = period.from; from <= period.to; from += kTrainingWindowDays) {
    absl::CivilDay to = std::min(period.to, from + (kTrainingWindowDays - 1));
    v1::ListTrainingsRequest request;
    request.set_from_date(DayText(from));
    request.set_to_date(DayText(to));
    auto sessions = desk_.ListTrainings(request, reader);
    if (!sessions.ok()) return sessions.status();
    for (const auto& s : sessions->sessions()) {
      TrainingSession t;
      t.id = s.session_id();
      t.kind = std::string(absl::StripPrefix(v1::TrainingKind_Name(s.kind()), "TRAINING_KIND_"));
      t.date = s.held_date();
      t.attendees = s.attendee_count();
      t.evidence_uri = s.evidence().uri();
      out.sessions.push_back(std::move(t));
    }
  }
  // As they stood at the period's end, not today: a renewal after it does not mend it.
  auto certifications = desk_.CertificationsOn(period.to);
  if (!certifications.ok()) return certifications.status();
  for (const auto& c : *certifications) {
    StaffCertification s;
    s.id = c.certification_id();
    s.holder = "staff";
    s.name = c.certificate_kind();
    s.expires = c.expires_date();
    s.issued = c.issued_date();
    out.certifications.push_back(std::move(s));
  }
  return out;
}

}  // namespace parkline::quality
