#include "quality/access_policy.h"

namespace parkline::quality {

// The park's staff keep its records register (5.1.2, 5.1.3, 5.6): they publish and withdraw.
// Resident enterprises read the documents the park publishes to them (service guides,
// specifications, emergency plans), the desk hiding internal ones; analysts read the whole register
// for the evaluation of clause 8. Inspections and their corrective actions are the park's (7.1.4);
// a resident enterprise files its own supervision of the park (7.1.1) and follows what it filed,
// naming itself; analysts read them. The clause 8 evidence report is the park's and its analysts'
// (it lists internal documents and every enterprise's supervision); enterprises do not read it. The
// assessment scheme and its results (7.2) are the park's: its staff publish the scheme, record
// surveys and compute results; analysts read schemes and results. Training sessions and staff
// certifications (5.6.1.1, 5.6.3) are the operator's internal records: its staff keep them,
// analysts read them (sessions without attendees' names). Enterprises have no part in either.
// Customs and carriers have no part here.
const auth::AccessPolicy& AccessPolicy() {
  using namespace auth::policy_roles;  // kAdmin, kStaff, kEnterprise ...
  // clang-format off
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "parkline.quality.v1.QualityService",
      {
          // method              any role may call                            own party only
          {"PublishDocument",    {{kAdmin, kStaff},                           {}}},
          {"GetDocument",        {{kAdmin, kStaff, kAnalyst, kEnterprise},    {}}},
          {"ListDocuments",      {{kAdmin, kStaff, kAnalyst, kEnterprise},    {}}},
          {"GetDocumentHistory", {{kAdmin, kStaff, kAnalyst, kEnterprise},    {}}},
          {"WithdrawDocument",   {{kAdmin, kStaff},                           {}}},
          {"RecordInspection",   {{kAdmin, kStaff},                           {kEnterprise}}},
          {"GetInspection",      {{kAdmin, kStaff, kAnalyst},                 {kEnterprise}}},
          {"ListInspections",    {{kAdmin, kStaff, kAnalyst},                 {kEnterprise}}},
          {"CloseCorrectiveAction", {{kAdmin, kStaff},                        {}}},
          {"VerifyInspectionRecord", {{kAdmin, kStaff},                       {}}},
          {"GetEvaluationReport", {{kAdmin, kStaff, kAnalyst},                {}}},
          {"PublishAssessmentScheme", {{kAdmin, kStaff},                      {}}},
          {"GetAssessmentScheme", {{kAdmin, kStaff, kAnalyst},                {}}},
          {"ListAssessmentSchemes", {{kAdmin, kStaff, kAnalyst},              {}}},
          {"RecordSurveyResult", {{kAdmin, kStaff},                           {}}},
          {"ComputeAssessmentResult", {{kAdmin, kStaff},                      {}}},
          {"GetAssessmentResult", {{kAdmin, kStaff, kAnalyst},                {}}},
          {"ListAssessmentResults", {{kAdmin, kStaff, kAnalyst},              {}}},
          {"RecordTraining",     {{kAdmin, kStaff},                           {}}},
          {"ListTrainings",      {{kAdmin, kStaff, kAnalyst},                 {}}},
          {"RecordCertification", {{kAdmin, kStaff},                          {}}},
          {"RenewCertification", {{kAdmin, kStaff},                           {}}},
          {"ListExpiringCertifications", {{kAdmin, kStaff, kAnalyst},         {}}},
      });
  // clang-format on
  return *policy;
}

}  // namespace parkline::quality
