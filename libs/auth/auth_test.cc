#include <gtest/gtest.h>

#include <fstream>

#include "auth/access_policy.h"
#include "auth/credentials.h"
#include "tests/support/test_env.h"

namespace parkline::auth {
namespace {

constexpr char kUscc[] = "91350100M000100Y43";
constexpr char kOtherUscc[] = "91440300708461136T";

Principal Make(std::string name, std::set<Role> roles, std::string uscc = "",
               std::string carrier = "") {
  return Principal{std::move(name), std::move(roles), std::move(uscc), "", std::move(carrier)};
}

Resource Res(std::string uscc, std::string carrier) {
  Resource r;
  r.uscc = std::move(uscc);
  r.carrier_code = std::move(carrier);
  return r;
}

const AccessPolicy& Policy() {
  static const AccessPolicy* policy = new AccessPolicy(
      "pkg.Svc", {{"Write", {{Role::kParkAdmin}, {}}},
                  {"ReadOwn", {{Role::kParkStaff}, {Role::kEnterprise, Role::kCarrier}}}});
  return *policy;
}

TEST(AccessPolicy, RolesInAnyMayCallOnAnyResource) {
  EXPECT_TRUE(
      Policy().Check(Make("ops", {Role::kParkAdmin}), "/pkg.Svc/Write", Res(kUscc, "")).ok());
  EXPECT_TRUE(
      Policy().Check(Make("s", {Role::kParkStaff}), "/pkg.Svc/ReadOwn", Res(kUscc, "")).ok());
}

TEST(AccessPolicy, OtherRolesAreDeniedWithoutNamingTheResource) {
  absl::Status s = Policy().Check(Make("erp", {Role::kEnterprise}, kUscc), "/pkg.Svc/Write",
                                  Res(kOtherUscc, ""));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "caller 'erp' may not call Write");
}

TEST(AccessPolicy, OwnOnlyRolesReachOnlyTheirOwnParty) {
  Principal erp = Make("erp", {Role::kEnterprise}, kUscc);
  EXPECT_TRUE(Policy().Check(erp, "/pkg.Svc/ReadOwn", Res(kUscc, "")).ok());
  EXPECT_EQ(Policy().Check(erp, "/pkg.Svc/ReadOwn", Res(kOtherUscc, "")).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Policy().Check(erp, "/pkg.Svc/ReadOwn", {}).code(),
            absl::StatusCode::kPermissionDenied);  // park-wide: not its own
  Principal carrier = Make("sf", {Role::kCarrier}, "", "SF");
  EXPECT_TRUE(Policy().Check(carrier, "/pkg.Svc/ReadOwn", Res("", "SF")).ok());
  EXPECT_FALSE(Policy().Check(carrier, "/pkg.Svc/ReadOwn", Res("", "EMS")).ok());
}

TEST(AccessPolicy, AnEnterpriseOwnsADocumentItIsAPartyTo) {
  Principal erp = Make("erp", {Role::kEnterprise}, kUscc);
  erp.customs_code = "3501960001";
  Resource document;
  document.parties = {"1105910159", "3501960001"};  // it is a party by its customs code
  EXPECT_TRUE(Policy().Check(erp, "/pkg.Svc/ReadOwn", document).ok());
  document.parties = {"1105910159", "1101110323"};
  EXPECT_EQ(Policy().Check(erp, "/pkg.Svc/ReadOwn", document).code(),
            absl::StatusCode::kPermissionDenied);
  Principal carrier = Make("sf", {Role::kCarrier}, "", "SF");
  document.parties = {"SF"};
  EXPECT_TRUE(Policy().Check(carrier, "/pkg.Svc/ReadOwn", document).ok());
}

TEST(AccessPolicy, UnlistedMethodsAndOtherServicesAreDeniedToAll) {
  Principal admin = Make("ops", {Role::kParkAdmin});
  EXPECT_FALSE(Policy().Check(admin, "/pkg.Svc/Unlisted", {}).ok());
  EXPECT_FALSE(Policy().Check(admin, "/other.Svc/Write", {}).ok());
}

// Admits is the check before a payload naming the parties is read: any role the method lists
// passes it, own-only roles included (their parties are checked once the payload is read).
TEST(AccessPolicy, AdmitsEveryRoleTheMethodListsAndNoOther) {
  EXPECT_TRUE(Policy().Admits(Make("ops", {Role::kParkAdmin}), "/pkg.Svc/Write").ok());
  EXPECT_TRUE(Policy().Admits(Make("erp", {Role::kEnterprise}, kUscc), "/pkg.Svc/ReadOwn").ok());
  EXPECT_TRUE(Policy().Admits(Make("sf", {Role::kCarrier}, "", "SF"), "/pkg.Svc/ReadOwn").ok());
  absl::Status s = Policy().Admits(Make("erp", {Role::kEnterprise}, kUscc), "/pkg.Svc/Write");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "caller 'erp' may not call Write");
  EXPECT_FALSE(Policy().Admits(Make("a", {Role::kAnalyst}), "/pkg.Svc/ReadOwn").ok());
  EXPECT_FALSE(Policy().Admits(Make("ops", {Role::kParkAdmin}), "/pkg.Svc/Unlisted").ok());
  EXPECT_FALSE(Policy().Admits(Make("ops", {Role::kParkAdmin}), "/other.Svc/Write").ok());
}

TEST(Credentials, HashIsSha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Credentials, ParsesTokensAndCertificates) {
  auto c = ParseCredentials(R"({
    "tokens": [
      {"sha256": ")" + Sha256Hex("t1") +
                            R"(", "principal": "erp", "roles": ["enterprise"],
       "uscc": "91350100M000100Y43"},
      {"sha256": ")" + Sha256Hex("t2") +
                            R"(", "principal": "ops", "roles": ["park-admin", "analyst"]}
    ],
    "certificates": [
      {"subject": "CN=gw,O=Park", "principal": "gw", "roles": ["customs-gateway"]}
    ]})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->by_token_hash.at(Sha256Hex("t1")).uscc, kUscc);
  EXPECT_EQ(c->by_token_hash.at(Sha256Hex("t2")).roles.size(), 2u);
  EXPECT_EQ(c->by_subject.at("CN=gw,O=Park").name, "gw");
}

TEST(Credentials, RejectsEntriesThatCannotBeRight) {
  std::string hash = Sha256Hex("t");
  for (auto [json, expect] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "not a JSON object"},
           {R"({"tokens":[{"sha256":"abc","principal":"p","roles":["analyst"]}]})", "sha256"},
           {R"({"tokens":[{"sha256":")" + hash + R"(","roles":["analyst"]}]})", "principal"},
           {R"({"tokens":[{"sha256":")" + hash + R"(","principal":"p","roles":["root"]}]})",
            "unknown role"},
           {R"({"tokens":[{"sha256":")" + hash + R"(","principal":"p","roles":["enterprise"]}]})",
            "uscc"},
           {R"({"tokens":[{"sha256":")" + hash + R"(","principal":"p","roles":["carrier"]}]})",
            "carrier_code"},
           {R"({"tokens":[{"sha256":")" + hash + R"(","principal":"p","roles":["analyst"]},
                         {"sha256":")" +
                hash + R"(","principal":"q","roles":["analyst"]}]})",
            "twice"},
       }) {
    auto c = ParseCredentials(json);
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_NE(c.status().message().find(expect), std::string::npos) << c.status();
  }
}

TEST(CredentialStore, ReloadsWhenTheFileChangesAndKeepsTheOldOnesWhenItBreaks) {
  testing::TempDir dir;
  std::string path = dir.path() + "/tokens.json";
  auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  auto entry = [](const std::string& token) {
    return R"({"tokens":[{"sha256":")" + Sha256Hex(token) +
           R"(","principal":"p","roles":["analyst"]}]})";
  };
  write(entry("first"));
  CredentialStore store(path);
  ASSERT_TRUE(store.Load().ok());
  EXPECT_TRUE(store.ByToken("first").has_value());
  EXPECT_FALSE(store.ByToken("second").has_value());

  write(entry("second") + std::string(8, ' '));  // a different size: seen as changed at once
  store.ReloadIfChanged();
  EXPECT_FALSE(store.ByToken("first").has_value());
  EXPECT_TRUE(store.ByToken("second").has_value());

  write("{ broken");
  store.ReloadIfChanged();
  EXPECT_TRUE(store.ByToken("second").has_value());
}

TEST(CredentialStore, WithoutAFileNobodyIsKnown) {
  CredentialStore store("");
  ASSERT_TRUE(store.Load().ok());
  EXPECT_EQ(store.size(), 0u);
  EXPECT_FALSE(store.ByToken("anything").has_value());
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::kParkAdmin, Role::kParkStaff, Role::kEnterprise, Role::kCustomsGateway,
                 Role::kCarrier, Role::kAnalyst}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace parkline::auth
