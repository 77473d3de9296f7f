#include "complaints/complaint_workflow.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace parkline::complaints {
namespace {

using S = v1::ComplaintStatus;

const std::map<std::pair<S, Action>, S>& Transitions() {
  static const auto* table = new std::map<std::pair<S, Action>, S>{
      {{v1::COMPLAINT_STATUS_RECEIVED, Action::kAcknowledge}, v1::COMPLAINT_STATUS_ACKNOWLEDGED},
      {{v1::COMPLAINT_STATUS_RECEIVED, Action::kEscalate}, v1::COMPLAINT_STATUS_ESCALATED},
      {{v1::COMPLAINT_STATUS_ACKNOWLEDGED, Action::kAssign}, v1::COMPLAINT_STATUS_ASSIGNED},
      {{v1::COMPLAINT_STATUS_ACKNOWLEDGED, Action::kEscalate}, v1::COMPLAINT_STATUS_ESCALATED},
      {{v1::COMPLAINT_STATUS_ASSIGNED, Action::kAssign}, v1::COMPLAINT_STATUS_ASSIGNED},
      {{v1::COMPLAINT_STATUS_ASSIGNED, Action::kStartInvestigation},
       v1::COMPLAINT_STATUS_INVESTIGATING},
      {{v1::COMPLAINT_STATUS_ASSIGNED, Action::kEscalate}, v1::COMPLAINT_STATUS_ESCALATED},
      {{v1::COMPLAINT_STATUS_INVESTIGATING, Action::kAssign}, v1::COMPLAINT_STATUS_ASSIGNED},
      {{v1::COMPLAINT_STATUS_INVESTIGATING, Action::kRespond}, v1::COMPLAINT_STATUS_RESPONDED},
      {{v1::COMPLAINT_STATUS_INVESTIGATING, Action::kEscalate}, v1::COMPLAINT_STATUS_ESCALATED},
      {{v1::COMPLAINT_STATUS_RESPONDED, Action::kClose}, v1::COMPLAINT_STATUS_CLOSED},
      {{v1::COMPLAINT_STATUS_RESPONDED, Action::kReopen}, v1::COMPLAINT_STATUS_REOPENED},
      {{v1::COMPLAINT_STATUS_REOPENED, Action::kAssign}, v1::COMPLAINT_STATUS_ASSIGNED},
      {{v1::COMPLAINT_STATUS_REOPENED, Action::kStartInvestigation},
       v1::COMPLAINT_STATUS_INVESTIGATING},
      {{v1::COMPLAINT_STATUS_REOPENED, Action::kEscalate}, v1::COMPLAINT_STATUS_ESCALATED},
      {{v1::COMPLAINT_STATUS_ESCALATED, Action::kAssign}, v1::COMPLAINT_STATUS_ASSIGNED},
      {{v1::COMPLAINT_STATUS_ESCALATED, Action::kStartInvestigation},
       v1::COMPLAINT_STATUS_INVESTIGATING},
      {{v1::COMPLAINT_STATUS_ESCALATED, Action::kRespond}, v1::COMPLAINT_STATUS_RESPONDED},
  };
  return *table;
}

}  // namespace

const std::vector<Action>& AllActions() {
  static const auto* all =
      new std::vector<Action>{Action::kAcknowledge, Action::kAssign, Action::kStartInvestigation,
                              Action::kRespond,     Action::kClose,  Action::kReopen,
                              Action::kEscalate};
  return *all;
}

std::string ActionName(Action action) {
  switch (action) {
    case Action::kAcknowledge:
      return "ACKNOWLEDGE";
    case Action::kAssign:
      return "ASSIGN";
    case Action::kStartInvestigation:
      return "START_INVESTIGATION";
    case Action::kRespond:
      return "RESPOND";
    case Action::kClose:
      return "CLOSE";
    case Action::kReopen:
      return "REOPEN";
    case Action::kEscalate:
      return "ESCALATE";
  }
  return "UNKNOWN";
}

absl::StatusOr<v1::ComplaintStatus> NextStatus(v1::ComplaintStatus from, Action action) {
  auto it = Transitions().find({from, action});
  if (it == Transitions().end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "status: a complaint in ", v1::ComplaintStatus_Name(from), " cannot ", ActionName(action)));
  }
  return it->second;
}

bool AwaitsAnswer(v1::ComplaintStatus status) {
  return status != v1::COMPLAINT_STATUS_RESPONDED && status != v1::COMPLAINT_STATUS_CLOSED &&
         status != v1::COMPLAINT_STATUS_UNSPECIFIED;
}

}  // namespace parkline::complaints
