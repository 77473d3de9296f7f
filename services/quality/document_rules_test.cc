// The records register's rules: what a publication must hold, how versions follow one another,
// who reads what.
#include "quality/document_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "auth/sha256.h"

namespace parkline::quality {
namespace {

v1::PublishDocumentRequest Valid() {
  v1::PublishDocumentRequest r;
  r.set_request_id("req-1");
  r.set_kind(v1::DOCUMENT_KIND_EMERGENCY_PLAN);
  r.set_title("Emergency plan for the bonded warehouse");
  r.set_visibility(v1::VISIBILITY_PUBLIC);
  r.set_effective_date("2026-03-01");
  r.set_approved_by("Wang Fang, general manager");
  r.set_media_type("text/markdown");
  r.set_content("# Emergency plan\n");
  return r;
}

std::set<std::string> Fields(const v1::PublishDocumentRequest& r, int64_t max = 1024) {
  errors::Violations v;
  CheckPublication(r, max, v);
  std::set<std::string> out;
  for (const auto& x : v.list()) out.insert(x.field);
  return out;
}

v1::DocumentVersion Current(int64_t version, const std::string& effective) {
  v1::DocumentVersion d;
  d.set_document_id("DOC-1");
  d.set_version(version);
  d.set_kind(v1::DOCUMENT_KIND_EMERGENCY_PLAN);
  d.set_effective_date(effective);
  return d;
}

TEST(DocumentRulesTest, AValidPublicationBreaksNoRule) { EXPECT_TRUE(Fields(Valid()).empty()); }

TEST(DocumentRulesTest, EveryMissingFieldIsNamedAtOnce) {
  v1::PublishDocumentRequest r;
  EXPECT_EQ(Fields(r),
            (std::set<std::string>{"request_id", "kind", "title", "visibility", "effective_date",
                                   "approved_by", "media_type", "content"}));
}

TEST(DocumentRulesTest, EffectiveDateIsARealCalendarDate) {
  for (const char* bad : {"2026-02-30", "2026-2-01", "01/03/2026", "2026-03-01x", ""}) {
    v1::PublishDocumentRequest r = Valid();
    r.set_effective_date(bad);
    EXPECT_EQ(Fields(r), std::set<std::string>{"effective_date"}) << bad;
  }
}

TEST(DocumentRulesTest, StoredContentIsSizeLimited) {
  v1::PublishDocumentRequest r = Valid();
  r.set_content(std::string(1025, 'x'));
  EXPECT_EQ(Fields(r, 1024), std::set<std::string>{"content"});
  r.set_content(std::string(1024, 'x'));
  EXPECT_TRUE(Fields(r, 1024).empty());
}

TEST(DocumentRulesTest, AReferenceNeedsAnAddressAndAHash) {
  v1::PublishDocumentRequest r = Valid();
  r.mutable_reference()->set_uri("https://docs.park.example/plans/ep-7.pdf");
  r.mutable_reference()->set_sha256(auth::Sha256Hex("pdf"));
  EXPECT_TRUE(Fields(r).empty());
  r.mutable_reference()->set_uri("plans/ep 7.pdf");
  r.mutable_reference()->set_sha256("ABC");
  EXPECT_EQ(Fields(r), (std::set<std::string>{"reference.uri", "reference.sha256"}));
}

TEST(DocumentRulesTest, ANewDocumentExpectsNoVersionAndANewVersionExpectsOne) {
  v1::PublishDocumentRequest r = Valid();
  r.set_expected_version(2);
  EXPECT_EQ(Fields(r), std::set<std::string>{"expected_version"});
  r.set_document_id("DOC-1");
  r.set_expected_version(0);
  EXPECT_EQ(Fields(r), std::set<std::string>{"expected_version"});
}

TEST(DocumentRulesTest, VersionsFollowOneAnother) {
  v1::PublishDocumentRequest r = Valid();
  r.set_document_id("DOC-1");
  r.set_expected_version(2);
  EXPECT_TRUE(absl::IsNotFound(CheckSuccession(r, std::nullopt)));
  EXPECT_TRUE(CheckSuccession(r, Current(2, "2026-01-01")).ok());
  // Somebody published version 3 since this publisher read version 2.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckSuccession(r, Current(3, "2026-01-01"))));
  // A version never takes effect before the one it replaces.
  EXPECT_TRUE(absl::IsInvalidArgument(CheckSuccession(r, Current(2, "2026-04-01"))));
  r.set_kind(v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN);
  absl::Status kind = CheckSuccession(r, Current(2, "2026-01-01"));
  EXPECT_TRUE(absl::IsInvalidArgument(kind));
  EXPECT_NE(kind.message().find("kind"), std::string::npos);
}

TEST(DocumentRulesTest, TheNextVersionNumbersAndHashesItsContent) {
  v1::PublishDocumentRequest r = Valid();
  v1::DocumentVersion first = NextVersion(r, std::nullopt, "DOC-1", "staff-li", absl::Now());
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.sha256(), auth::Sha256Hex("# Emergency plan\n"));
  EXPECT_EQ(first.size_bytes(), 17);
  EXPECT_EQ(first.published_by(), "staff-li");
  r.mutable_reference()->set_uri("https://docs.park.example/ep.pdf");
  r.mutable_reference()->set_sha256(auth::Sha256Hex("pdf"));
  v1::DocumentVersion second = NextVersion(r, first, "DOC-1", "staff-li", absl::Now());
  EXPECT_EQ(second.version(), 2);
  EXPECT_EQ(second.sha256(), auth::Sha256Hex("pdf"));
  EXPECT_TRUE(second.content().empty());
  EXPECT_EQ(second.content_uri(), "https://docs.park.example/ep.pdf");
}

TEST(DocumentRulesTest, ARetryHasTheSameDigestAndOtherContentAnother) {
  v1::PublishDocumentRequest a = Valid();
  v1::PublishDocumentRequest b = Valid();
  EXPECT_EQ(RequestDigest(a), RequestDigest(b));
  b.set_content("# Emergency plan, amended\n");
  EXPECT_NE(RequestDigest(a), RequestDigest(b));
}

v1::WithdrawDocumentRequest ValidWithdrawal() {
  v1::WithdrawDocumentRequest r;
  r.set_request_id("req-w");
  r.set_document_id("DOC-1");
  r.set_expected_version(2);
  r.set_effective_date("2026-06-01");
  r.set_approved_by("Wang Fang, general manager");
  r.set_reason("Replaced by the park-wide emergency plan DOC-9");
  return r;
}

std::set<std::string> Fields(const v1::WithdrawDocumentRequest& r) {
  errors::Violations v;
  CheckWithdrawal(r, v);
  std::set<std::string> out;
  for (const auto& x : v.list()) out.insert(x.field);
  return out;
}

TEST(DocumentRulesTest, AWithdrawalNamesItsDocumentVersionDateApproverAndReason) {
  EXPECT_TRUE(Fields(ValidWithdrawal()).empty());
  EXPECT_EQ(Fields(v1::WithdrawDocumentRequest()),
            (std::set<std::string>{"request_id", "document_id", "expected_version",
                                   "effective_date", "approved_by", "reason"}));
  v1::WithdrawDocumentRequest r = ValidWithdrawal();
  r.set_effective_date("2026-06-31");
  EXPECT_EQ(Fields(r), std::set<std::string>{"effective_date"});
  r = ValidWithdrawal();
  r.set_reason(std::string(kMaxNote + 1, 'x'));
  EXPECT_EQ(Fields(r), std::set<std::string>{"reason"});
}

TEST(DocumentRulesTest, AWithdrawalEndsTheCurrentVersionAndNothingFollowsIt) {
  v1::WithdrawDocumentRequest r = ValidWithdrawal();
  EXPECT_TRUE(absl::IsNotFound(CheckWithdrawalOf(r, std::nullopt)));
  // Version 3 was published since the withdrawer read version 2.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckWithdrawalOf(r, Current(3, "2026-01-01"))));
  // It cannot end a version before that version took effect.
  absl::Status early = CheckWithdrawalOf(r, Current(2, "2026-07-01"));
  EXPECT_TRUE(absl::IsInvalidArgument(early));
  EXPECT_NE(early.message().find("effective_date"), std::string::npos);
  ASSERT_TRUE(CheckWithdrawalOf(r, Current(2, "2026-06-01")).ok());

  v1::DocumentVersion current = Current(2, "2026-01-01");
  current.set_title("Emergency plan for the bonded warehouse");
  current.set_visibility(v1::VISIBILITY_INTERNAL);
  current.set_sha256(auth::Sha256Hex("plan"));
  current.set_content_uri("https://docs.park.example/ep.pdf");
  v1::DocumentVersion w = WithdrawalVersion(r, current, "staff-li", absl::Now());
  EXPECT_TRUE(w.withdrawn());
  EXPECT_EQ(w.version(), 3);
  EXPECT_EQ(w.kind(), current.kind());
  EXPECT_EQ(w.title(), current.title());
  EXPECT_EQ(w.visibility(), v1::VISIBILITY_INTERNAL);  // an internal document stays the park's
  EXPECT_EQ(w.effective_date(), "2026-06-01");
  EXPECT_EQ(w.change_note(), r.reason());
  EXPECT_EQ(w.approved_by(), r.approved_by());
  EXPECT_EQ(w.published_by(), "staff-li");
  EXPECT_TRUE(w.sha256().empty());
  EXPECT_TRUE(w.content_uri().empty());

  // Neither a new version nor a second withdrawal follows a withdrawal.
  v1::PublishDocumentRequest next = Valid();
  next.set_document_id("DOC-1");
  next.set_expected_version(3);
  absl::Status published = CheckSuccession(next, w);
  EXPECT_TRUE(absl::IsFailedPrecondition(published));
  EXPECT_NE(published.message().find("withdrawn"), std::string::npos);
  r.set_expected_version(3);
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckWithdrawalOf(r, w)));
}

TEST(DocumentRulesTest, InternalDocumentsAreThePark) {
  v1::DocumentVersion d = Current(1, "2026-01-01");
  d.set_visibility(v1::VISIBILITY_INTERNAL);
  Viewer staff{"staff-li", true, ""};
  Viewer enterprise{"acme-erp", false, "91350100M000100Y43"};
  Viewer analyst{"bi", false, ""};
  analyst.analyst = true;
  EXPECT_TRUE(MayRead(staff, d));
  EXPECT_TRUE(MayRead(analyst, d));
  EXPECT_FALSE(MayRead(enterprise, d));
  EXPECT_FALSE(MayRead(Viewer{}, d));
  d.set_visibility(v1::VISIBILITY_PUBLIC);
  EXPECT_TRUE(MayRead(enterprise, d));
}

}  // namespace
}  // namespace parkline::quality
