// The CEB business signature (xml_signature.h, signing_key.h) with keys made at test time: both
// suites signed then verified, a byte changed after signing refused, keys from PEM files and from
// a SoftHSM2 token created here (skipped, saying why, when SoftHSM2 is not installed).
#include "ceb/xml_signature.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ceb/signature_crypto.h"
#include "ceb/signing_key.h"
#include "tests/support/signing_keys.h"

namespace parkline::ceb {
namespace {

namespace fs = std::filesystem;
using testing::KeyFiles;
using testing::MakeKeyFiles;

constexpr char kMessage[] =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    "\n"
    R"(<ceb:CEB621Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" version="1.0" )"
    R"(guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94"><ceb:Inventory><ceb:InventoryHead>)"
    R"(<ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid><ceb:appStatus>2</ceb:appStatus>)"
    R"(<ceb:buyerName>李小宝</ceb:buyerName><ceb:note>a &amp; b</ceb:note></ceb:InventoryHead>)"
    R"(</ceb:Inventory><ceb:BaseTransfer><ceb:copCode>1101180326</ceb:copCode>)"
    R"(</ceb:BaseTransfer></ceb:CEB621Message>)";

// The text between <tag> and </tag> in `xml`, base64-decoded.
std::string Decoded(const std::string& xml, const std::string& tag) {
  size_t open = xml.find("<" + tag + ">");
  size_t close = xml.find("</" + tag + ">");
  if (open == std::string::npos || close == std::string::npos) return "";
  open += tag.size() + 2;
  std::string out;
  absl::Base64Unescape(xml.substr(open, close - open), &out);
  return out;
}

class SignatureTest : public ::testing::TestWithParam<SignatureSuite> {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / absl::StrCat("parkline-sig-", getpid(), "-",
                                                 ::testing::UnitTest::GetInstance()->random_seed());
    fs::create_directories(dir_);
    files_ = MakeKeyFiles(GetParam(), dir_, "signer");
    auto key = LoadPemSigningKey(files_.key, files_.certificate, "0001");
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = std::move(*key);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  KeyFiles files_;
  std::unique_ptr<SigningKey> key_;
};

TEST_P(SignatureTest, SignedMessageVerifiesWithTheSuiteTheKeyHas) {
  auto signed_xml = SignEnveloped(kMessage, *key_);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.status();
  EXPECT_NE(signed_xml->find(absl::StrCat("Algorithm=\"", SignatureMethodUri(GetParam()), "\"")),
            std::string::npos);
  EXPECT_NE(signed_xml->find(absl::StrCat("Algorithm=\"", DigestMethodUri(GetParam()), "\"")),
            std::string::npos);
  EXPECT_NE(signed_xml->find("<ds:KeyName>0001</ds:KeyName>"), std::string::npos);
  // The signature is the root's last child: nothing but the closing tag after it.
  size_t end = signed_xml->find("</ds:Signature>");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(signed_xml->substr(end), "</ds:Signature></ceb:CEB621Message>\n");
  bool sm2 = GetParam() == SignatureSuite::kSm2Sm3;
  EXPECT_EQ(Decoded(*signed_xml, "ds:DigestValue").size(), sm2 ? 32u : 20u);
  // SM2: r||s; RSA 2048: 256 bytes.
  EXPECT_EQ(Decoded(*signed_xml, "ds:SignatureValue").size(), sm2 ? 64u : 256u);
  EXPECT_EQ(Decoded(*signed_xml, "ds:X509Certificate"), key_->certificate_der());

  auto verified = VerifyEnveloped(*signed_xml);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->suite, GetParam());
  EXPECT_EQ(verified->key_name, "0001");
  EXPECT_TRUE(VerifyEnveloped(*signed_xml, {key_->certificate_der()}).ok());
  // The text survives signing: the canonical form of the signed message is the original's.
  EXPECT_EQ(*CanonicalForDigest(*signed_xml), *CanonicalForDigest(kMessage));
}

TEST_P(SignatureTest, OneByteChangedAfterSigningFailsVerification) {
  auto signed_xml = SignEnveloped(kMessage, *key_);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.status();
  std::string changed = *signed_xml;
  size_t at = changed.find("1101180326");
  ASSERT_NE(at, std::string::npos);
  changed[at] = '2';
  auto verified = VerifyEnveloped(changed);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(verified.status().message().find("signature: DigestValue does not match"),
            std::string::npos)
      << verified.status();

  // A changed SignedInfo (its digest, recomputed for a changed message) no longer verifies.
  std::string forged = *signed_xml;
  size_t value = forged.find("<ds:DigestValue>") + 16;
  forged[value] = forged[value] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyEnveloped(forged).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(SignatureTest, ACertificateOtherThanTheTrustedOneIsRefused) {
  auto signed_xml = SignEnveloped(kMessage, *key_);
  ASSERT_TRUE(signed_xml.ok());
  KeyFiles other = MakeKeyFiles(GetParam(), dir_, "other");
  auto other_cert = LoadCertificateDer(other.certificate);
  ASSERT_TRUE(other_cert.ok()) << other_cert.status();
  auto verified = VerifyEnveloped(*signed_xml, {*other_cert});
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(verified.status().message().find("not the one configured as trusted"),
            std::string::npos);
}

TEST_P(SignatureTest, AKeyWithSomeoneElsesCertificateIsRefusedAtLoad) {
  KeyFiles other = MakeKeyFiles(GetParam(), dir_, "other");
  auto key = LoadPemSigningKey(files_.key, other.certificate, "0001");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition) << key.status();
}

INSTANTIATE_TEST_SUITE_P(Suites, SignatureTest,
                         ::testing::Values(SignatureSuite::kSm2Sm3, SignatureSuite::kRsaSha1),
                         [](const auto& info) {
                           return info.param == SignatureSuite::kSm2Sm3 ? "Sm2Sm3" : "RsaSha1";
                         });

TEST(Signature, UnsignedOrDoublySignedMessagesAreRefused) {
  auto v = VerifyEnveloped(kMessage);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("not signed"), std::string::npos);
}

TEST(Signature, AnAlgorithmOutsideTheSpecificationIsRefused) {
  fs::path dir = fs::temp_directory_path() / absl::StrCat("parkline-sig-alg-", getpid());
  fs::create_directories(dir);
  KeyFiles files = MakeKeyFiles(SignatureSuite::kRsaSha1, dir, "k");
  auto key = LoadPemSigningKey(files.key, files.certificate, "k");
  ASSERT_TRUE(key.ok());
  auto signed_xml = SignEnveloped(kMessage, **key);
  ASSERT_TRUE(signed_xml.ok());
  std::string swapped = *signed_xml;
  std::string from(SignatureMethodUri(SignatureSuite::kRsaSha1));
  swapped.replace(swapped.find(from), from.size(),
                  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  auto v = VerifyEnveloped(swapped);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("SignatureMethod"), std::string::npos) << v.status();
  fs::remove_all(dir);
}

int Shell(const std::string& command, std::string* output = nullptr) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[512];
  std::string out;
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (output != nullptr) *output = out;
  return pclose(p);
}

// --- SM2 against the openssl command line: the same user ID, the same Z, both ways ------------

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(Signature, Sm2SignaturesInteroperateWithTheOpensslCommandLine) {
  if (Shell("openssl version") != 0) GTEST_SKIP() << "the openssl command is not installed";
  fs::path dir = fs::temp_directory_path() / absl::StrCat("parkline-sm2-cli-", getpid());
  fs::create_directories(dir);
  KeyFiles files = MakeKeyFiles(SignatureSuite::kSm2Sm3, dir, "k");
  auto key = LoadPemSigningKey(files.key, files.certificate, "k");
  ASSERT_TRUE(key.ok()) << key.status();
  const std::string data = "<ds:SignedInfo>canonical bytes</ds:SignedInfo>";
  std::ofstream(dir / "data", std::ios::binary) << data;
  const std::string id = absl::StrCat(" -pkeyopt distid:", kSm2UserId);

  // Ours, as DER, verified by the command line with the specification's user ID.
  auto ours = (*key)->Sign(data);
  ASSERT_TRUE(ours.ok());
  ASSERT_EQ(ours->size(), 64u);
  // r||s verifies with our own verifier, which re-encodes it as DER for OpenSSL.
  ASSERT_TRUE(
      internal::EvpVerify((*key)->certificate_der(), SignatureSuite::kSm2Sm3, data, *ours).ok());
  std::string out;
  ASSERT_EQ(
      Shell(absl::StrCat("openssl pkeyutl -sign -inkey ", files.key, " -rawin -digest sm3", id,
                         " -in ", (dir / "data").string(), " -out ", (dir / "cli.sig").string()),
            &out),
      0)
      << out;
  // The command line's signature (DER) verifies with ours.
  EXPECT_TRUE(internal::EvpVerify((*key)->certificate_der(), SignatureSuite::kSm2Sm3, data,
                                  ReadAll(dir / "cli.sig"))
                  .ok());
  // And ours, re-encoded as DER, verifies with the command line's, only with the same user ID.
  std::string r = ours->substr(0, 32), s = ours->substr(32);
  auto der_int = [](std::string v) {
    size_t i = 0;
    while (i + 1 < v.size() && v[i] == '\0' && !(v[i + 1] & 0x80)) ++i;
    v = v.substr(i);
    if (v[0] & 0x80) v.insert(v.begin(), '\0');
    return std::string("\x02") + static_cast<char>(v.size()) + v;
  };
  std::string body = der_int(r) + der_int(s);
  std::ofstream(dir / "ours.sig", std::ios::binary)
      << (std::string("\x30") + static_cast<char>(body.size()) + body);
  std::string verify = absl::StrCat("openssl pkeyutl -verify -certin -inkey ", files.certificate,
                                    " -rawin -digest sm3 -in ", (dir / "data").string(),
                                    " -sigfile ", (dir / "ours.sig").string());
  EXPECT_EQ(Shell(verify + id, &out), 0) << out;
  // Without it the command line takes an empty ID: a different Z, and the signature fails.
  EXPECT_NE(Shell(verify, &out), 0) << out;
  fs::remove_all(dir);
}

// --- PKCS#11: a SoftHSM2 token made for the test ----------------------------------------------

constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";

class Pkcs11Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kSoftHsmModule) || Shell("command -v softhsm2-util") != 0) {
      GTEST_SKIP() << "SoftHSM2 is not installed (Debian package softhsm2; tools/dev deps "
                      "installs it)";
    }
    dir_ = fs::temp_directory_path() / absl::StrCat("parkline-p11-", getpid());
    fs::create_directories(dir_ / "tokens");
    std::ofstream(dir_ / "softhsm2.conf") << "directories.tokendir = " << (dir_ / "tokens").string()
                                          << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
    std::string out;
    ASSERT_EQ(
        Shell("softhsm2-util --init-token --free --label parkline --pin 1234 --so-pin 5678", &out),
        0)
        << out;
    // "... is reassigned to slot N"
    size_t at = out.rfind("slot ");
    ASSERT_NE(at, std::string::npos) << out;
    slot_ = std::stoll(out.substr(at + 5));
    files_ = MakeKeyFiles(SignatureSuite::kRsaSha1, dir_, "device");
    ASSERT_EQ(Shell(absl::StrCat("softhsm2-util --import ", files_.key,
                                 " --token parkline --label signer --id 01 --pin 1234"),
                    &out),
              0)
        << out;
    // The key is on the token now; the file is gone, as on a real device.
    fs::remove(files_.key);
    std::ofstream(dir_ / "pin") << "1234\n";
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  Pkcs11Options Options() const {
    Pkcs11Options o;
    o.module_path = kSoftHsmModule;
    o.token_label = "parkline";
    o.pin_file = (dir_ / "pin").string();
    o.key_label = "signer";
    o.certificate_path = files_.certificate;
    o.key_name = "device-0001";
    return o;
  }

  fs::path dir_;
  int64_t slot_ = -1;
  KeyFiles files_;
};

TEST_F(Pkcs11Test, TheTokenSignsAndTheSignatureVerifies) {
  auto key = OpenPkcs11SigningKey(Options());
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ((*key)->suite(), SignatureSuite::kRsaSha1);
  auto signed_xml = SignEnveloped(kMessage, **key);
  ASSERT_TRUE(signed_xml.ok()) << signed_xml.status();
  auto verified = VerifyEnveloped(*signed_xml, {(*key)->certificate_der()});
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->key_name, "device-0001");
}

TEST_F(Pkcs11Test, TheSlotCanBeNamedByItsId) {
  Pkcs11Options o = Options();
  o.token_label.clear();
  o.slot_id = slot_;
  auto key = OpenPkcs11SigningKey(o);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(SignEnveloped(kMessage, **key).ok());
}

TEST_F(Pkcs11Test, AWrongPinOrKeyLabelSaysWhichStepFailed) {
  Pkcs11Options o = Options();
  std::ofstream(dir_ / "wrong-pin") << "0000";
  o.pin_file = (dir_ / "wrong-pin").string();
  auto key = OpenPkcs11SigningKey(o);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("login"), std::string::npos) << key.status();

  o = Options();
  o.key_label = "nobody";
  key = OpenPkcs11SigningKey(o);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(key.status().message().find("\"nobody\""), std::string::npos) << key.status();
}

}  // namespace
}  // namespace parkline::ceb
