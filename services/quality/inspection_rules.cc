#include "quality/inspection_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "quality/document_rules.h"

namespace parkline::quality {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Stamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

}  // namespace

void CheckInspection(const v1::RecordInspectionRequest& r, const auth::Viewer& viewer,
                     absl::CivilDay today, errors::Violations& v) {
  if (Blank(r.request_id())) v.Add("request_id", "REQUIRED", "the client's id of this filing");
  if (r.request_id().size() > kMaxRequestId) {
    v.Add("request_id", "TOO_LONG", absl::StrCat("at most ", kMaxRequestId, " bytes"));
  }
  if (!v1::InspectionKind_IsValid(r.kind()) || r.kind() == v1::INSPECTION_KIND_UNSPECIFIED) {
    v.Add("kind", "REQUIRED", "INTERNAL_PERIODIC, AUTHORITY or ENTERPRISE_SUPERVISION");
  }
  auto date = ParseDate(r.inspected_date());
  if (!date) {
    v.Add("inspected_date", "NOT_A_DATE", "a date YYYY-MM-DD");
  } else if (*date > today) {
    v.Add("inspected_date", "IN_THE_FUTURE", "an inspection is recorded once it happened");
  }
  if (Blank(r.inspector())) v.Add("inspector", "REQUIRED", "who inspected");
  if (r.inspector().size() > kMaxName) {
    v.Add("inspector", "TOO_LONG", absl::StrCat("at most ", kMaxName, " bytes"));
  }
  if (r.scope().size() > kMaxNote) {
    v.Add("scope", "TOO_LONG", absl::StrCat("at most ", kMaxNote, " bytes"));
  }
  bool supervision = r.kind() == v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION;
  if (supervision && r.filer_uscc().empty()) {
    v.Add("filer_uscc", "REQUIRED", "the enterprise that supervises the park (7.1.1)");
  } else if (!supervision && !r.filer_uscc().empty()) {
    v.Add("filer_uscc", "NOT_FOR_KIND", "only an enterprise's supervision names its filer");
  }
  if (r.findings().empty() || r.findings_size() > kMaxFindings) {
    v.Add("findings", "COUNT", absl::StrCat("1 to ", kMaxFindings, " findings"));
  }
  for (int i = 0; i < r.findings_size(); ++i) {
    const v1::Finding& f = r.findings(i);
    std::string at = absl::StrCat("findings[", i, "]");
    if (Blank(f.description())) {
      v.Add(at + ".description", "REQUIRED", "what was found");
    } else if (f.description().size() > kMaxNote) {
      v.Add(at + ".description", "TOO_LONG", absl::StrCat("at most ", kMaxNote, " bytes"));
    }
    if (!viewer.park_staff) {
      // The park decides who corrects what, and by when.
      if (!f.owner_department().empty()) {
        v.Add(at + ".owner_department", "PARK_DECIDES", "left to the park: leave it empty");
      }
      if (f.deadline_working_days() != 0) {
        v.Add(at + ".deadline_working_days", "PARK_DECIDES", "left to the park: leave it 0");
      }
      continue;
    }
    if (f.owner_department().size() > kMaxName) {
      v.Add(at + ".owner_department", "TOO_LONG", absl::StrCat("at most ", kMaxName, " bytes"));
    }
    if (f.deadline_working_days() < 0 || f.deadline_working_days() > kMaxDeadlineDays) {
      v.Add(at + ".deadline_working_days", "OUT_OF_RANGE",
            absl::StrCat("0 (the default) or 1 to ", kMaxDeadlineDays, " working days"));
    }
  }
}

absl::Status CheckFiler(const v1::RecordInspectionRequest& r, const auth::Viewer& viewer) {
  if (viewer.park_staff) return absl::OkStatus();
  if (r.kind() != v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION) {
    return absl::PermissionDeniedError(
        "kind: an enterprise files only ENTERPRISE_SUPERVISION (7.1.1)");
  }
  if (!viewer.SpeaksFor(r.filer_uscc())) {
    return absl::PermissionDeniedError("filer_uscc: an enterprise files in its own name");
  }
  return absl::OkStatus();
}

std::pair<absl::CivilDay, absl::Time> DueBy(const ParkTime& park, absl::Time now,
                                            int working_days) {
  absl::CivilDay today = absl::ToCivilDay(now, park.zone);
  absl::CivilDay due = park.calendar.AddWorkingDays(today, working_days);
  return {due, absl::FromCivil(due + 1, park.zone)};
}

v1::Inspection OpenInspection(const v1::RecordInspectionRequest& r,
                              const std::string& inspection_id, const ActionDefaults& defaults,
                              const ParkTime& park, const std::string& actor, absl::Time now) {
  v1::Inspection in;
  in.set_inspection_id(inspection_id);
  in.set_request_id(r.request_id());
  in.set_kind(r.kind());
  in.set_inspected_date(r.inspected_date());
  in.set_inspector(r.inspector());
  in.set_scope(r.scope());
  in.set_filer_uscc(r.filer_uscc());
  *in.mutable_findings() = r.findings();
  *in.mutable_recorded_time() = Stamp(now);
  in.set_recorded_by(actor);
  for (int i = 0; i < r.findings_size(); ++i) {
    const v1::Finding& f = r.findings(i);
    v1::CorrectiveAction* a = in.add_actions();
    a->set_action_id(absl::StrCat(inspection_id, "-A", i + 1));
    a->set_inspection_id(inspection_id);
    a->set_finding_index(i);
    a->set_description(f.description());
    a->set_owner_department(f.owner_department().empty() ? defaults.department
                                                         : f.owner_department());
    int days = f.deadline_working_days() > 0 ? f.deadline_working_days() : defaults.working_days;
    a->set_deadline_working_days(days);
    auto [day, end] = DueBy(park, now, days);
    a->set_due_date(absl::FormatCivilTime(day));
    *a->mutable_due_by() = Stamp(end);
    a->set_status(v1::ACTION_STATUS_OPEN);
  }
  return in;
}

bool IsOverdue(const v1::CorrectiveAction& action, absl::Time now) {
  return action.status() == v1::ACTION_STATUS_OPEN && now >= TimeOf(action.due_by());
}

absl::Status CheckClosure(const v1::CloseCorrectiveActionRequest& r,
                          const v1::CorrectiveAction& action) {
  errors::Violations v;
  if (Blank(r.evidence())) {
    v.Add("evidence", "REQUIRED", "what was done to correct the finding");
  } else if (r.evidence().size() > kMaxNote) {
    v.Add("evidence", "TOO_LONG", absl::StrCat("at most ", kMaxNote, " bytes"));
  }
  if (r.evidence_uri().size() > kMaxUri) {
    v.Add("evidence_uri", "TOO_LONG", absl::StrCat("at most ", kMaxUri, " bytes"));
  }
  if (!v.empty()) return v.ToStatus();
  if (action.status() == v1::ACTION_STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat("action_id: ", action.action_id(), " is closed already"));
  }
  return absl::OkStatus();
}

void Close(const v1::CloseCorrectiveActionRequest& r, const std::string& actor, absl::Time now,
           v1::CorrectiveAction& action) {
  action.set_status(v1::ACTION_STATUS_CLOSED);
  action.set_evidence(r.evidence());
  action.set_evidence_uri(r.evidence_uri());
  *action.mutable_closed_time() = Stamp(now);
  action.set_closed_by(actor);
  action.set_closed_on_time(now < TimeOf(action.due_by()));
}

bool ClosedBy(const v1::CloseCorrectiveActionRequest& r, const v1::CorrectiveAction& action) {
  return action.status() == v1::ACTION_STATUS_CLOSED && action.action_id() == r.action_id() &&
         action.evidence() == r.evidence() && action.evidence_uri() == r.evidence_uri();
}

bool MayRead(const auth::Viewer& viewer, const v1::Inspection& inspection) {
  if (viewer.park_staff || viewer.analyst) return true;
  return viewer.SpeaksFor(inspection.filer_uscc());
}

v1::Inspection InspectionForViewer(v1::Inspection inspection, const auth::Viewer& viewer) {
  if (!viewer.park_staff && !viewer.analyst) inspection.clear_record();
  return inspection;
}

std::string CanonicalEntry(const std::string& inspection_id, const v1::InspectionRecordEntry& e) {
  using hashchain::AppendField;
  std::string out = "parkline.quality.inspection.v1\n";
  AppendField(out, inspection_id);
  AppendField(out, absl::StrCat(e.sequence()));
  AppendField(out, e.action());
  AppendField(out, e.action_id());
  AppendField(out, e.actor());
  AppendField(out, absl::StrCat(TimeUtil::TimestampToMicroseconds(e.time())));
  AppendField(out, e.note());
  AppendField(out, e.request_id());
  return out;
}

void Seal(const std::string& inspection_id, const hashchain::Head& head,
          v1::InspectionRecordEntry& entry) {
  entry.set_sequence(head.sequence + 1);
  entry.set_previous_hash(head.sequence == 0 ? hashchain::kGenesisHash : head.hash);
  entry.set_hash(hashchain::LinkHash(entry.previous_hash(), CanonicalEntry(inspection_id, entry)));
}

std::optional<v1::InspectionRecordBreak> VerifyRecord(
    const std::string& inspection_id, const std::vector<v1::InspectionRecordEntry>& entries,
    const hashchain::Head& head) {
  std::vector<hashchain::StoredEntry> stored;
  stored.reserve(entries.size());
  for (const auto& e : entries) {
    stored.push_back({e.sequence(), e.previous_hash(), e.hash(), CanonicalEntry(inspection_id, e)});
  }
  auto broken = hashchain::Verify(stored, head, "the inspection");
  if (!broken) return std::nullopt;
  v1::InspectionRecordBreak b;
  b.set_inspection_id(inspection_id);
  b.set_sequence(broken->sequence);
  b.set_reason(std::move(broken->reason));
  return b;
}

std::string InspectionKindName(v1::InspectionKind kind) {
  std::string name = v1::InspectionKind_Name(kind);
  return absl::StartsWith(name, "INSPECTION_KIND_") ? name.substr(16) : name;
}

}  // namespace parkline::quality
