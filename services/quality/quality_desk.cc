#include "quality/quality_desk.h"

#include "absl/strings/str_cat.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/quality/v1/events.pb.h"
#include "quality/document_repository.h"
#include "quality/inspection_repository.h"
#include "quality/quality_metrics.h"
#include "quality/report_html.h"
#include "runtime/log.h"

namespace parkline::quality {
namespace {

using google::protobuf::util::TimeUtil;
constexpr char kSupervisionActor[] = "supervision";

v1::DocumentPublished PublishedEvent(const v1::DocumentVersion& d) {
  v1::DocumentPublished e;
  e.set_document_id(d.document_id());
  e.set_version(d.version());
  e.set_kind(d.kind());
  e.set_visibility(d.visibility());
  e.set_effective_date(d.effective_date());
  e.set_sha256(d.sha256());
  *e.mutable_published_time() = d.published_time();
  return e;
}

v1::DocumentWithdrawn WithdrawnEvent(const v1::DocumentVersion& d) {
  v1::DocumentWithdrawn e;
  e.set_document_id(d.document_id());
  e.set_version(d.version());
  e.set_kind(d.kind());
  e.set_visibility(d.visibility());
  e.set_effective_date(d.effective_date());
  *e.mutable_withdrawn_time() = d.published_time();
  return e;
}

absl::Status NotFound(const std::string& document_id) {
  return absl::NotFoundError(absl::StrCat("document_id: no document ", document_id));
}

}  // namespace

std::string NewId(absl::string_view prefix, absl::Time now) {
  return absl::StrCat(prefix, absl::FormatTime("%Y%m%d", now, absl::FixedTimeZone(8 * 3600)), "-",
                      events::NewUuid().substr(24));
}

QualityDesk::QualityDesk(store::Database& db, store::GroupCommitter& writer,
                         std::function<void()> events_committed, DeskSettings settings, Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      settings_(std::move(settings)),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::StatusOr<QualityDesk::VersionOutcome> QualityDesk::StoreVersion(
    const std::string& request_id, const std::string& digest, bool withdrawal,
    const std::string& document_id, absl::Time now,
    absl::FunctionRef<
        absl::StatusOr<v1::DocumentVersion>(const std::optional<v1::DocumentVersion>& current)>
        next) {
  VersionOutcome out;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    out.created = false;
    DocumentRepository repo(tx);
    auto before = repo.FindByRequest(request_id);
    if (!before.ok()) return before.status();
    if (*before) {
      // The same request again: a publication's retry is a publication, a withdrawal's a
      // withdrawal.
      if ((*before)->request_digest != digest || (*before)->version.withdrawn() != withdrawal) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id: ", request_id,
                         " already recorded another document version; use a new request_id"));
      }
      out.version = std::move((*before)->version);
      return absl::OkStatus();
    }
    std::optional<v1::DocumentVersion> current;
    if (!document_id.empty()) {
      auto found = repo.Find(document_id, 0, false);
      if (!found.ok()) return found.status();
      if (*found) current = std::move((*found)->version);
    }
    auto version = next(current);
    if (!version.ok()) return version.status();
    out.version = std::move(*version);
    if (auto s = repo.Insert(out.version, digest); !s.ok()) return s;
    out.created = true;
    const v1::DocumentVersion& v = out.version;
    return events::AppendToOutbox(
        tx, withdrawal
                ? events::NewEvent(kTopic, kSource, v.document_id(), WithdrawnEvent(v), now)
                : events::NewEvent(kTopic, kSource, v.document_id(), PublishedEvent(v), now));
  });
  if (!status.ok()) return status;
  if (out.created && events_committed_) events_committed_();
  return out;
}

absl::StatusOr<v1::DocumentVersion> QualityDesk::Publish(const v1::PublishDocumentRequest& request,
                                                         const Viewer& viewer) {
  errors::Violations v;
  CheckPublication(request, settings_.max_document_bytes, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string new_id = request.document_id().empty() ? NewId("DOC-", now) : request.document_id();
  auto stored =
      StoreVersion(request.request_id(), RequestDigest(request), false, request.document_id(), now,
                   [&](const std::optional<v1::DocumentVersion>& current)
                       -> absl::StatusOr<v1::DocumentVersion> {
                     if (auto s = CheckSuccession(request, current); !s.ok()) return s;
                     return NextVersion(request, current, new_id, viewer.name, now);
                   });
  if (!stored.ok()) return stored.status();
  const v1::DocumentVersion& result = stored->version;
  if (stored->created) {
    CountPublication(KindName(result.kind()), v1::Visibility_Name(result.visibility()));
    log::Info("document published", {{"document_id", result.document_id()},
                                     {"version", absl::StrCat(result.version())},
                                     {"kind", KindName(result.kind())},
                                     {"actor", viewer.name}});
  }
  return std::move(stored->version);
}

absl::StatusOr<v1::DocumentVersion> QualityDesk::Withdraw(
    const v1::WithdrawDocumentRequest& request, const Viewer& viewer) {
  errors::Violations v;
  CheckWithdrawal(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  auto stored =
      StoreVersion(request.request_id(), RequestDigest(request), true, request.document_id(), now,
                   [&](const std::optional<v1::DocumentVersion>& current)
                       -> absl::StatusOr<v1::DocumentVersion> {
                     if (auto s = CheckWithdrawalOf(request, current); !s.ok()) return s;
                     return WithdrawalVersion(request, *current, viewer.name, now);
                   });
  if (!stored.ok()) return stored.status();
  const v1::DocumentVersion& result = stored->version;
  if (stored->created) {
    CountWithdrawal(KindName(result.kind()));
    log::Info("document withdrawn", {{"document_id", result.document_id()},
                                     {"version", absl::StrCat(result.version())},
                                     {"effective_date", result.effective_date()},
                                     {"actor", viewer.name}});
  }
  return std::move(stored->version);
}

absl::StatusOr<v1::DocumentVersion> QualityDesk::Get(const v1::GetDocumentRequest& request,
                                                     const Viewer& viewer) {
  errors::Violations v;
  if (request.document_id().empty()) v.Add("document_id", "REQUIRED", "which document");
  if (request.version() < 0) v.Add("version", "NEGATIVE", "0 (current) or a version number");
  if (!v.empty()) return v.ToStatus();
  std::optional<StoredVersion> found;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto f = DocumentRepository(tx).Find(request.document_id(), request.version(), true);
    if (!f.ok()) return f.status();
    found = std::move(*f);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Each version carries its visibility: an internal draft of a later-public document stays the
  // park's, and is NOT_FOUND to an enterprise as if it did not exist.
  if (!found || !MayRead(viewer, found->version)) return NotFound(request.document_id());
  return std::move(found->version);
}

absl::StatusOr<v1::ListDocumentsResponse> QualityDesk::List(const v1::ListDocumentsRequest& request,
                                                            const Viewer& viewer) {
  if (!v1::DocumentKind_IsValid(request.kind())) {
    errors::Violations v;
    v.Add("kind", "UNKNOWN", "one of the register's document kinds, or UNSPECIFIED for all");
    return v.ToStatus();
  }
  v1::ListDocumentsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto current = DocumentRepository(tx).Current(request.kind());
    if (!current.ok()) return current.status();
    for (auto& d : *current) {
      if (d.withdrawn() && !request.include_withdrawn()) continue;
      if (MayRead(viewer, d)) *out.add_documents() = WithoutContent(std::move(d));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::GetDocumentHistoryResponse> QualityDesk::History(
    const v1::GetDocumentHistoryRequest& request, const Viewer& viewer) {
  if (request.document_id().empty()) {
    errors::Violations v;
    v.Add("document_id", "REQUIRED", "which document");
    return v.ToStatus();
  }
  v1::GetDocumentHistoryResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto history = DocumentRepository(tx).History(request.document_id());
    if (!history.ok()) return history.status();
    for (auto& d : *history) *out.add_versions() = WithoutContent(std::move(d));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Whole or nothing: a document whose current version is internal shows no history to an
  // enterprise (the current version decides, as GetDocument's version 0 does).
  if (out.versions().empty() || !MayRead(viewer, out.versions(out.versions_size() - 1))) {
    return NotFound(request.document_id());
  }
  if (!viewer.park_staff && !viewer.analyst) {
    // Earlier internal versions of a now-public document stay the park's.
    v1::GetDocumentHistoryResponse visible;
    for (auto& d : *out.mutable_versions()) {
      if (MayRead(viewer, d)) *visible.add_versions() = std::move(d);
    }
    return visible;
  }
  return out;
}

absl::StatusOr<v1::Inspection> QualityDesk::RecordInspection(
    const v1::RecordInspectionRequest& request, const Viewer& viewer) {
  absl::Time now = clock_();
  errors::Violations v;
  CheckInspection(request, viewer, absl::ToCivilDay(now, settings_.park.zone), v);
  if (!v.empty()) return v.ToStatus();
  if (auto s = CheckFiler(request, viewer); !s.ok()) return s;
  std::string digest = RequestDigest(request);
  v1::Inspection fresh = OpenInspection(request, NewId("INS-", now), settings_.actions,
                                        settings_.park, viewer.name, now);
  v1::InspectionRecordEntry entry;
  entry.set_action("RECORDED");
  entry.set_actor(viewer.name);
  *entry.mutable_time() = fresh.recorded_time();
  entry.set_note(absl::StrCat(InspectionKindName(fresh.kind()), ", ", fresh.findings_size(),
                              " findings, ", fresh.actions_size(), " actions opened"));
  Seal(fresh.inspection_id(), hashchain::Head{}, entry);

  v1::Inspection result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    InspectionRepository repo(tx);
    auto before = repo.FindByRequest(request.request_id());
    if (!before.ok()) return before.status();
    if (*before) {
      // Another filer's request id answers as a clash, naming nothing of what it holds.
      if ((*before)->request_digest != digest || !MayRead(viewer, (*before)->inspection)) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id: ", request.request_id(), " was used for another filing; use a new one"));
      }
      result = std::move((*before)->inspection);
      return absl::OkStatus();
    }
    StoredInspection stored{fresh, digest, hashchain::Head{entry.sequence(), entry.hash()}};
    if (auto s = repo.Insert(stored); !s.ok()) return s;
    if (auto s = repo.Append(fresh.inspection_id(), entry); !s.ok()) return s;
    created = true;
    result = fresh;
    v1::InspectionRecorded event;
    event.set_inspection_id(fresh.inspection_id());
    event.set_kind(fresh.kind());
    event.set_inspected_date(fresh.inspected_date());
    event.set_filer_uscc(fresh.filer_uscc());
    event.set_findings(fresh.findings_size());
    *event.mutable_actions() = fresh.actions();
    *event.mutable_recorded_time() = fresh.recorded_time();
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, fresh.inspection_id(), event, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountInspection(InspectionKindName(result.kind()));
    log::Info("inspection recorded", {{"inspection_id", result.inspection_id()},
                                      {"kind", InspectionKindName(result.kind())},
                                      {"actions", absl::StrCat(result.actions_size())},
                                      {"actor", viewer.name}});
  }
  return InspectionForViewer(std::move(result), viewer);
}

absl::StatusOr<v1::Inspection> QualityDesk::GetInspection(const v1::GetInspectionRequest& request,
                                                          const Viewer& viewer) {
  if (request.inspection_id().empty()) {
    errors::Violations v;
    v.Add("inspection_id", "REQUIRED", "which inspection");
    return v.ToStatus();
  }
  std::optional<StoredInspection> found;
  std::vector<v1::InspectionRecordEntry> record;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    InspectionRepository repo(tx);
    auto f = repo.Find(request.inspection_id());
    if (!f.ok()) return f.status();
    found = std::move(*f);
    if (!found) return absl::OkStatus();
    auto r = repo.Record(request.inspection_id());
    if (!r.ok()) return r.status();
    record = std::move(*r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !MayRead(viewer, found->inspection)) {
    return absl::NotFoundError(
        absl::StrCat("inspection_id: no inspection ", request.inspection_id()));
  }
  for (auto& e : record) *found->inspection.add_record() = std::move(e);
  return InspectionForViewer(std::move(found->inspection), viewer);
}

absl::StatusOr<v1::ListInspectionsResponse> QualityDesk::ListInspections(
    const v1::ListInspectionsRequest& request, const Viewer& viewer) {
  if (!v1::InspectionKind_IsValid(request.kind())) {
    errors::Violations v;
    v.Add("kind", "UNKNOWN", "an inspection kind, or UNSPECIFIED for all");
    return v.ToStatus();
  }
  // An enterprise lists the inspections it filed, whatever it asks for.
  std::string filer = viewer.park_staff || viewer.analyst ? request.party_uscc() : viewer.uscc;
  if (!viewer.park_staff && !viewer.analyst && !viewer.SpeaksFor(filer)) {
    return v1::ListInspectionsResponse();
  }
  v1::ListInspectionsResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = InspectionRepository(tx).List(request.kind(), filer, 500);
    if (!list.ok()) return list.status();
    for (auto& in : *list) {
      if (MayRead(viewer, in)) *out.add_inspections() = InspectionForViewer(std::move(in), viewer);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Inspection> QualityDesk::ChangeAction(const std::string& action_id,
                                                         absl::Time now, const ActionChange& change,
                                                         bool& changed,
                                                         const std::string& request_id,
                                                         const Retried& retried) {
  v1::Inspection result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    changed = false;
    InspectionRepository repo(tx);
    auto inspection_id = repo.InspectionOf(action_id);
    if (!inspection_id.ok()) return inspection_id.status();
    if (!*inspection_id) {
      return absl::NotFoundError(absl::StrCat("action_id: no corrective action ", action_id));
    }
    auto found = repo.Find(**inspection_id);
    if (!found.ok()) return found.status();
    if (!*found) return absl::DataLossError(absl::StrCat("the inspection of ", action_id));
    StoredInspection& s = **found;
    v1::CorrectiveAction* action = nullptr;
    for (auto& a : *s.inspection.mutable_actions()) {
      if (a.action_id() == action_id) action = &a;
    }
    if (!action) return absl::DataLossError(absl::StrCat("action ", action_id, " is not stored"));
    if (!request_id.empty()) {
      // A closure already applied is in the record under its request_id: its retry is answered
      // as the inspection is now; the same id with anything else is another request.
      auto applied = repo.EntryByRequest(request_id);
      if (!applied.ok()) return applied.status();
      if (*applied) {
        if ((*applied)->action_id() != action_id) {
          return absl::AlreadyExistsError(absl::StrCat(
              "request_id: ", request_id, " was used for another step; use a new one"));
        }
        if (retried && !retried(*action)) {
          return absl::AlreadyExistsError(
              absl::StrCat("request_id: ", request_id, " closed ", action_id,
                           " with other evidence; a retry repeats it, a new request uses a "
                           "new request_id"));
        }
        result = s.inspection;
        return absl::OkStatus();
      }
    }
    v1::InspectionRecordEntry entry;
    std::unique_ptr<google::protobuf::Message> event;
    bool skip = false;
    if (auto st = change(*action, entry, event, skip); !st.ok()) return st;
    result = s.inspection;
    if (skip) return absl::OkStatus();
    entry.set_action_id(action_id);
    *entry.mutable_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    Seal(s.inspection.inspection_id(), s.head, entry);
    hashchain::Head head{entry.sequence(), entry.hash()};
    if (auto st = repo.Append(s.inspection.inspection_id(), entry); !st.ok()) return st;
    if (auto st = repo.Update(s.inspection, head); !st.ok()) return st;
    changed = true;
    result = s.inspection;
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, s.inspection.inspection_id(), *event, now));
  });
  if (!status.ok()) return status;
  if (changed && events_committed_) events_committed_();
  return result;
}

absl::StatusOr<v1::Inspection> QualityDesk::CloseAction(
    const v1::CloseCorrectiveActionRequest& request, const Viewer& viewer) {
  errors::Violations v;
  if (request.action_id().empty()) v.Add("action_id", "REQUIRED", "which corrective action");
  if (request.request_id().empty()) {
    v.Add("request_id", "REQUIRED", "the client's id of this closure, for its retry");
  } else if (request.request_id().size() > kMaxRequestId) {
    v.Add("request_id", "TOO_LONG", absl::StrCat("at most ", kMaxRequestId, " bytes"));
  }
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  bool changed = false;
  auto result = ChangeAction(
      request.action_id(), now,
      [&](v1::CorrectiveAction& action, v1::InspectionRecordEntry& entry,
          std::unique_ptr<google::protobuf::Message>& event, bool&) -> absl::Status {
        if (auto s = CheckClosure(request, action); !s.ok()) return s;
        Close(request, viewer.name, now, action);
        entry.set_action("ACTION_CLOSED");
        entry.set_actor(viewer.name);
        entry.set_note(request.evidence());
        entry.set_request_id(request.request_id());
        auto closed = std::make_unique<v1::CorrectiveActionClosed>();
        closed->set_action_id(action.action_id());
        closed->set_inspection_id(action.inspection_id());
        closed->set_owner_department(action.owner_department());
        *closed->mutable_due_by() = action.due_by();
        *closed->mutable_closed_time() = action.closed_time();
        closed->set_closed_on_time(action.closed_on_time());
        event = std::move(closed);
        return absl::OkStatus();
      },
      changed, request.request_id(),
      [&](const v1::CorrectiveAction& action) { return ClosedBy(request, action); });
  if (!result.ok()) return result.status();
  if (changed) {
    log::Info("corrective action closed",
              {{"action_id", request.action_id()}, {"actor", viewer.name}});
  }
  return InspectionForViewer(std::move(*result), viewer);
}

absl::StatusOr<int> QualityDesk::Supervise() {
  absl::Time now = clock_();
  std::vector<std::pair<std::string, std::string>> due;
  absl::Status listed = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto d = InspectionRepository(tx).Due(absl::ToUnixMicros(now), 500);
    if (!d.ok()) return d.status();
    due = std::move(*d);
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  int marked = 0;
  for (const auto& [action_id, inspection_id] : due) {
    bool changed = false;
    std::string department;
    auto result = ChangeAction(
        action_id, now,
        [&](v1::CorrectiveAction& action, v1::InspectionRecordEntry& entry,
            std::unique_ptr<google::protobuf::Message>& event, bool& skip) -> absl::Status {
          // Closed or marked since it was listed: nothing to do.
          if (!IsOverdue(action, now)) {
            skip = true;
            return absl::OkStatus();
          }
          action.set_status(v1::ACTION_STATUS_OVERDUE);
          department = action.owner_department();
          entry.set_action("ACTION_OVERDUE");
          entry.set_actor(kSupervisionActor);
          entry.set_note(absl::StrCat("due ", action.due_date(), ", owner ", department));
          auto overdue = std::make_unique<v1::CorrectiveActionOverdue>();
          overdue->set_action_id(action.action_id());
          overdue->set_inspection_id(action.inspection_id());
          overdue->set_owner_department(department);
          *overdue->mutable_due_by() = action.due_by();
          *overdue->mutable_overdue_time() =
              TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
          event = std::move(overdue);
          return absl::OkStatus();
        },
        changed);
    if (!result.ok()) return result.status();
    if (changed) {
      ++marked;
      CountOverdueAction(department);
      log::Warn(
          "corrective action overdue",
          {{"action_id", action_id}, {"inspection_id", inspection_id}, {"department", department}});
    }
  }
  absl::Status counted = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto n = InspectionRepository(tx).CountOverdue();
    if (!n.ok()) return n.status();
    SetOverdueActions(*n);
    return absl::OkStatus();
  });
  if (!counted.ok()) return counted;
  return marked;
}

absl::StatusOr<v1::VerifyInspectionRecordResponse> QualityDesk::VerifyRecord(
    const v1::VerifyInspectionRecordRequest& request) {
  v1::VerifyInspectionRecordResponse out;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    InspectionRepository repo(tx);
    std::vector<std::string> ids;
    if (request.inspection_id().empty()) {
      auto all = repo.AllIds();
      if (!all.ok()) return all.status();
      ids = std::move(*all);
    } else {
      ids.push_back(request.inspection_id());
    }
    for (const std::string& id : ids) {
      auto found = repo.Find(id);
      if (!found.ok()) return found.status();
      if (!*found) return absl::NotFoundError(absl::StrCat("inspection_id: no inspection ", id));
      auto record = repo.Record(id);
      if (!record.ok()) return record.status();
      out.set_inspections_checked(out.inspections_checked() + 1);
      if (auto broken = quality::VerifyRecord(id, *record, (*found)->head)) {
        *out.add_breaks() = std::move(*broken);
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

namespace {

// The register and the inspections as the report reads them: everything, as the park sees it.
class DeskRecords final : public DocumentSource, public InspectionSource {
 public:
  explicit DeskRecords(store::Database& db, QualityDesk& desk) : db_(db), desk_(desk) {}

  absl::StatusOr<std::vector<v1::DocumentVersion>> AllVersions() override {
    std::vector<v1::DocumentVersion> out;
    absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      DocumentRepository repo(tx);
      auto current = repo.Current(v1::DOCUMENT_KIND_UNSPECIFIED);
      if (!current.ok()) return current.status();
      for (const auto& doc : *current) {
        auto history = repo.History(doc.document_id());
        if (!history.ok()) return history.status();
        for (auto& v : *history) out.push_back(std::move(v));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return out;
  }

  // With their record, so that the report can cite each one's head hash.
  absl::StatusOr<std::vector<v1::Inspection>> Inspections() override {
    std::vector<v1::Inspection> out;
    absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      InspectionRepository repo(tx);
      auto list = repo.List(v1::INSPECTION_KIND_UNSPECIFIED, "", kReportInspections);
      if (!list.ok()) return list.status();
      for (auto& in : *list) {
        auto record = repo.Record(in.inspection_id());
        if (!record.ok()) return record.status();
        for (auto& e : *record) *in.add_record() = std::move(e);
        out.push_back(std::move(in));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return out;
  }

  absl::StatusOr<v1::VerifyInspectionRecordResponse> VerifyRecords() override {
    return desk_.VerifyRecord({});
  }

 private:
  // The newest inspections a report reads; a park records a few a month.
  static constexpr int kReportInspections = 5000;
  store::Database& db_;
  QualityDesk& desk_;
};

}  // namespace

absl::StatusOr<v1::GetEvaluationReportResponse> QualityDesk::EvaluationReport(
    const v1::GetEvaluationReportRequest& request, const Viewer& viewer) {
  auto period = CheckReportRequest(request);
  if (!period.ok()) return period.status();
  DeskRecords records(db_, *this);
  ReportSources sources = external_;
  sources.documents = &records;
  sources.inspections = &records;
  ReportEvidence evidence =
      GatherEvidence(sources, *period, request.title(), clock_(), viewer.name);
  v1::GetEvaluationReportResponse out;
  *out.mutable_report() = AssembleReport(evidence);
  out.set_html(RenderReportHtml(out.report()));
  return out;
}

}  // namespace parkline::quality
