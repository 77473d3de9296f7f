#include "complaints/complaint_desk.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "calendar/date.h"
#include "complaints/complaint_change.h"
#include "complaints/complaint_metrics.h"
#include "complaints/complaint_repository.h"
#include "complaints/complaint_rules.h"
#include "complaints/complaint_time.h"
#include "complaints/record_chain.h"
#include "complaints/recorded_state.h"
#include "complaints/step_effects.h"
#include "complaints/vocabulary.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "paging/page.h"
#include "parkline/complaints/v1/events.pb.h"
#include "runtime/log.h"

namespace parkline::complaints {

namespace {

using google::protobuf::util::TimeUtil;

// A page token is the (time in micros, id) of the last item of the page before.
constexpr paging::KeyFormat kTimeAndId{2, '|', true};
constexpr int kVerifyBatch = 200;
constexpr int kDueBatch = 500;

// Where a page starts: after (micros, id); before every item on the first page.
struct Cursor {
  int64_t micros = INT64_MIN;
  std::string id;
};

Cursor CursorOf(const paging::Page& page) {
  if (page.first()) return Cursor{};
  return Cursor{page.after_number, page.AfterPart(1)};
}

paging::Key KeyOf(const google::protobuf::Timestamp& time, const std::string& id) {
  return {absl::StrCat(TimeUtil::TimestampToMicroseconds(time)), id};
}

// Complaints are listed by the time they were filed.
paging::Key ComplaintKey(const StoredComplaint& row) {
  return KeyOf(row.complaint.filed_time(), row.complaint.complaint_id());
}

// The date, then 12 random hex digits: a UUID's last 12 (its first ones are its time).
std::string NewId(absl::string_view prefix, absl::Time now) {
  return absl::StrCat(prefix, absl::FormatTime("%Y%m%d", now, absl::FixedTimeZone(8 * 3600)), "-",
                      events::NewUuid().substr(24));
}

}  // namespace

ComplaintDesk::ComplaintDesk(store::Database& db, store::GroupCommitter& writer,
                             std::function<void()> events_committed,
                             const ComplaintDeadline& deadlines, const RoutingRules& routing,
                             Clock clock)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      deadlines_(deadlines),
      routing_(routing),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })) {}

absl::StatusOr<v1::Complaint> ComplaintDesk::File(const v1::FileComplaintRequest& request,
                                                  const Viewer& viewer) {
  errors::Violations v;
  CheckFiling(request, v);
  if (!v.empty()) return v.ToStatus();
  absl::Time now = clock_();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  Filing filing = OpenComplaint(request, NewId("CMP-", now), viewer.name, now,
                                deadlines_.For(request.category(), now));
  ChainHead head{filing.entry.sequence(), filing.entry.hash()};
  StoredComplaint fresh{std::move(filing.complaint), request.complainant().contact(), digest, head};
  const v1::Complaint& c = fresh.complaint;

  StoredComplaint result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    ComplaintRepository repo(tx);
    auto filed_before = FindFiled(repo, request.request_id(), digest);
    if (!filed_before.ok()) return filed_before.status();
    if (*filed_before) {
      result = std::move(**filed_before);
      return absl::OkStatus();
    }
    if (auto s = CheckPartiesResident(tx, request); !s.ok()) return s;
    if (auto s = repo.Insert(fresh); !s.ok()) return s;
    if (auto s = repo.Append(c.complaint_id(), filing.entry); !s.ok()) return s;
    created = true;
    result = fresh;
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, c.complaint_id(), filing.filed, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    CountFiling(c.category(), c.channel());
    log::Info("complaint filed", {{"complaint_id", c.complaint_id()},
                                  {"category", CategoryName(c.category())},
                                  {"actor", viewer.name}});
  }
  return ForViewer(result.complaint, result.contact, viewer);
}

absl::StatusOr<ComplaintDesk::Outcome> ComplaintDesk::Apply(
    const std::string& complaint_id, const StepAttempt* attempt,
    const std::function<absl::Status(Change&)>& change) {
  absl::Time now = clock_();
  Outcome outcome;
  v1::ContactDetails contact;
  bool published = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    published = false;
    outcome.retried = false;
    ComplaintRepository repo(tx);
    auto found = repo.Find(complaint_id);
    if (!found.ok()) return found.status();
    if (!*found)
      return absl::NotFoundError(absl::StrCat("complaint_id: no complaint ", complaint_id));
    Change c{std::move(**found), now, {}, {}, false};
    if (attempt) {
      auto verdict = JudgeAttempt(repo, *attempt, c.stored.head);
      if (!verdict.ok()) return verdict.status();
      if (*verdict == StepVerdict::kRetry) {
        outcome.complaint = c.stored.complaint;
        contact = c.stored.contact;
        outcome.retried = true;
        return absl::OkStatus();
      }
    }
    v1::ComplaintStatus from = c.stored.complaint.status();
    if (auto s = change(c); !s.ok()) return s;
    outcome.complaint = c.stored.complaint;
    contact = c.stored.contact;
    if (c.skip) return absl::OkStatus();
    c.SealEntry(complaint_id, from, attempt);
    if (auto s = c.Write(repo, tx, complaint_id, attempt, published); !s.ok()) return s;
    outcome.complaint = c.stored.complaint;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (published && events_committed_) events_committed_();
  if (outcome.retried) {
    CountStepRetry(attempt->action);
    log::Info("complaint step retried", {{"complaint_id", complaint_id},
                                         {"action", attempt->action},
                                         {"request_id", attempt->request_id},
                                         {"actor", attempt->actor}});
  }
  outcome.complaint.mutable_complainant()->mutable_contact()->Swap(&contact);
  return outcome;
}

absl::StatusOr<v1::Complaint> ComplaintDesk::Step(Action action, const StepRequest& request,
                                                  const Viewer& viewer) {
  errors::Violations v;
  CheckStep(action, request, routing_, v);
  if (!v.empty()) return v.ToStatus();

  StepAttempt attempt{request.complaint_id, ActionName(action), viewer.name, request.request_id,
                      StepDigest(action, request)};
  auto result = Apply(request.complaint_id, &attempt, [&](Change& c) -> absl::Status {
    StepContext context{viewer.name, c.now, routing_, deadlines_};
    return ApplyStep(action, request, context, c.stored.complaint, c.entry, c.events);
  });
  if (!result.ok()) return result.status();
  const v1::Complaint& complaint = result->complaint;
  if (!result->retried) {
    log::Info("complaint step", {{"complaint_id", request.complaint_id},
                                 {"action", ActionName(action)},
                                 {"status", v1::ComplaintStatus_Name(complaint.status())},
                                 {"actor", viewer.name}});
  }
  return ForViewer(complaint, complaint.complainant().contact(), viewer);
}

absl::StatusOr<v1::Complaint> ComplaintDesk::OverrideDeadline(
    const v1::OverrideDeadlineRequest& request, const Viewer& viewer) {
  errors::Violations v;
  if (request.complaint_id().empty()) v.Add("complaint_id", "REQUIRED", "which complaint");
  CheckStepRequestId(request.request_id(), v);
  CheckDeadlineOverrideForm(request, v);
  if (!v.empty()) {
    CheckDeadlineAfter(request, clock_(), v);  // every broken rule at once
    return v.ToStatus();
  }
  StepAttempt attempt{request.complaint_id(), "OVERRIDE_DEADLINE", viewer.name,
                      request.request_id(), DeadlineOverrideDigest(request)};
  auto result = Apply(request.complaint_id(), &attempt, [&](Change& c) -> absl::Status {
    // Checked once the override is known not to be a retry: the retry of an override already
    // applied is answered even when the deadline it set has passed since.
    errors::Violations passed;
    CheckDeadlineAfter(request, c.now, passed);
    if (!passed.empty()) return passed.ToStatus();
    StepContext context{viewer.name, c.now, routing_, deadlines_};
    return ApplyDeadlineOverride(request, context, c.stored.complaint, c.entry);
  });
  if (!result.ok()) return result.status();
  const v1::Complaint& complaint = result->complaint;
  return ForViewer(complaint, complaint.complainant().contact(), viewer);
}

absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> ComplaintDesk::DueAt(
    absl::Time now) {
  std::vector<std::pair<std::string, DeadlineWatch>> due;
  absl::Status status = store::ReadInto(db_, due, [&](store::Transaction& tx) {
    return ComplaintRepository(tx).Due(absl::ToUnixMicros(now), kDueBatch);
  });
  if (!status.ok()) return status;
  return due;
}

absl::StatusOr<bool> ComplaintDesk::MarkOverdue(const std::string& complaint_id,
                                                v1::DeadlineKind kind, absl::Time now) {
  bool marked = false;
  const std::string actor = kSupervisionActor;
  auto result = Apply(complaint_id, nullptr, [&](Change& c) -> absl::Status {
    marked = false;
    c.now = now;
    StepContext context{actor, now, routing_, deadlines_};
    marked = ApplyOverdue(kind, context, c.stored.complaint, c.entry, c.events);
    c.skip = !marked;  // acknowledged, answered or marked meanwhile
    return absl::OkStatus();
  });
  if (!result.ok()) return result.status();
  if (marked) {
    CountEscalation(kind);
    log::Warn("complaint overdue", {{"complaint_id", complaint_id},
                                    {"kind", v1::DeadlineKind_Name(kind)},
                                    {"escalated_to", result->complaint.department()}});
  }
  return marked;
}

absl::StatusOr<v1::Complaint> ComplaintDesk::Get(const v1::GetComplaintRequest& request,
                                                 const Viewer& viewer) {
  std::optional<StoredComplaint> found;
  std::vector<v1::RecordEntry> record;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    ComplaintRepository repo(tx);
    auto f = repo.Find(request.complaint_id());
    if (!f.ok()) return f.status();
    found = std::move(*f);
    if (!found) return absl::OkStatus();
    auto r = repo.Record(request.complaint_id());
    if (!r.ok()) return r.status();
    record = std::move(*r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  bool visible = found && (viewer.park_staff ? request.party_uscc().empty() ||
                                                   IsParty(found->complaint, request.party_uscc())
                                             : IsParty(found->complaint, request.party_uscc()));
  if (!visible) {
    return absl::NotFoundError(absl::StrCat("complaint_id: no complaint ", request.complaint_id()));
  }
  v1::Complaint out = ForViewer(found->complaint, found->contact, viewer);
  for (auto& e : record) *out.add_history() = EntryForViewer(std::move(e), viewer);
  return out;
}

absl::StatusOr<v1::ListComplaintsResponse> ComplaintDesk::List(
    const v1::ListComplaintsRequest& request, const Viewer& viewer) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v, kTimeAndId);
  Cursor after = CursorOf(page);
  if (!viewer.park_staff && request.party_uscc().empty()) {
    v.Add("party_uscc", "REQUIRED", "an enterprise lists the complaints it is a party to");
  }
  if (!v.empty()) return v.ToStatus();
  ComplaintFilter filter;
  filter.party_uscc = request.party_uscc();
  filter.status = request.status();
  filter.category = request.category();
  std::vector<StoredComplaint> rows;
  absl::Status status = store::ReadInto(db_, rows, [&](store::Transaction& tx) {
    return ComplaintRepository(tx).Page(filter, after.micros, after.id, page.limit());
  });
  if (!status.ok()) return status;
  v1::ListComplaintsResponse response;
  response.set_next_page_token(paging::NextPageToken(rows, page.size, ComplaintKey, kTimeAndId));
  for (const StoredComplaint& row : rows) {
    *response.add_complaints() = ForViewer(row.complaint, row.contact, viewer);
  }
  return response;
}

absl::StatusOr<v1::VerifyRecordResponse> ComplaintDesk::Verify(
    const v1::VerifyRecordRequest& request) {
  v1::VerifyRecordResponse response;
  auto check = [&](ComplaintRepository& repo, const StoredComplaint& s) -> absl::Status {
    auto record = repo.Record(s.complaint.complaint_id());
    if (!record.ok()) return record.status();
    response.set_complaints_checked(response.complaints_checked() + 1);
    response.set_entries_checked(response.entries_checked() + static_cast<int64_t>(record->size()));
    auto broken = VerifyChain(s.complaint.complaint_id(), *record, s.head);
    // Only a record that holds says what the complaint must be.
    if (!broken) broken = CheckStoredComplaint(s.complaint, *record);
    if (broken) *response.add_breaks() = std::move(*broken);
    return absl::OkStatus();
  };
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    response.Clear();
    ComplaintRepository repo(tx);
    if (!request.complaint_id().empty()) {
      auto found = repo.Find(request.complaint_id());
      if (!found.ok()) return found.status();
      if (!*found) {
        return absl::NotFoundError(
            absl::StrCat("complaint_id: no complaint ", request.complaint_id()));
      }
      return check(repo, **found);
    }
    Cursor after;
    for (;;) {
      auto page = repo.Page({}, after.micros, after.id, kVerifyBatch);
      if (!page.ok()) return page.status();
      for (const StoredComplaint& s : *page) {
        if (auto st = check(repo, s); !st.ok()) return st;
      }
      if (static_cast<int>(page->size()) < kVerifyBatch) return absl::OkStatus();
      const v1::Complaint& last = page->back().complaint;
      after = {TimeUtil::TimestampToMicroseconds(last.filed_time()), last.complaint_id()};
    }
  });
  if (!status.ok()) return status;
  response.set_intact(response.breaks_size() == 0);
  if (request.complaint_id().empty()) SetRecordBreaks(response.breaks_size());
  for (const auto& b : response.breaks()) {
    log::Error("complaint record broken", {{"complaint_id", b.complaint_id()},
                                           {"sequence", absl::StrCat(b.sequence())},
                                           {"reason", b.reason()}});
  }
  return response;
}

absl::StatusOr<v1::ExportComplaintsResponse> ComplaintDesk::Export(
    const v1::ExportComplaintsRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v, kTimeAndId);
  Cursor after = CursorOf(page);
  auto day = [&](const common::v1::Date& d, const char* field) -> std::optional<absl::CivilDay> {
    if (!calendar::IsValidDate(d.year(), d.month(), d.day())) {
      v.Add(field, "DATE", "is not a calendar date");
      return std::nullopt;
    }
    return absl::CivilDay(d.year(), d.month(), d.day());
  };
  auto from = day(request.from(), "from");
  auto to = day(request.to(), "to");
  if (from && to && *to < *from) v.Add("to", "PERIOD", "must not be before from");
  if (!v.empty()) return v.ToStatus();
  ComplaintFilter filter;
  filter.filed_from_micros = absl::ToUnixMicros(absl::FromCivil(*from, deadlines_.park()));
  filter.filed_to_micros = absl::ToUnixMicros(absl::FromCivil(*to + 1, deadlines_.park()));
  v1::ExportComplaintsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    response.Clear();
    ComplaintRepository repo(tx);
    auto rows = repo.Page(filter, after.micros, after.id, page.limit());
    if (!rows.ok()) return rows.status();
    response.set_next_page_token(paging::NextPageToken(*rows, page.size, ComplaintKey, kTimeAndId));
    for (const StoredComplaint& row : *rows) {
      // The archive never holds the complainant's contact details.
      v1::Complaint* out = response.add_complaints();
      *out = row.complaint;
      auto record = repo.Record(out->complaint_id());
      if (!record.ok()) return record.status();
      for (auto& e : *record) *out->add_history() = std::move(e);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Feedback> ComplaintDesk::RecordFeedback(const v1::RecordFeedbackRequest& request,
                                                           const Viewer& viewer) {
  errors::Violations v;
  absl::Time now = clock_();
  CheckFeedback(request, now, deadlines_.park(), v);
  if (!v.empty()) return v.ToStatus();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Feedback fresh = request.feedback();
  fresh.set_feedback_id(NewId("FBK-", now));
  fresh.set_request_id(request.request_id());
  *fresh.mutable_recorded_time() = Ts(now);
  v1::Feedback result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    ComplaintRepository repo(tx);
    auto existing = repo.FindFeedbackByRequest(request.request_id());
    if (!existing.ok()) return existing.status();
    if (*existing) {
      if ((*existing)->second != digest) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id: ", request.request_id(), " recorded other feedback"));
      }
      result = (*existing)->first;
      return absl::OkStatus();
    }
    result = fresh;
    if (auto s = repo.InsertFeedback(fresh, digest); !s.ok()) return s;
    created = true;
    // The figures only (the quality service's assessment input, 7.2.2): never the summary or
    // the report reference, which may name people.
    v1::FeedbackRecorded event;
    event.set_feedback_id(fresh.feedback_id());
    event.set_source(fresh.source());
    const auto& d = fresh.survey_date();
    event.set_survey_day(calendar::FormatDate(d.year(), d.month(), d.day()));
    event.set_satisfaction_centi(fresh.satisfaction_centi());
    event.set_respondents(fresh.respondents());
    *event.mutable_recorded_time() = fresh.recorded_time();
    return events::AppendToOutbox(
        tx, events::NewEvent(kTopic, kSource, fresh.feedback_id(), event, now));
  });
  if (!status.ok()) return status;
  if (created && events_committed_) events_committed_();
  log::Info("feedback recorded", {{"feedback_id", result.feedback_id()}, {"actor", viewer.name}});
  return result;
}

absl::StatusOr<v1::ListFeedbackResponse> ComplaintDesk::ListFeedback(
    const v1::ListFeedbackRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v, kTimeAndId);
  Cursor after = CursorOf(page);
  if (!v.empty()) return v.ToStatus();
  v1::ListFeedbackResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    response.Clear();
    auto rows = ComplaintRepository(tx).FeedbackPage(after.micros, after.id, page.limit());
    if (!rows.ok()) return rows.status();
    response.set_next_page_token(paging::NextPageToken(
        *rows, page.size,
        [](const v1::Feedback& f) { return KeyOf(f.recorded_time(), f.feedback_id()); },
        kTimeAndId));
    for (v1::Feedback& f : *rows) *response.add_feedback() = std::move(f);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace parkline::complaints
