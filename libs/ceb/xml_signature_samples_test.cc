// The business signature against customs' official samples (PARKLINE_CEB_REFERENCE, never copied
// here; skipped without them): what the digest covers is libxml2's C14N of the sample with its
// <ds:Signature> cut out as text, byte for byte; every sample signs and verifies with keys made
// here, in both suites; and the samples' own signatures are shown for what they are.
#include <gtest/gtest.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ceb/signing_key.h"
#include "ceb/xml_signature.h"
#include "tests/support/ceb_reference.h"
#include "tests/support/signing_keys.h"

namespace parkline::ceb {
namespace {

namespace fs = std::filesystem;

// Every official sample that carries a signature.
const std::vector<std::string>& SignedSamples() {
  static const std::vector<std::string> samples = {
      "samples/import/CEB311Message.xml", "samples/import/CEB411Message.xml",
      "samples/import/CEB511Message.xml", "samples/import/CEB513Message.xml",
      "samples/import/CEB621Message.xml", "samples/import/CEB623Message.xml",
      "samples/import/CEB625Message.xml", "samples/import/CEB711Message.xml",
      "samples/export/CEB213Message.xml", "samples/export/CEB215Message.xml",
      "samples/export/CEB303Message.xml", "samples/export/CEB403Message.xml",
      "samples/export/CEB505Message.xml", "samples/export/CEB507Message.xml",
      "samples/export/CEB509Message.xml", "samples/export/CEB603Message.xml",
      "samples/export/CEB605Message.xml", "samples/export/CEB607Message.xml",
      "samples/export/CEB701Message.xml"};
  return samples;
}

std::string Read(const std::string& relative) {
  std::ifstream in(testing::CebReference(relative), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The sample with its signature removed as text (the enveloped-signature transform done by
// hand), then canonicalised whole by xmlC14NDocDumpMemory: an independent path to the bytes the
// DigestValue must cover.
std::string ReferenceC14n(const std::string& xml) {
  size_t from = xml.find("<ds:Signature");
  size_t to = xml.find("</ds:Signature>");
  std::string cut = xml;
  if (from != std::string::npos && to != std::string::npos) {
    cut.erase(from, to + std::string("</ds:Signature>").size() - from);
  }
  xmlDocPtr doc = xmlReadMemory(cut.data(), static_cast<int>(cut.size()), "sample.xml", nullptr,
                                XML_PARSE_NONET);
  if (doc == nullptr) return "unparsable";
  xmlChar* out = nullptr;
  int size = xmlC14NDocDumpMemory(doc, nullptr, XML_C14N_1_0, nullptr, 0, &out);
  std::string result = size < 0 ? "c14n failed" : std::string(reinterpret_cast<char*>(out), size);
  xmlFree(out);
  xmlFreeDoc(doc);
  return result;
}

TEST(SignatureSamples, TheDigestCoversLibxml2sC14nOfEachSampleWithoutItsSignature) {
  for (const std::string& s : SignedSamples()) PARKLINE_REQUIRE_CEB_REFERENCE(s);
  for (const std::string& s : SignedSamples()) {
    std::string xml = Read(s);
    auto canonical = CanonicalForDigest(xml);
    ASSERT_TRUE(canonical.ok()) << s << ": " << canonical.status();
    EXPECT_EQ(*canonical, ReferenceC14n(xml)) << s;
    // C14N as the specification means it: no declaration, no signature, text kept.
    EXPECT_EQ(canonical->find("<?xml"), std::string::npos) << s;
    EXPECT_EQ(canonical->find("Signature"), std::string::npos) << s;
    EXPECT_NE(canonical->find("</ceb:BaseTransfer>"), std::string::npos) << s;
  }
}

// The samples' signatures are placeholders: one DigestValue and SignatureValue copied into 19
// different messages, a 20-byte (SHA-1 sized) digest under an SM3 method, an RSA-1024
// certificate under an SM2 method. None can verify; the verifier must say so, at the digest.
TEST(SignatureSamples, TheSamplesOwnSignaturesArePlaceholdersAndAreRefused) {
  for (const std::string& s : SignedSamples()) PARKLINE_REQUIRE_CEB_REFERENCE(s);
  std::set<std::string> digests;
  for (const std::string& s : SignedSamples()) {
    std::string xml = Read(s);
    size_t at = xml.find("<ds:DigestValue>");
    ASSERT_NE(at, std::string::npos) << s;
    digests.insert(xml.substr(at, xml.find("</ds:DigestValue>") - at));
    auto v = VerifyEnveloped(xml);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_NE(v.status().message().find("DigestValue does not match"), std::string::npos)
        << s << ": " << v.status();
  }
  EXPECT_EQ(digests.size(), 1u) << "the samples now carry distinct digests: try verifying them";
}

class SampleSigningTest : public ::testing::TestWithParam<SignatureSuite> {};

TEST_P(SampleSigningTest, EverySampleSignsAndVerifiesAndAChangedByteIsCaught) {
  for (const std::string& s : SignedSamples()) PARKLINE_REQUIRE_CEB_REFERENCE(s);
  fs::path dir = fs::temp_directory_path() / absl::StrCat("parkline-sig-samples-", getpid());
  fs::create_directories(dir);
  auto files = testing::MakeKeyFiles(GetParam(), dir, "park");
  auto key = LoadPemSigningKey(files.key, files.certificate, "0001");
  ASSERT_TRUE(key.ok()) << key.status();
  for (const std::string& s : SignedSamples()) {
    std::string xml = Read(s);
    // The sample without its placeholder signature is what a park would sign.
    size_t from = xml.find("<ds:Signature");
    size_t to = xml.find("</ds:Signature>") + std::string("</ds:Signature>").size();
    xml.erase(from, to - from);
    auto signed_xml = SignEnveloped(xml, **key);
    ASSERT_TRUE(signed_xml.ok()) << s << ": " << signed_xml.status();
    auto verified = VerifyEnveloped(*signed_xml, {(*key)->certificate_der()});
    EXPECT_TRUE(verified.ok()) << s << ": " << verified.status();
    EXPECT_EQ(*CanonicalForDigest(*signed_xml), ReferenceC14n(xml)) << s;
    // One byte of Chinese text changed (the first 测 becomes 浏: one UTF-8 byte apart).
    std::string changed = *signed_xml;
    size_t at = changed.find("\xE6\xB5\x8B");
    if (at != std::string::npos) {
      changed[at + 2] = static_cast<char>(0x8F);
      EXPECT_FALSE(VerifyEnveloped(changed).ok()) << s;
    }
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Suites, SampleSigningTest,
                         ::testing::Values(SignatureSuite::kSm2Sm3, SignatureSuite::kRsaSha1),
                         [](const auto& info) {
                           return info.param == SignatureSuite::kSm2Sm3 ? "Sm2Sm3" : "RsaSha1";
                         });

}  // namespace
}  // namespace parkline::ceb
