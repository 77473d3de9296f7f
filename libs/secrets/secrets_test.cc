#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "secrets/aes_gcm.h"
#include "secrets/hmac.h"
#include "secrets/key_ring.h"
#include "secrets/pseudonym.h"
#include "secrets/sealed_box.h"

namespace parkline::secrets {
namespace {

std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }
std::string Bytes(absl::string_view hex) { return absl::HexStringToBytes(hex); }

constexpr char kKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// RFC 4231, test cases 1 and 2.
TEST(HmacSha256, MatchesTheRfc4231Vectors) {
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// The GCM specification (McGrew and Viega), test case 16: AES-256, 60-byte plaintext, 20 bytes
// of associated data, 96-bit IV.
constexpr char kGcmKey[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr char kGcmNonce[] = "cafebabefacedbaddecaf888";
constexpr char kGcmAad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
constexpr char kGcmPlain[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6"
    "b525b16aedf5aa0de657ba637b39";
constexpr char kGcmSealed[] =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"
    "828838c5f61e6393ba7a0abcc9f662"
    "76fc6ece0f4e1768cddf8853bb2d551b";

TEST(Aes256Gcm, MatchesTheGcmSpecificationsTestCase16) {
  auto sealed = Aes256GcmSeal(Bytes(kGcmKey), Bytes(kGcmNonce), Bytes(kGcmPlain), Bytes(kGcmAad));
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(Hex(*sealed), kGcmSealed);
  auto opened = Aes256GcmOpen(Bytes(kGcmKey), Bytes(kGcmNonce), *sealed, Bytes(kGcmAad));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(Hex(*opened), kGcmPlain);
}

TEST(Aes256Gcm, AFlippedBitInCiphertextTagOrAadDoesNotOpen) {
  std::string sealed = Bytes(kGcmSealed);
  for (size_t at : {size_t{0}, sealed.size() - 1}) {
    std::string tampered = sealed;
    tampered[at] ^= 1;
    EXPECT_EQ(
        Aes256GcmOpen(Bytes(kGcmKey), Bytes(kGcmNonce), tampered, Bytes(kGcmAad)).status().code(),
        absl::StatusCode::kDataLoss);
  }
  std::string aad = Bytes(kGcmAad);
  aad[0] ^= 1;
  EXPECT_EQ(Aes256GcmOpen(Bytes(kGcmKey), Bytes(kGcmNonce), sealed, aad).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Aes256GcmOpen(Bytes(kGcmKey), Bytes(kGcmNonce), sealed.substr(0, 10), Bytes(kGcmAad))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
}

TEST(Aes256Gcm, RefusesAKeyOrNonceOfTheWrongSize) {
  EXPECT_EQ(Aes256GcmSeal("short", Bytes(kGcmNonce), "x", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Aes256GcmSeal(Bytes(kGcmKey), "nonce", "x", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

std::string KeyFile(const std::string& active) {
  return std::string(R"({"active": ")") + active + R"(", "keys": [{"id": "k1", "hex": ")" +
         kKeyHex + R"("}, {"id": "k2", "hex": ")" + std::string(64, 'a') + R"("}]})";
}

TEST(KeyRing, ParsesTheKeyFileAndKnowsTheActiveKey) {
  auto ring = KeyRing::Parse(KeyFile("k2"));
  ASSERT_TRUE(ring.ok()) << ring.status();
  ASSERT_NE(ring->active(), nullptr);
  EXPECT_EQ(ring->active()->id, "k2");
  ASSERT_NE(ring->Find("k1"), nullptr);
  EXPECT_EQ(ring->Find("k1")->bytes, Bytes(kKeyHex));
  EXPECT_EQ(ring->Find("k3"), nullptr);
  auto again = KeyRing::Parse(ring->ToJson());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->active()->id, "k2");
  EXPECT_EQ(again->Find("k1")->bytes, Bytes(kKeyHex));
}

TEST(KeyRing, RefusesABadFileWithoutQuotingAKey) {
  const std::string short_key = "0123456789abcdef";
  for (const std::string& text :
       {std::string("not json"), std::string(R"({"active": "k1", "keys": []})"), KeyFile("k9"),
        R"({"active": "k1", "keys": [{"id": "k1", "hex": ")" + short_key + R"("}]})",
        R"({"active": "k 1", "keys": [{"id": "k 1", "hex": ")" + std::string(64, 'a') + R"("}]})",
        R"({"active": "k1", "keys": [{"id": "k1", "hex": ")" + std::string(64, 'a') +
            R"("}, {"id": "k1", "hex": ")" + std::string(64, 'b') + R"("}]})"}) {
    auto ring = KeyRing::Parse(text);
    EXPECT_EQ(ring.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_FALSE(absl::StrContains(ring.status().message(), short_key));
    EXPECT_FALSE(absl::StrContains(ring.status().message(), std::string(64, 'a')));
  }
  EXPECT_EQ(KeyRing::Load("/nonexistent/keys.json").status().code(), absl::StatusCode::kNotFound);
}

TEST(KeyRing, ANewActiveKeyKeepsTheOldOnes) {
  KeyRing ring = KeyRing::Generate("k1");
  auto rotated = ring.WithNewActiveKey("k2");
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->active()->id, "k2");
  EXPECT_EQ(rotated->Find("k1")->bytes, ring.Find("k1")->bytes);
  EXPECT_NE(rotated->Find("k2")->bytes, ring.Find("k1")->bytes);
  EXPECT_EQ(rotated->Find("k2")->bytes.size(), kKeyBytes);
  EXPECT_FALSE(rotated->WithNewActiveKey("k1").ok());
}

TEST(Pseudonym, IsKeyedAndStablePerKeyAndPurpose) {
  auto ring = KeyRing::Parse(KeyFile("k2"));
  ASSERT_TRUE(ring.ok());
  const SecretKey& k1 = *ring->Find("k1");
  const SecretKey& k2 = *ring->Find("k2");
  const std::string id = "110101199003070014";
  EXPECT_EQ(Pseudonym(k1, "buyer", id), Pseudonym(k1, "buyer", id));
  EXPECT_EQ(Pseudonym(k1, "buyer", id).size(), 64u);
  EXPECT_NE(Pseudonym(k1, "buyer", id), Pseudonym(k2, "buyer", id));
  EXPECT_NE(Pseudonym(k1, "buyer", id), Pseudonym(k1, "payer", id));
  // The subkey construction, pinned: HMAC(HMAC(key, "parkline pseudonym:buyer"), value).
  EXPECT_EQ(Pseudonym(k1, "buyer", id),
            Hex(HmacSha256(HmacSha256(k1.bytes, "parkline pseudonym:buyer"), id)));
  auto all = PseudonymsUnderEveryKey(*ring, "buyer", id);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key_id, "k2");  // the active key first
  EXPECT_EQ(all[0].pseudonym, Pseudonym(k2, "buyer", id));
  EXPECT_EQ(all[1].pseudonym, Pseudonym(k1, "buyer", id));
}

TEST(SealedBox, OpensWhatItSealedUnderAnyKeyOfTheRing) {
  KeyRing ring = KeyRing::Generate("k1");
  auto sealed = Seal(ring, "张三 110101199003070014", "declarations/documents/1/P/1");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->key_id, "k1");
  EXPECT_FALSE(absl::StrContains(sealed->box, "110101199003070014"));
  auto rotated = ring.WithNewActiveKey("k2");
  ASSERT_TRUE(rotated.ok());
  auto opened = Open(*rotated, *sealed, "declarations/documents/1/P/1");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "张三 110101199003070014");
  EXPECT_EQ(Seal(*rotated, "x", "a")->key_id, "k2");
}

TEST(SealedBox, TwoSealsOfTheSameTextDiffer) {
  KeyRing ring = KeyRing::Generate("k1");
  EXPECT_NE(Seal(ring, "same", "row")->box, Seal(ring, "same", "row")->box);
}

TEST(SealedBox, TamperedMovedOrRelabelledBoxesDoNotOpen) {
  auto ring = KeyRing::Parse(KeyFile("k1"));
  ASSERT_TRUE(ring.ok());
  auto sealed = Seal(*ring, "secret", "row-1");
  ASSERT_TRUE(sealed.ok());
  Sealed tampered = *sealed;
  tampered.box[tampered.box.size() / 2] ^= 0x20;
  EXPECT_EQ(Open(*ring, tampered, "row-1").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open(*ring, *sealed, "row-2").status().code(), absl::StatusCode::kDataLoss);
  Sealed relabelled = *sealed;
  relabelled.key_id = "k2";
  EXPECT_EQ(Open(*ring, relabelled, "row-1").status().code(), absl::StatusCode::kDataLoss);
  Sealed unknown = *sealed;
  unknown.key_id = "k9";
  EXPECT_EQ(Open(*ring, unknown, "row-1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Open(KeyRing::Generate("k1"), *sealed, "row-1").status().code(),
            absl::StatusCode::kDataLoss);  // same id, another key
  EXPECT_EQ(Seal(KeyRing(), "x", "row").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace parkline::secrets
