#include "complaints/step_effects.h"

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "complaints/complaint_time.h"
#include "complaints/record_chain.h"
#include "complaints/recorded_state.h"
#include "complaints/vocabulary.h"

namespace parkline::complaints {
namespace {

using Details = google::protobuf::Map<std::string, std::string>;

void Assign(Action action, const StepRequest& request, const StepContext& context,
            v1::Complaint& complaint, Details& details, Events& events) {
  bool escalate = action == Action::kEscalate;
  complaint.set_department(escalate ? context.routing.supervising()
                           : request.department.empty()
                               ? context.routing.DepartmentFor(complaint.category())
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
  *assigned->mutable_assigned_time() = Ts(context.now);
  events.push_back(std::move(assigned));
}

void Respond(const StepRequest& request, absl::Time now, v1::Complaint& complaint, Details& details,
             Events& events) {
  complaint.set_response(request.response);
  details["response_sha256"] = auth::Sha256Hex(request.response);
  auto resolved = std::make_unique<v1::ComplaintResolved>();
  resolved->set_complaint_id(complaint.complaint_id());
  resolved->set_category(complaint.category());
  resolved->set_channel(complaint.channel());
  *resolved->mutable_filed_time() = complaint.filed_time();
  *resolved->mutable_resolved_time() = Ts(now);
  *resolved->mutable_resolve_by() = complaint.resolve_by();
  resolved->set_on_time(now <= TimeOf(complaint.resolve_by()));
  resolved->set_handling_seconds(absl::ToInt64Seconds(now - TimeOf(complaint.filed_time())));
  events.push_back(std::move(resolved));
}

void Close(const StepRequest& request, absl::Time now, v1::Complaint& complaint, Details& details,
           Events& events) {
  complaint.set_satisfaction(request.satisfaction);
  details["satisfaction"] = absl::StrCat(request.satisfaction);
  auto closed = std::make_unique<v1::ComplaintClosed>();
  closed->set_complaint_id(complaint.complaint_id());
  closed->set_category(complaint.category());
  closed->set_channel(complaint.channel());
  *closed->mutable_closed_time() = Ts(now);
  closed->set_satisfaction(request.satisfaction);
  events.push_back(std::move(closed));
}

void Reopen(const StepContext& context, v1::Complaint& complaint, Details& details) {
  // A reopened complaint gets the category's resolution time again, from today.
  const ComplaintDeadline& deadlines = context.deadlines;
  absl::Time resolve_by =
      deadlines.After(context.now, deadlines.TargetsFor(complaint.category()).resolve_days);
  *complaint.mutable_resolve_by() = Ts(resolve_by);
  complaint.set_resolution_overdue(false);
  details["resolve_by"] = Rfc3339(resolve_by);
}

}  // namespace

Filing OpenComplaint(const v1::FileComplaintRequest& request, const std::string& complaint_id,
                     const std::string& actor, absl::Time now, const Deadlines& due) {
  Filing filing;
  v1::Complaint& c = filing.complaint;
  c.set_complaint_id(complaint_id);
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

  v1::RecordEntry& entry = filing.entry;
  entry.set_action("FILE");
  entry.set_from_status(v1::COMPLAINT_STATUS_UNSPECIFIED);
  entry.set_to_status(v1::COMPLAINT_STATUS_RECEIVED);
  entry.set_actor(actor);
  *entry.mutable_time() = Ts(now);
  auto& d = *entry.mutable_details();
  d["category"] = CategoryName(c.category());
  d["channel"] = v1::Channel_Name(c.channel());
  d["target"] = absl::StrCat(v1::PartyKind_Name(c.target().kind()), " ", c.target().uscc());
  d["acknowledge_by"] = Rfc3339(due.acknowledge_by);
  d["resolve_by"] = Rfc3339(due.resolve_by);
  d[kFiledDigestKey] = FiledDigest(c);
  Seal(c.complaint_id(), nullptr, entry);

  v1::ComplaintFiled& filed = filing.filed;
  filed.set_complaint_id(c.complaint_id());
  filed.set_category(c.category());
  filed.set_channel(c.channel());
  filed.set_complainant_kind(c.complainant().kind());
  filed.set_target_kind(c.target().kind());
  filed.set_target_uscc(c.target().uscc());
  *filed.mutable_filed_time() = c.filed_time();
  *filed.mutable_acknowledge_by() = c.acknowledge_by();
  *filed.mutable_resolve_by() = c.resolve_by();
  return filing;
}

absl::Status ApplyStep(Action action, const StepRequest& request, const StepContext& context,
                       v1::Complaint& complaint, v1::RecordEntry& entry, Events& events) {
  auto next = NextStatus(complaint.status(), action);
  if (!next.ok()) return next.status();
  complaint.set_status(*next);
  entry.set_action(ActionName(action));
  entry.set_actor(context.actor);
  entry.set_note(request.note);
  auto& details = *entry.mutable_details();
  switch (action) {
    case Action::kAcknowledge:
      if (complaint.handler().empty()) complaint.set_handler(context.actor);
      details["handler"] = complaint.handler();
      break;
    case Action::kAssign:
    case Action::kEscalate:
      Assign(action, request, context, complaint, details, events);
      break;
    case Action::kStartInvestigation:
      break;
    case Action::kRespond:
      Respond(request, context.now, complaint, details, events);
      break;
    case Action::kClose:
      Close(request, context.now, complaint, details, events);
      break;
    case Action::kReopen:
      Reopen(context, complaint, details);
      break;
  }
  return absl::OkStatus();
}

absl::Status ApplyDeadlineOverride(const v1::OverrideDeadlineRequest& request,
                                   const StepContext& context, v1::Complaint& complaint,
                                   v1::RecordEntry& entry) {
  bool ack = request.kind() == v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
  if (ack ? complaint.status() != v1::COMPLAINT_STATUS_RECEIVED
          : !AwaitsAnswer(complaint.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "kind: the ", v1::DeadlineKind_Name(request.kind()), " deadline of a complaint in ",
        v1::ComplaintStatus_Name(complaint.status()), " no longer runs"));
  }
  absl::Time deadline = TimeOf(request.deadline());
  if (ack) {
    *complaint.mutable_acknowledge_by() = Ts(deadline);
    complaint.set_acknowledgement_overdue(false);
  } else {
    *complaint.mutable_resolve_by() = Ts(deadline);
    complaint.set_resolution_overdue(false);
  }
  entry.set_action("OVERRIDE_DEADLINE");
  entry.set_actor(context.actor);
  entry.set_note(request.note());
  (*entry.mutable_details())["kind"] = v1::DeadlineKind_Name(request.kind());
  (*entry.mutable_details())["deadline"] = Rfc3339(deadline);
  return absl::OkStatus();
}

bool ApplyOverdue(v1::DeadlineKind kind, const StepContext& context, v1::Complaint& complaint,
                  v1::RecordEntry& entry, Events& events) {
  DeadlineWatch watch{complaint.status(), TimeOf(complaint.acknowledge_by()),
                      TimeOf(complaint.resolve_by()), complaint.acknowledgement_overdue(),
                      complaint.resolution_overdue()};
  if (PassedDeadline(watch, context.now) != kind) return false;
  bool ack = kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT;
  ack ? complaint.set_acknowledgement_overdue(true) : complaint.set_resolution_overdue(true);
  if (NextStatus(complaint.status(), Action::kEscalate).ok()) {
    complaint.set_status(v1::COMPLAINT_STATUS_ESCALATED);
    complaint.set_department(context.routing.supervising());
  }
  absl::Time deadline = ack ? watch.acknowledge_by : watch.resolve_by;
  entry.set_action("OVERDUE");
  entry.set_actor(context.actor);
  entry.set_note(absl::StrCat("the ", ack ? "acknowledgement" : "resolution",
                              " deadline passed; escalated to ", complaint.department()));
  (*entry.mutable_details())["kind"] = v1::DeadlineKind_Name(kind);
  (*entry.mutable_details())["deadline"] = Rfc3339(deadline);
  (*entry.mutable_details())["escalated_to"] = complaint.department();
  auto overdue = std::make_unique<v1::ComplaintOverdue>();
  overdue->set_complaint_id(complaint.complaint_id());
  overdue->set_category(complaint.category());
  overdue->set_deadline_kind(kind);
  *overdue->mutable_deadline() = Ts(deadline);
  *overdue->mutable_detected_time() = Ts(context.now);
  overdue->set_escalated_to(complaint.department());
  events.push_back(std::move(overdue));
  return true;
}

}  // namespace parkline::complaints
