// The request rules, the routing rules and who sees contact details: every broken rule is named
// by field; departments come from the category unless configured; only the handler on the park
// staff sees the complainant's contact details.
#include "complaints/complaint_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "complaints/contact_privacy.h"
#include "complaints/routing_rules.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"

namespace parkline::complaints {
namespace {

std::set<std::string> Fields(const errors::Violations& v) {
  std::set<std::string> out;
  for (const auto& x : v.list()) out.insert(x.field + ":" + x.reason);
  return out;
}

v1::FileComplaintRequest Valid() {
  v1::FileComplaintRequest r;
  r.set_request_id("req-1");
  r.mutable_complainant()->set_kind(v1::PARTY_KIND_PUBLIC);
  r.mutable_complainant()->mutable_contact()->set_phone("+86 571 0000 0000");
  r.mutable_target()->set_kind(v1::PARTY_KIND_PARK_OPERATOR);
  r.set_category(v1::CATEGORY_FACILITIES);
  r.set_channel(v1::CHANNEL_PHONE);
  r.set_description("The lift in building 3 has been out of order for a week.");
  return r;
}

TEST(ComplaintRulesTest, AValidFilingPasses) {
  errors::Violations v;
  CheckFiling(Valid(), v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(ComplaintRulesTest, EveryBrokenRuleIsNamed) {
  v1::FileComplaintRequest r;
  r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  r.mutable_complainant()->set_uscc("91350100M000100Y4X");
  r.mutable_target()->set_kind(v1::PARTY_KIND_PUBLIC);
  r.set_category(static_cast<v1::Category>(42));
  errors::Violations v;
  CheckFiling(r, v);
  EXPECT_EQ(Fields(v), (std::set<std::string>{"request_id:REQUIRED", "complainant.uscc:USCC",
                                              "complainant.contact:REQUIRED",
                                              "target.kind:PARTY_KIND", "category:UNKNOWN_CATEGORY",
                                              "channel:UNKNOWN_CHANNEL", "description:REQUIRED"}));
}

TEST(ComplaintRulesTest, AnEnterpriseTargetNeedsAValidUsccNotItsOwn) {
  v1::FileComplaintRequest r = Valid();
  r.mutable_target()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  errors::Violations missing;
  CheckFiling(r, missing);
  EXPECT_EQ(Fields(missing), (std::set<std::string>{"target.uscc:REQUIRED"}));
  r.mutable_complainant()->set_kind(v1::PARTY_KIND_RESIDENT_ENTERPRISE);
  r.mutable_complainant()->set_uscc("91350100M000100Y43");
  r.mutable_target()->set_uscc("91350100M000100Y43");
  errors::Violations self;
  CheckFiling(r, self);
  EXPECT_EQ(Fields(self), (std::set<std::string>{"target.uscc:SELF"}));
}

TEST(ComplaintRulesTest, SatisfactionIsOneToFiveOrNone) {
  for (int s : {0, 1, 5}) {
    errors::Violations v;
    CheckSatisfaction(s, v);
    EXPECT_TRUE(v.empty()) << s;
  }
  for (int s : {-1, 6, 10}) {
    errors::Violations v;
    CheckSatisfaction(s, v);
    EXPECT_EQ(Fields(v), (std::set<std::string>{"satisfaction:RANGE"})) << s;
  }
}

TEST(ComplaintRulesTest, ADeadlineOverrideInThePastIsRefused) {
  absl::Time now = absl::FromUnixSeconds(1780000000);
  v1::OverrideDeadlineRequest r;
  r.set_complaint_id("CMP-1");
  r.set_kind(v1::DEADLINE_KIND_RESOLUTION);
  r.set_note("the supplier needs a spare part");
  *r.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000 - 60);
  errors::Violations past;
  CheckDeadlineOverride(r, now, past);
  EXPECT_EQ(Fields(past), (std::set<std::string>{"deadline:IN_THE_PAST"}));
  *r.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000 + 60);
  errors::Violations future;
  CheckDeadlineOverride(r, now, future);
  EXPECT_TRUE(future.empty());
}

TEST(ComplaintRulesTest, AnOverridesFormAndItsTimeAreCheckedApart) {
  // The desk checks the form first and the time once it knows the override is not a retry.
  absl::Time now = absl::FromUnixSeconds(1780000000);
  v1::OverrideDeadlineRequest r;
  *r.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1780000000 - 60);
  errors::Violations form;
  CheckDeadlineOverrideForm(r, form);
  EXPECT_EQ(Fields(form), (std::set<std::string>{"kind:DEADLINE_KIND", "note:REQUIRED"}));
  errors::Violations time;
  CheckDeadlineAfter(r, now, time);
  EXPECT_EQ(Fields(time), (std::set<std::string>{"deadline:IN_THE_PAST"}));
  errors::Violations both;
  CheckDeadlineOverride(r, now, both);
  EXPECT_EQ(Fields(both),
            (std::set<std::string>{"kind:DEADLINE_KIND", "note:REQUIRED", "deadline:IN_THE_PAST"}));
  r.clear_deadline();
  errors::Violations none;
  CheckDeadlineAfter(r, now, none);
  EXPECT_TRUE(none.empty());
  CheckDeadlineOverrideForm(r, none);
  EXPECT_EQ(Fields(none).count("deadline:REQUIRED"), 1u);
}

TEST(ComplaintRulesTest, AStepIsCheckedForWhatItsActionReads) {
  RoutingRules routing;
  StepRequest request;
  request.request_id = std::string(129, 'k');
  request.department = "nowhere";
  request.handler = std::string(129, 'h');
  errors::Violations v;
  CheckStep(Action::kAssign, request, routing, v);
  EXPECT_EQ(Fields(v),
            (std::set<std::string>{"complaint_id:REQUIRED", "request_id:TOO_LONG",
                                   "department:UNKNOWN_DEPARTMENT", "handler:TOO_LONG"}));

  StepRequest respond;
  respond.complaint_id = "CMP-1";
  errors::Violations no_answer;
  CheckStep(Action::kRespond, respond, routing, no_answer);
  EXPECT_EQ(Fields(no_answer), (std::set<std::string>{"response:REQUIRED"}));

  StepRequest close;
  close.complaint_id = "CMP-1";
  close.satisfaction = 6;
  errors::Violations bad_score;
  CheckStep(Action::kClose, close, routing, bad_score);
  EXPECT_EQ(bad_score.list().size(), 1u);

  // What another action reads is not checked for this one.
  errors::Violations acknowledge;
  CheckStep(Action::kAcknowledge, close, routing, acknowledge);
  EXPECT_TRUE(acknowledge.empty());
}

v1::RecordFeedbackRequest ValidFeedback(int year, int month, int day) {
  v1::RecordFeedbackRequest r;
  r.set_request_id("survey-2026-q1");
  r.mutable_feedback()->set_source(v1::FEEDBACK_SOURCE_THIRD_PARTY);
  r.mutable_feedback()->set_source_name("Zhejiang Quality Survey Institute");
  r.mutable_feedback()->mutable_survey_date()->set_year(year);
  r.mutable_feedback()->mutable_survey_date()->set_month(month);
  r.mutable_feedback()->mutable_survey_date()->set_day(day);
  r.mutable_feedback()->set_satisfaction_centi(436);
  r.mutable_feedback()->set_respondents(52);
  return r;
}

TEST(ComplaintRulesTest, ARequestIdTooLongIsTooLongNotMissing) {
  v1::FileComplaintRequest filing = Valid();
  v1::RecordFeedbackRequest feedback = ValidFeedback(2026, 3, 5);
  absl::Time now = absl::FromUnixSeconds(1773100800);  // 2026-03-10 00:00 UTC
  for (size_t length : {size_t{128}, size_t{129}, size_t{0}}) {
    SCOPED_TRACE(length);
    std::set<std::string> expected;
    if (length == 0) expected = {"request_id:REQUIRED"};
    if (length > kMaxRequestId) expected = {"request_id:TOO_LONG"};
    filing.set_request_id(std::string(length, 'k'));
    feedback.set_request_id(std::string(length, 'k'));
    errors::Violations filed, recorded;
    CheckFiling(filing, filed);
    CheckFeedback(feedback, now, absl::UTCTimeZone(), recorded);
    EXPECT_EQ(Fields(filed), expected);
    EXPECT_EQ(Fields(recorded), expected);
  }
}

// A survey is recorded once it took place: its date is no later than the park's today.
TEST(ComplaintRulesTest, ASurveyDatedAfterTheParksTodayIsInTheFuture) {
  absl::TimeZone park;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &park));
  auto check = [&](absl::Time now, int day) {
    errors::Violations v;
    CheckFeedback(ValidFeedback(2026, 3, day), now, park, v);
    return Fields(v);
  };
  const std::set<std::string> future = {"feedback.survey_date:IN_THE_FUTURE"};
  absl::Time morning = absl::FromCivil(absl::CivilMinute(2026, 3, 10, 9, 0), park);
  EXPECT_EQ(check(morning, 11), future);
  EXPECT_TRUE(check(morning, 10).empty());
  // 23:30 UTC on 10 March is 07:30 on 11 March in the park.
  absl::Time late = absl::FromCivil(absl::CivilMinute(2026, 3, 10, 23, 30), absl::UTCTimeZone());
  EXPECT_TRUE(check(late, 11).empty());
  EXPECT_EQ(check(late, 12), future);
}

TEST(ComplaintRoutingTest, DefaultsRouteByCategory) {
  RoutingRules rules;
  EXPECT_EQ(rules.DepartmentFor(v1::CATEGORY_CLEARANCE), "customs-affairs");
  EXPECT_EQ(rules.DepartmentFor(v1::CATEGORY_FEES), "finance");
  EXPECT_EQ(rules.supervising(), "supervision-office");
  EXPECT_TRUE(rules.IsDepartment("supervision-office"));
  EXPECT_FALSE(rules.IsDepartment("marketing"));
}

TEST(ComplaintRoutingTest, RoutesAreConfigurableAndBadOnesChangeNothing) {
  RoutingRules rules;
  ASSERT_TRUE(rules.Configure("fees=front-desk", "duban", "legal,it").ok());
  EXPECT_EQ(rules.DepartmentFor(v1::CATEGORY_FEES), "front-desk");
  EXPECT_EQ(rules.supervising(), "duban");
  EXPECT_TRUE(rules.IsDepartment("legal"));
  EXPECT_TRUE(rules.IsDepartment("front-desk"));
  for (auto [routes, extra] : {std::pair<const char*, const char*>{"parking=x", ""},
                               {"fees=Front Desk", ""},
                               {"fees", ""},
                               {"", "ok,NOT OK"}}) {
    EXPECT_TRUE(absl::IsInvalidArgument(rules.Configure(routes, "", extra))) << routes << extra;
  }
  EXPECT_EQ(rules.DepartmentFor(v1::CATEGORY_FEES), "front-desk");
}

TEST(ComplaintPrivacyTest, OnlyTheHandlerOnTheParkStaffSeesContactDetails) {
  auth::Principal staff{"staff-li", {auth::Role::kParkStaff}, "", "", ""};
  auth::Principal admin{"admin-wang", {auth::Role::kParkAdmin}, "", "", ""};
  auth::Principal enterprise{"staff-li", {auth::Role::kEnterprise}, "91350100M000100Y43", "", ""};
  EXPECT_TRUE(MaySeeContact(ViewerOf(staff), "staff-li"));
  EXPECT_FALSE(MaySeeContact(ViewerOf(staff), "staff-zhao"));
  EXPECT_FALSE(MaySeeContact(ViewerOf(staff), ""));
  EXPECT_TRUE(MaySeeContact(ViewerOf(admin), "admin-wang"));
  EXPECT_FALSE(MaySeeContact(ViewerOf(admin), "staff-li"));
  EXPECT_FALSE(MaySeeContact(ViewerOf(enterprise), "staff-li"))
      << "an enterprise principal is not park staff, whatever its name";
}

TEST(ComplaintPrivacyTest, TheComplainantsIdentityIsHiddenFromTheEnterpriseComplainedAbout) {
  v1::Complaint c;
  c.set_handler("staff-li");
  c.mutable_complainant()->set_uscc("91350100M000100Y43");
  c.set_forwarded_to_uscc("91330100MA27XYZ12X");
  v1::ContactDetails contact;
  contact.set_phone("+86 571 0000 0000");

  v1::Complaint handler = ForViewer(c, contact, Viewer{"staff-li", true, ""});
  EXPECT_EQ(handler.complainant().contact().phone(), "+86 571 0000 0000");
  EXPECT_EQ(handler.complainant().uscc(), "91350100M000100Y43");
  v1::Complaint complainant = ForViewer(c, contact, Viewer{"x", false, "91350100M000100Y43"});
  EXPECT_FALSE(complainant.complainant().has_contact());
  EXPECT_EQ(complainant.complainant().uscc(), "91350100M000100Y43");
  v1::Complaint target = ForViewer(c, contact, Viewer{"y", false, "91330100MA27XYZ12X"});
  EXPECT_FALSE(target.complainant().has_contact());
  EXPECT_TRUE(target.complainant().uscc().empty());
}

TEST(ComplaintPrivacyTest, AnEnterpriseSeesTheStepsButNotWhoTookThemNorTheParksNotes) {
  v1::RecordEntry e;
  e.set_action("ASSIGN");
  e.set_actor("staff-li");
  e.set_note("the complainant called twice; likely a fee dispute");
  (*e.mutable_details())["department"] = "finance";
  (*e.mutable_details())["handler"] = "staff-li";
  (*e.mutable_details())["request_id"] = "req-7";
  e.set_previous_hash("aa");
  e.set_hash("bb");

  v1::RecordEntry staff = EntryForViewer(e, Viewer{"staff-wu", true, ""});
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(staff, e))
      << "the park sees it whole";

  v1::RecordEntry target = EntryForViewer(e, Viewer{"target-erp", false, "91330100MA27XYZ12X"});
  EXPECT_EQ(target.action(), "ASSIGN");
  EXPECT_TRUE(target.actor().empty());
  EXPECT_TRUE(target.note().empty());
  EXPECT_EQ(target.details().size(), 1u);
  EXPECT_EQ(target.details().at("department"), "finance");
  EXPECT_TRUE(target.hash().empty() && target.previous_hash().empty());

  // The complainant's own filing keeps its actor: it took that step itself.
  v1::RecordEntry filing;
  filing.set_action("FILE");
  filing.set_actor("complainant-erp");
  (*filing.mutable_details())["category"] = "FEES";
  EXPECT_EQ(EntryForViewer(filing, Viewer{"complainant-erp", false, "91350100M000100Y43"}).actor(),
            "complainant-erp");
  // The enterprise complained about does not learn who filed it.
  v1::RecordEntry seen = EntryForViewer(filing, Viewer{"target-erp", false, "91330100MA27XYZ12X"});
  EXPECT_TRUE(seen.actor().empty());
  EXPECT_EQ(seen.details().at("category"), "FEES");
}

TEST(ComplaintPrivacyTest, WhoHandlesAComplaintIsTheParksOwnBusiness) {
  v1::Complaint c;
  c.set_handler("staff-li");
  EXPECT_EQ(ForViewer(c, {}, Viewer{"staff-wu", true, ""}).handler(), "staff-li");
  EXPECT_TRUE(
      ForViewer(c, {}, Viewer{"target-erp", false, "91330100MA27XYZ12X"}).handler().empty());
}

TEST(ComplaintPrivacyTest, TheComplainantAndTheEnterpriseForwardedToAreParties) {
  v1::Complaint c;
  c.mutable_complainant()->set_uscc("91350100M000100Y43");
  c.set_forwarded_to_uscc("91330100MA27XYZ12X");
  EXPECT_TRUE(IsParty(c, "91350100M000100Y43"));
  EXPECT_TRUE(IsParty(c, "91330100MA27XYZ12X"));
  EXPECT_FALSE(IsParty(c, "91110000600037341L"));
  EXPECT_FALSE(IsParty(v1::Complaint(), "")) << "an empty party is nobody";
}

}  // namespace
}  // namespace parkline::complaints
