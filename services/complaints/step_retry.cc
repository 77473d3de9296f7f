#include "complaints/step_retry.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "auth/sha256.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

using Content = std::vector<std::pair<absl::string_view, std::string>>;

// "parkline.complaints.step.v1\n", then the action and each field's name and value as
// "<byte length>:<bytes>\n", so that no value can run into the next field.
std::string Digest(absl::string_view action, const Content& content) {
  std::string out = "parkline.complaints.step.v1\n";
  auto field = [&out](absl::string_view value) {
    absl::StrAppend(&out, value.size(), ":", value, "\n");
  };
  field(action);
  for (const auto& [name, value] : content) {
    field(name);
    field(value);
  }
  return auth::Sha256Hex(out);
}

absl::Status Reused(const StepAttempt& attempt, const AppliedStep& keyed, absl::string_view how) {
  return absl::AlreadyExistsError(absl::StrCat(
      "request_id: '", attempt.request_id, "' already applied ", keyed.action, " to complaint ",
      keyed.complaint_id, " (record entry ", keyed.sequence, ") ", how,
      "; a request_id names one step and is reused only to retry that step unchanged"));
}

}  // namespace

absl::StatusOr<StepVerdict> JudgeStep(const StepAttempt& attempt,
                                      const std::optional<AppliedStep>& keyed,
                                      const std::optional<AppliedStep>& last) {
  if (!attempt.request_id.empty()) {
    if (!keyed) return StepVerdict::kApply;
    if (keyed->complaint_id != attempt.complaint_id) {
      return Reused(attempt, *keyed, "and this request is for another complaint");
    }
    if (keyed->action != attempt.action) {
      return Reused(attempt, *keyed, absl::StrCat("and this request is to ", attempt.action));
    }
    if (keyed->actor != attempt.actor) return Reused(attempt, *keyed, "for another caller");
    if (keyed->digest != attempt.digest) return Reused(attempt, *keyed, "with other content");
    return StepVerdict::kRetry;
  }
  bool repeat = last && !last->digest.empty() && last->complaint_id == attempt.complaint_id &&
                last->action == attempt.action && last->actor == attempt.actor &&
                last->digest == attempt.digest;
  return repeat ? StepVerdict::kRetry : StepVerdict::kApply;
}

std::string StepDigest(Action action, const StepRequest& request) {
  Content content = {{"note", request.note}};
  switch (action) {
    case Action::kAssign:
      content.emplace_back("department", request.department);
      content.emplace_back("handler", request.handler);
      break;
    case Action::kRespond:
      content.emplace_back("response", request.response);
      break;
    case Action::kClose:
      content.emplace_back("satisfaction", absl::StrCat(request.satisfaction));
      break;
    case Action::kAcknowledge:
    case Action::kStartInvestigation:
    case Action::kReopen:
    case Action::kEscalate:
      break;
  }
  return Digest(ActionName(action), content);
}

std::string DeadlineOverrideDigest(const v1::OverrideDeadlineRequest& request) {
  return Digest(
      "OVERRIDE_DEADLINE",
      {{"kind", v1::DeadlineKind_Name(request.kind())},
       {"deadline", request.has_deadline()
                        ? absl::StrCat(google::protobuf::util::TimeUtil::TimestampToMicroseconds(
                              request.deadline()))
                        : std::string()},
       {"note", request.note()}});
}

}  // namespace parkline::complaints
