#include "quality/training_rules.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "quality/document_rules.h"

namespace parkline::quality {
namespace {

// runtime/proto_time.h's conversion lives with gRPC; these rules link no gRPC.
google::protobuf::Timestamp Stamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

// A date field: REQUIRED when empty, NOT_A_DATE when it is not one.
std::optional<absl::CivilDay> CheckDate(errors::Violations& v, const char* field,
                                        const std::string& value) {
  if (value.empty()) {
    v.Add(field, "REQUIRED", "a date YYYY-MM-DD");
    return std::nullopt;
  }
  auto day = ParseDate(value);
  if (!day) v.Add(field, "NOT_A_DATE", "a date YYYY-MM-DD");
  return day;
}

void CheckValidity(errors::Violations& v, const std::string& issued, const std::string& expires) {
  auto from = CheckDate(v, "issued_date", issued);
  auto to = CheckDate(v, "expires_date", expires);
  if (from && to && *to <= *from) {
    v.Add("expires_date", "NOT_AFTER_ISSUED", "a certificate expires after it is issued");
  }
}

}  // namespace

void CheckTraining(const v1::RecordTrainingRequest& r, absl::CivilDay today,
                   errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), kMaxRequestId, true);
  if (!v1::TrainingKind_IsValid(r.kind()) || r.kind() == v1::TRAINING_KIND_UNSPECIFIED) {
    v.Add("kind", "REQUIRED", "FIRE_SAFETY_EDUCATION, EMERGENCY_DRILL, STAFF_TRAINING or OTHER");
  }
  auto held = CheckDate(v, "held_date", r.held_date());
  if (held && *held > today) {
    v.Add("held_date", "IN_THE_FUTURE", "a session is recorded once it was held");
  }
  CheckText(v, "title", r.title(), kMaxTitle, true);
  bool counted = r.attendee_count() != 0;
  bool named = r.attendee_names_size() > 0;
  if (counted && named) {
    v.Add("attendee_count", "BOTH_GIVEN",
          "a count or the attendees' names, not both (the names give the count)");
  } else if (!counted && !named) {
    v.Add("attendee_count", "REQUIRED", "how many attended, or attendee_names");
  } else if (counted && (r.attendee_count() < 1 || r.attendee_count() > kMaxAttendees)) {
    v.Add("attendee_count", "OUT_OF_RANGE", absl::StrCat("1 to ", kMaxAttendees));
  }
  if (r.attendee_names_size() > kMaxListedAttendees) {
    v.Add("attendee_names", "TOO_MANY",
          absl::StrCat("at most ", kMaxListedAttendees, " names; give a count instead"));
  }
  for (int i = 0; i < r.attendee_names_size() && i < kMaxListedAttendees; ++i) {
    const std::string& name = r.attendee_names(i);
    if (Blank(name) || name.size() > kMaxName) {
      v.Add(absl::StrCat("attendee_names[", i, "]"), "NOT_A_NAME",
            absl::StrCat("a name, 1 to ", kMaxName, " bytes"));
    }
  }
  if (!r.has_evidence()) {
    v.Add("evidence", "REQUIRED", "the uri and sha256 of the session's evidence");
  } else {
    CheckReference(r.evidence(), "evidence", v);
  }
  CheckText(v, "note", r.note(), kMaxNote, false);
}

v1::TrainingSession NewSession(const v1::RecordTrainingRequest& r, const std::string& session_id,
                               const std::string& actor, absl::Time now) {
  v1::TrainingSession s;
  s.set_session_id(session_id);
  s.set_request_id(r.request_id());
  s.set_kind(r.kind());
  s.set_held_date(r.held_date());
  s.set_title(r.title());
  s.set_attendee_count(r.attendee_names_size() > 0 ? r.attendee_names_size() : r.attendee_count());
  *s.mutable_attendee_names() = r.attendee_names();
  *s.mutable_evidence() = r.evidence();
  s.set_note(r.note());
  *s.mutable_recorded_time() = Stamp(now);
  s.set_recorded_by(actor);
  return s;
}

v1::TrainingSession SessionForViewer(v1::TrainingSession session, const auth::Viewer& viewer) {
  if (!viewer.park_staff) session.clear_attendee_names();
  return session;
}

std::optional<std::pair<absl::CivilDay, absl::CivilDay>> CheckTrainingPeriod(
    const v1::ListTrainingsRequest& r, errors::Violations& v) {
  auto from = CheckDate(v, "from_date", r.from_date());
  auto to = CheckDate(v, "to_date", r.to_date());
  if (!v1::TrainingKind_IsValid(r.kind())) {
    v.Add("kind", "UNKNOWN", "a training kind, or UNSPECIFIED for all");
  }
  if (from && to) {
    if (*to < *from) {
      v.Add("to_date", "BEFORE_FROM", "to_date is not before from_date");
    } else if (*to - *from >= kMaxTrainingPeriodDays) {
      v.Add("to_date", "PERIOD_TOO_LONG",
            absl::StrCat("a period is at most ", kMaxTrainingPeriodDays, " days"));
    }
  }
  if (!v.empty()) return std::nullopt;
  return std::make_pair(*from, *to);
}

void CheckCertification(const v1::RecordCertificationRequest& r, errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), kMaxRequestId, true);
  CheckText(v, "holder", r.holder(), kMaxName, true);
  CheckText(v, "certificate_kind", r.certificate_kind(), kMaxName, true);
  CheckText(v, "number", r.number(), kMaxName, true);
  CheckText(v, "issuer", r.issuer(), kMaxName, true);
  CheckValidity(v, r.issued_date(), r.expires_date());
}

void CheckRenewal(const v1::RenewCertificationRequest& r, errors::Violations& v) {
  CheckText(v, "request_id", r.request_id(), kMaxRequestId, true);
  CheckText(v, "certification_id", r.certification_id(), kMaxRequestId, true);
  CheckText(v, "number", r.number(), kMaxName, true);
  CheckText(v, "issuer", r.issuer(), kMaxName, true);
  CheckValidity(v, r.issued_date(), r.expires_date());
}

absl::Status CheckRenewable(const v1::RenewCertificationRequest& r,
                            const v1::Certification& current) {
  if (!current.replaced_by_certification_id().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("certification_id: ", current.certification_id(), " was already replaced by ",
                     current.replaced_by_certification_id(), "; renew that one"));
  }
  // Both parse: CheckRenewal passed and the stored one was checked when recorded.
  if (*ParseDate(r.expires_date()) <= *ParseDate(current.expires_date())) {
    errors::Violations v;
    v.Add("expires_date", "NOT_LATER",
          absl::StrCat("a renewal expires after the certificate it renews (",
                       current.expires_date(), ")"));
    return v.ToStatus();
  }
  return absl::OkStatus();
}

v1::Certification NewCertification(const v1::RecordCertificationRequest& r,
                                   const std::string& certification_id, const std::string& actor,
                                   absl::Time now) {
  v1::Certification c;
  c.set_certification_id(certification_id);
  c.set_request_id(r.request_id());
  c.set_holder(r.holder());
  c.set_certificate_kind(r.certificate_kind());
  c.set_number(r.number());
  c.set_issuer(r.issuer());
  c.set_issued_date(r.issued_date());
  c.set_expires_date(r.expires_date());
  *c.mutable_recorded_time() = Stamp(now);
  c.set_recorded_by(actor);
  return c;
}

v1::Certification Renewal(const v1::RenewCertificationRequest& r, const v1::Certification& current,
                          const std::string& certification_id, const std::string& actor,
                          absl::Time now) {
  v1::Certification c;
  c.set_certification_id(certification_id);
  c.set_request_id(r.request_id());
  c.set_holder(current.holder());
  c.set_certificate_kind(current.certificate_kind());
  c.set_number(r.number());
  c.set_issuer(r.issuer());
  c.set_issued_date(r.issued_date());
  c.set_expires_date(r.expires_date());
  c.set_replaces_certification_id(current.certification_id());
  *c.mutable_recorded_time() = Stamp(now);
  c.set_recorded_by(actor);
  return c;
}

std::vector<v1::Certification> CertificationsStandingOn(const std::vector<v1::Certification>& all,
                                                        absl::CivilDay day) {
  auto issued_by = [day](const v1::Certification& c) {
    auto issued = ParseDate(c.issued_date());
    return issued && *issued <= day;
  };
  std::map<std::string, const v1::Certification*> by_id;
  for (const auto& c : all) by_id[c.certification_id()] = &c;
  std::vector<v1::Certification> out;
  for (const auto& c : all) {
    if (!issued_by(c)) continue;
    // A renewal replaces from its issue date, not from when it was recorded: a certificate
    // renewed late still stood, expired, until then.
    auto successor = by_id.find(c.replaced_by_certification_id());
    if (successor != by_id.end() && issued_by(*successor->second)) continue;
    out.push_back(c);
  }
  return out;
}

std::string ExpiringBy(absl::CivilDay today, int within_days) {
  return absl::FormatCivilTime(today + within_days);
}

int DaysLeft(const v1::Certification& c, absl::CivilDay today) {
  auto expires = ParseDate(c.expires_date());
  return expires ? static_cast<int>(*expires - today) : 0;
}

std::string TrainingKindName(v1::TrainingKind kind) {
  std::string name = v1::TrainingKind_Name(kind);
  return absl::StartsWith(name, "TRAINING_KIND_") ? name.substr(14) : name;
}

}  // namespace parkline::quality
