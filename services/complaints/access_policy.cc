#include "complaints/access_policy.h"

namespace parkline::complaints {

// Park staff run the complaint desk (7.3): they file complaints received by phone, visit,
// WeChat or questionnaire, move them through the workflow, verify and export the record and
// record feedback. A resident enterprise files its own complaints and follows those it filed or
// that were forwarded to it (7.3.3), naming itself in the request. Analysts see complaints only
// as the statistics service's aggregates; customs and carriers have no part here.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.complaints.v1.ComplaintService",
      {
          // method                any role may call    own complaints only
          {"FileComplaint",        {{kAdmin, kStaff},   {kEnterprise}}},
          {"GetComplaint",         {{kAdmin, kStaff},   {kEnterprise}}},
          {"ListComplaints",       {{kAdmin, kStaff},   {kEnterprise}}},
          {"AcknowledgeComplaint", {{kAdmin, kStaff},   {}}},
          {"AssignComplaint",      {{kAdmin, kStaff},   {}}},
          {"StartInvestigation",   {{kAdmin, kStaff},   {}}},
          {"RespondToComplaint",   {{kAdmin, kStaff},   {}}},
          {"CloseComplaint",       {{kAdmin, kStaff},   {}}},
          {"ReopenComplaint",      {{kAdmin, kStaff},   {}}},
          {"EscalateComplaint",    {{kAdmin, kStaff},   {}}},
          {"OverrideDeadline",     {{kAdmin, kStaff},   {}}},
          {"VerifyRecord",         {{kAdmin, kStaff},   {}}},
          {"ExportComplaints",     {{kAdmin, kStaff},   {}}},
          {"RecordFeedback",       {{kAdmin, kStaff},   {}}},
          {"ListFeedback",         {{kAdmin, kStaff},   {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::complaints
