#include "complaints/complaint_desk.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "auth/credentials.h"
#include "calendar/date.h"
#include "complaints/complaint_repository.h"
#include "complaints/complaint_rules.h"
#include "complaints/record_chain.h"
#include "complaints/vocabulary.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "paging/page.h"
#include "parkline/complaints/v1/events.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "residents/residents.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace parkline::complaints {

struct ComplaintDesk::Change {
  StoredComplaint stored;
  absl::Time now;
  v1::RecordEntry entry;  // the step fills action, note, details; the desk the rest
  std::vector<std::unique_ptr<google::protobuf::Message>> events;
  bool skip = false;  // nothing to record after all
};

namespace {

using google::protobuf::util::TimeUtil;

// A page token is the (time in micros, id) of the last item of the page before.
constexpr paging::KeyFormat kTimeAndId{2, '|', true};
constexpr int kVerifyBatch = 200;
constexpr int kDueBatch = 500;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}
absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}
std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

prometheus::Family<prometheus::Counter>& Filed() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_filings_total")
                       .Help("Complaints filed, by category and channel.")
                       .Register(runtime::Metrics());
  return f;
}
prometheus::Family<prometheus::Counter>& Overdue() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_escalations_total")
                       .Help("Committed deadlines that passed (supervision, 督办), by kind.")
                       .Register(runtime::Metrics());
  return f;
}
prometheus::Gauge& RecordBreaks() {
  static auto& g = prometheus::BuildGauge()
                       .Name("parkline_complaints_record_breaks")
                       .Help("Breaks the last verification of the whole record found (0: intact).")
                       .Register(runtime::Metrics())
                       .Add({});
  return g;
}

prometheus::Family<prometheus::Counter>& Retried() {
  static auto& f = prometheus::BuildCounter()
                       .Name("parkline_complaint_step_retries_total")
                       .Help(
                           "Workflow steps recognised as retries of a step already applied "
                           "(answered from the record, nothing changed), by action.")
                       .Register(runtime::Metrics());
  return f;
}

// Whether `attempt` retries a step already applied: the step holding its request_id, or without
// one the complaint's last entry (at `head`), as step_retry.h says.
absl::StatusOr<StepVerdict> JudgeAttempt(ComplaintRepository& repo, const StepAttempt& attempt,
                                         const ChainHead& head) {
  std::optional<AppliedStep> keyed, last;
  auto found = attempt.request_id.empty() ? repo.StepAt(attempt.complaint_id, head.sequence)
                                          : repo.StepByRequest(attempt.request_id);
  if (!found.ok()) return found.status();
  (attempt.request_id.empty() ? last : keyed) = std::move(*found);
  return JudgeStep(attempt, keyed, last);
}

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

// The complaint as `viewer` may see it: contact details for the handler only; the complainant's
// identity for the park and for the complainant itself, not for the enterprise complained about.
v1::Complaint ForViewer(v1::Complaint c, v1::ContactDetails contact, const Viewer& viewer) {
  c.mutable_complainant()->clear_contact();
  if (MaySeeContact(viewer, c.handler())) *c.mutable_complainant()->mutable_contact() = contact;
  if (!viewer.park_staff && viewer.uscc != c.complainant().uscc()) {
    c.mutable_complainant()->clear_uscc();
  }
  return c;
}

// Whether a non-staff viewer (an enterprise naming itself as `party`) is a party to `c`.
bool IsParty(const v1::Complaint& c, const std::string& party) {
  return !party.empty() && (c.complainant().uscc() == party || c.forwarded_to_uscc() == party);
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
  Deadlines due = deadlines_.For(request.category(), now);

  StoredComplaint fresh;
  v1::Complaint& c = fresh.complaint;
  c.set_complaint_id(NewId("CMP-", now));
  c.set_request_id(request.request_id());
  c.set_status(v1::COMPLAINT_STATUS_RECEIVED);
  c.set_category(request.category());
  c.set_channel(request.channel());
  c.mutable_complainant()->set_kind(request.complainant().kind());
  c.mutable_complainant()->set_uscc(request.complainant().uscc());
  *c.mutable_target() = request.target();
  c.set_description(request.description());
  *c.mutable_attachment_refs() = request.attachment_refs();
  *c.mutable_filed_time() = Ts(now);
  *c.mutable_acknowledge_by() = Ts(due.acknowledge_by);
  *c.mutable_resolve_by() = Ts(due.resolve_by);
  *c.mutable_update_time() = Ts(now);
  fresh.contact = request.complainant().contact();
  fresh.request_digest = digest;

  v1::RecordEntry entry;
  entry.set_action("FILE");
  entry.set_from_status(v1::COMPLAINT_STATUS_UNSPECIFIED);
  entry.set_to_status(v1::COMPLAINT_STATUS_RECEIVED);
  entry.set_actor(viewer.name);
  *entry.mutable_time() = Ts(now);
  auto& d = *entry.mutable_details();
  d["category"] = CategoryName(c.category());
  d["channel"] = v1::Channel_Name(c.channel());
  d["target"] = absl::StrCat(v1::PartyKind_Name(c.target().kind()), " ", c.target().uscc());
  d["acknowledge_by"] = Rfc3339(due.acknowledge_by);
  d["resolve_by"] = Rfc3339(due.resolve_by);
  Seal(c.complaint_id(), nullptr, entry);
  fresh.head = ChainHead{entry.sequence(), entry.hash()};

  v1::ComplaintFiled filed;
  filed.set_complaint_id(c.complaint_id());
  filed.set_category(c.category());
  filed.set_channel(c.channel());
  filed.set_complainant_kind(c.complainant().kind());
  filed.set_target_kind(c.target().kind());
  filed.set_target_uscc(c.target().uscc());
  *filed.mutable_filed_time() = c.filed_time();
  *filed.mutable_acknowledge_by() = c.acknowledge_by();
  *filed.mutable_resolve_by() = c.resolve_by();

  StoredComplaint result;
  bool created = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    created = false;
    ComplaintRepository repo(tx);
    auto existing = repo.FindByRequest(request.request_id());
    if (!existing.ok()) return existing.status();
    if (*existing) {
      auto stored = repo.Find(**existing);
      if (!stored.ok()) return stored.status();
      if (!*stored) return absl::InternalError("complaint vanished during its read");
      if ((*stored)->request_digest != digest) {
        return absl::AlreadyExistsError(absl::StrCat("request_id: ", request.request_id(),
                                                     " filed complaint ", **existing,
                                                     " with other content"));
      }
      result = std::move(**stored);
      return absl::OkStatus();
    }
    errors::Violations strangers;
    auto must_be_resident = [&](const char* field, v1::PartyKind kind,
                                const std::string& uscc) -> absl::Status {
      if (kind != v1::PARTY_KIND_RESIDENT_ENTERPRISE) return absl::OkStatus();
      auto resident = residents::IsResident(tx, uscc);
      if (!resident.ok()) return resident.status();
      if (!*resident) {
        strangers.Add(field, "NOT_RESIDENT",
                      absl::StrCat("enterprise ", uscc, " is not resident in the park"));
      }
      return absl::OkStatus();
    };
    if (auto s = must_be_resident("complainant.uscc", request.complainant().kind(),
                                  request.complainant().uscc());
        !s.ok()) {
      return s;
    }
    if (auto s = must_be_resident("target.uscc", request.target().kind(), request.target().uscc());
        !s.ok()) {
      return s;
    }
    if (!strangers.empty()) return strangers.ToStatus();
    if (auto s = repo.Insert(fresh); !s.ok()) return s;
    if (auto s = repo.Append(c.complaint_id(), entry); !s.ok()) return s;
    created = true;
    result = fresh;
    return events::AppendToOutbox(tx,
                                  events::NewEvent(kTopic, kSource, c.complaint_id(), filed, now));
  });
  if (!status.ok()) return status;
  if (created) {
    if (events_committed_) events_committed_();
    Filed()
        .Add({{"category", CategoryName(c.category())}, {"channel", v1::Channel_Name(c.channel())}})
        .Increment();
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
    c.entry.set_from_status(from);
    c.entry.set_to_status(c.stored.complaint.status());
    *c.entry.mutable_time() = Ts(c.now);
    if (attempt && !attempt->request_id.empty()) {
      (*c.entry.mutable_details())["request_id"] = attempt->request_id;
    }
    v1::RecordEntry head;
    head.set_sequence(c.stored.head.sequence);
    head.set_hash(c.stored.head.hash);
    Seal(complaint_id, &head, c.entry);
    *c.stored.complaint.mutable_update_time() = Ts(c.now);
    // The complaint's row first, the entry after: when another replica changed the same complaint
    // since this transaction read it, PostgreSQL refuses the UPDATE as a serialization failure
    // (UNAVAILABLE: the transaction runs again and sees that change, a retried step included),
    // where inserting the entry first would fail on its primary key as ALREADY_EXISTS.
    if (auto s = repo.Update(c.stored.complaint, {c.entry.sequence(), c.entry.hash()}); !s.ok()) {
      return s;
    }
    if (auto s = attempt ? repo.Append(complaint_id, c.entry, attempt->request_id, attempt->digest)
                         : repo.Append(complaint_id, c.entry);
        !s.ok()) {
      return s;
    }
    for (const auto& event : c.events) {
      if (auto s = events::AppendToOutbox(
              tx, events::NewEvent(kTopic, kSource, complaint_id, *event, c.now));
          !s.ok()) {
        return s;
      }
      published = true;
    }
    outcome.complaint = c.stored.complaint;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (published && events_committed_) events_committed_();
  if (outcome.retried) {
    Retried().Add({{"action", attempt->action}}).Increment();
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
  if (request.complaint_id.empty()) v.Add("complaint_id", "REQUIRED", "which complaint");
  CheckStepRequestId(request.request_id, v);
  CheckNote(request.note, v);
  if (action == Action::kAssign) {
    if (!request.department.empty() && !routing_.IsDepartment(request.department)) {
      v.Add("department", "UNKNOWN_DEPARTMENT",
            absl::StrCat("'", request.department, "' is not a department of the park"));
    }
    if (request.handler.size() > 128) v.Add("handler", "TOO_LONG", "at most 128 bytes");
  }
  if (action == Action::kRespond) {
    if (request.response.empty()) v.Add("response", "REQUIRED", "the answer to the complainant");
    if (request.response.size() > kMaxDescription)
      v.Add("response", "TOO_LONG", "at most 8000 bytes");
  }
  if (action == Action::kClose) CheckSatisfaction(request.satisfaction, v);
  if (!v.empty()) return v.ToStatus();

  StepAttempt attempt{request.complaint_id, ActionName(action), viewer.name, request.request_id,
                      StepDigest(action, request)};
  auto result = Apply(request.complaint_id, &attempt, [&](Change& c) -> absl::Status {
    v1::Complaint& complaint = c.stored.complaint;
    auto next = NextStatus(complaint.status(), action);
    if (!next.ok()) return next.status();
    complaint.set_status(*next);
    c.entry.set_action(ActionName(action));
    c.entry.set_actor(viewer.name);
    c.entry.set_note(request.note);
    auto& details = *c.entry.mutable_details();
    switch (action) {
      case Action::kAcknowledge:
        if (complaint.handler().empty()) complaint.set_handler(viewer.name);
        details["handler"] = complaint.handler();
        break;
      case Action::kAssign:
      case Action::kEscalate: {
        bool escalate = action == Action::kEscalate;
        complaint.set_department(escalate ? routing_.supervising()
                                 : request.department.empty()
                                     ? routing_.DepartmentFor(complaint.category())
                                     : request.department);
        if (!request.handler.empty()) complaint.set_handler(request.handler);
        // A complaint about a resident enterprise goes to it; the park's department follows it up
        // (7.3.3).
        if (complaint.target().kind() == v1::PARTY_KIND_RESIDENT_ENTERPRISE) {
          complaint.set_forwarded_to_uscc(complaint.target().uscc());
        }
        details["department"] = complaint.department();
        details["handler"] = complaint.handler();
        if (!complaint.forwarded_to_uscc().empty()) {
          details["forwarded_to_uscc"] = complaint.forwarded_to_uscc();
        }
        auto assigned = std::make_unique<v1::ComplaintAssigned>();
        assigned->set_complaint_id(complaint.complaint_id());
        assigned->set_category(complaint.category());
        assigned->set_department(complaint.department());
        assigned->set_forwarded_to_uscc(complaint.forwarded_to_uscc());
        *assigned->mutable_assigned_time() = Ts(c.now);
        c.events.push_back(std::move(assigned));
        break;
      }
      case Action::kStartInvestigation:
        break;
      case Action::kRespond: {
        complaint.set_response(request.response);
        details["response_sha256"] = auth::Sha256Hex(request.response);
        auto resolved = std::make_unique<v1::ComplaintResolved>();
        resolved->set_complaint_id(complaint.complaint_id());
        resolved->set_category(complaint.category());
        resolved->set_channel(complaint.channel());
        *resolved->mutable_filed_time() = complaint.filed_time();
        *resolved->mutable_resolved_time() = Ts(c.now);
        *resolved->mutable_resolve_by() = complaint.resolve_by();
        resolved->set_on_time(c.now <= TimeOf(complaint.resolve_by()));
        resolved->set_handling_seconds(
            absl::ToInt64Seconds(c.now - TimeOf(complaint.filed_time())));
        c.events.push_back(std::move(resolved));
        break;
      }
      case Action::kClose: {
        complaint.set_satisfaction(request.satisfaction);
        details["satisfaction"] = absl::StrCat(request.satisfaction);
        auto closed = std::make_unique<v1::ComplaintClosed>();
        closed->set_complaint_id(complaint.complaint_id());
        closed->set_category(complaint.category());
        closed->set_channel(complaint.channel());
        *closed->mutable_closed_time() = Ts(c.now);
        closed->set_satisfaction(request.satisfaction);
        c.events.push_back(std::move(closed));
        break;
      }
      case Action::kReopen: {
        // A reopened complaint gets the category's resolution time again, from today.
        absl::Time resolve_by =
            deadlines_.After(c.now, deadlines_.TargetsFor(complaint.category()).resolve_days);
        *complaint.mutable_resolve_by() = Ts(resolve_by);
        complaint.set_resolution_overdue(false);
        details["resolve_by"] = Rfc3339(resolve_by);
        break;
      }
    }
    return absl::OkStatus();
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
  absl::Time deadline = TimeOf(request.deadline());
  StepAttempt attempt{request.complaint_id(), "OVERRIDE_DEADLINE", viewer.name,
                      request.request_id(), DeadlineOverrideDigest(request)};
  auto result = Apply(request.complaint_id(), &attempt, [&](Change& c) -> absl::Status {
    // Checked once the override is known not to be a retry: the retry of an override already
    // applied is answered even when the deadline it set has passed since.
    errors::Violations passed;
    CheckDeadlineAfter(request, c.now, passed);
    if (!passed.empty()) return passed.ToStatus();
    v1::Complaint& complaint = c.stored.complaint;
    bool ack = request.kind() == v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
    if (ack ? complaint.status() != v1::COMPLAINT_STATUS_RECEIVED
            : !AwaitsAnswer(complaint.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "kind: the ", v1::DeadlineKind_Name(request.kind()), " deadline of a complaint in ",
          v1::ComplaintStatus_Name(complaint.status()), " no longer runs"));
    }
    if (ack) {
      *complaint.mutable_acknowledge_by() = Ts(deadline);
      complaint.set_acknowledgement_overdue(false);
    } else {
      *complaint.mutable_resolve_by() = Ts(deadline);
      complaint.set_resolution_overdue(false);
    }
    c.entry.set_action("OVERRIDE_DEADLINE");
    c.entry.set_actor(viewer.name);
    c.entry.set_note(request.note());
    (*c.entry.mutable_details())["kind"] = v1::DeadlineKind_Name(request.kind());
    (*c.entry.mutable_details())["deadline"] = Rfc3339(deadline);
    return absl::OkStatus();
  });
  if (!result.ok()) return result.status();
  const v1::Complaint& complaint = result->complaint;
  return ForViewer(complaint, complaint.complainant().contact(), viewer);
}

absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> ComplaintDesk::DueAt(
    absl::Time now) {
  std::vector<std::pair<std::string, DeadlineWatch>> due;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = ComplaintRepository(tx).Due(absl::ToUnixMicros(now), kDueBatch);
    if (!rows.ok()) return rows.status();
    due = std::move(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return due;
}

absl::StatusOr<bool> ComplaintDesk::MarkOverdue(const std::string& complaint_id,
                                                v1::DeadlineKind kind, absl::Time now) {
  bool marked = false;
  auto result = Apply(complaint_id, nullptr, [&](Change& c) -> absl::Status {
    marked = false;
    c.now = now;
    v1::Complaint& complaint = c.stored.complaint;
    DeadlineWatch watch{complaint.status(), TimeOf(complaint.acknowledge_by()),
                        TimeOf(complaint.resolve_by()), complaint.acknowledgement_overdue(),
                        complaint.resolution_overdue()};
    if (PassedDeadline(watch, now) != kind) {
      c.skip = true;  // acknowledged, answered or marked meanwhile
      return absl::OkStatus();
    }
    bool ack = kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
    ack ? complaint.set_acknowledgement_overdue(true) : complaint.set_resolution_overdue(true);
    if (NextStatus(complaint.status(), Action::kEscalate).ok()) {
      complaint.set_status(v1::COMPLAINT_STATUS_ESCALATED);
      complaint.set_department(routing_.supervising());
    }
    absl::Time deadline = ack ? watch.acknowledge_by : watch.resolve_by;
    c.entry.set_action("OVERDUE");
    c.entry.set_actor(kSupervisionActor);
    c.entry.set_note(absl::StrCat("the ", ack ? "acknowledgement" : "resolution",
                                  " deadline passed; escalated to ", complaint.department()));
    (*c.entry.mutable_details())["kind"] = v1::DeadlineKind_Name(kind);
    (*c.entry.mutable_details())["deadline"] = Rfc3339(deadline);
    (*c.entry.mutable_details())["escalated_to"] = complaint.department();
    auto overdue = std::make_unique<v1::ComplaintOverdue>();
    overdue->set_complaint_id(complaint_id);
    overdue->set_category(complaint.category());
    overdue->set_deadline_kind(kind);
    *overdue->mutable_deadline() = Ts(deadline);
    *overdue->mutable_detected_time() = Ts(now);
    overdue->set_escalated_to(complaint.department());
    c.events.push_back(std::move(overdue));
    marked = true;
    return absl::OkStatus();
  });
  if (!result.ok()) return result.status();
  if (marked) {
    Overdue().Add({{"kind", v1::DeadlineKind_Name(kind)}}).Increment();
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
  for (auto& e : record) *out.add_history() = std::move(e);
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
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto found = ComplaintRepository(tx).Page(filter, after.micros, after.id, page.limit());
    if (!found.ok()) return found.status();
    rows = std::move(*found);
    return absl::OkStatus();
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
  if (request.complaint_id().empty()) RecordBreaks().Set(response.breaks_size());
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
  CheckFeedback(request, now, v);
  if (!v.empty()) return v.ToStatus();
  std::string digest = auth::Sha256Hex(request.SerializeAsString());
  v1::Feedback fresh = request.feedback();
  fresh.set_feedback_id(NewId("FBK-", now));
  fresh.set_request_id(request.request_id());
  *fresh.mutable_recorded_time() = Ts(now);
  v1::Feedback result;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
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
    return repo.InsertFeedback(fresh, digest);
  });
  if (!status.ok()) return status;
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
