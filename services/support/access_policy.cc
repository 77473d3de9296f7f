#include "support/access_policy.h"

namespace parkline::support {

// Park staff and admins run the activities (6.8, 6.9.2): they schedule them, register attendees
// on an enterprise's behalf and confirm attendance afterwards. A resident enterprise reads the
// programme, and registers, cancels and lists only its own attendees, naming itself in the
// request; the desk then checks the stored registration's owner (support_desk.h). A provider (an
// enterprise whose registry roles fit a category) publishes offerings and answers the requests
// routed to it; the enterprise that filed a request rates it (request_desk.h decides from the
// stored request). Analysts read the aggregate figures only; customs and carriers have no part.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.support.v1.SupportService",
      {
          // method              any role may call                 own enterprise only
          {"ScheduleActivity",   {{kAdmin, kStaff},                {}}},
          {"GetActivity",        {{kAdmin, kStaff, kEnterprise},   {}}},
          {"ListActivities",     {{kAdmin, kStaff, kEnterprise},   {}}},
          {"RegisterAttendees",  {{kAdmin, kStaff},                {kEnterprise}}},
          {"CancelRegistration", {{kAdmin, kStaff},                {kEnterprise}}},
          {"ListRegistrations",  {{kAdmin, kStaff},                {kEnterprise}}},
          {"ConfirmAttendance",  {{kAdmin, kStaff},                {}}},
          {"GetActivityFigures", {{kAdmin, kStaff, kAnalyst},      {}}},
          {"CancelActivity",     {{kAdmin, kStaff},                {}}},
          // The directory: a provider publishes (naming itself), any resident reads it.
          {"PublishOffering",    {{kAdmin, kStaff},                {kEnterprise}}},
          {"ListOfferings",      {{kAdmin, kStaff, kEnterprise},   {}}},
          // The provider withdraws its own (the desk checks the stored offering's provider).
          {"WithdrawOffering",   {{kAdmin, kStaff},                {kEnterprise}}},
          // Requests: the enterprise files and rates its own, the park routes, the provider
          // answers what was routed to it (the desk checks the stored request's parties).
          {"FileServiceRequest", {{kAdmin, kStaff},                {kEnterprise}}},
          {"RouteServiceRequest",{{kAdmin, kStaff},                {}}},
          {"RerouteServiceRequest",{{kAdmin, kStaff},              {}}},
          {"AnswerServiceRequest",{{kAdmin, kStaff},               {kEnterprise}}},
          {"RateServiceRequest", {{kAdmin, kStaff},                {kEnterprise}}},
          {"GetServiceRequest",  {{kAdmin, kStaff},                {kEnterprise}}},
          {"ListServiceRequests",{{kAdmin, kStaff},                {kEnterprise}}},
          {"GetRequestFigures",  {{kAdmin, kStaff, kAnalyst},      {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::support
