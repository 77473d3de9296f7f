#include "ceb/xml_signature.h"

#include <libxml/c14n.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ceb/ceb_reader.h"
#include "ceb/dxp_envelope.h"
#include "ceb/safe_xml.h"
#include "ceb/signature_crypto.h"

namespace parkline::ceb {
namespace {

using internal::FindChild;
using internal::IsElement;
using internal::TrimmedText;

const xmlChar* X(absl::string_view s) { return reinterpret_cast<const xmlChar*>(s.data()); }

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("signature: ", what));
}

// Whether `node` (an element, attribute or namespace node) lies inside `top`. libxml2 hands
// namespace nodes as xmlNs with their element as `parent`.
bool Inside(const xmlNode* top, xmlNodePtr node, xmlNodePtr parent) {
  const xmlNode* n = (node != nullptr && node->type == XML_NAMESPACE_DECL) ? parent : node;
  for (; n != nullptr; n = n->parent) {
    if (n == top) return true;
  }
  return false;
}

// The enveloped-signature transform: everything but the signature.
int OutsideSignature(void* signature, xmlNodePtr node, xmlNodePtr parent) {
  return Inside(static_cast<const xmlNode*>(signature), node, parent) ? 0 : 1;
}

// SignedInfo as a document subset: inclusive C14N then writes the namespaces in scope (ds and
// the message's own) on it, as every XML-DSig implementation does.
int InsideSignedInfo(void* signed_info, xmlNodePtr node, xmlNodePtr parent) {
  return Inside(static_cast<const xmlNode*>(signed_info), node, parent) ? 1 : 0;
}

absl::StatusOr<std::string> C14n(xmlDoc* doc, xmlC14NIsVisibleCallback visible, void* data) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
  if (!buffer) return absl::ResourceExhaustedError("libxml2 could not allocate a buffer");
  xmlOutputBufferPtr out = xmlOutputBufferCreateBuffer(buffer.get(), nullptr);
  if (out == nullptr) return absl::ResourceExhaustedError("libxml2 could not allocate a buffer");
  int rc = xmlC14NExecute(doc, visible, data, XML_C14N_1_0, nullptr, /*with_comments=*/0, out);
  int closed = xmlOutputBufferClose(out);
  if (rc < 0 || closed < 0) return absl::InternalError("libxml2 could not canonicalise (C14N)");
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     xmlBufferLength(buffer.get()));
}

// The root's <ds:Signature> children.
std::vector<xmlNode*> Signatures(const xmlNode* root) {
  std::vector<xmlNode*> out;
  for (xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (IsElement(n, kDsigNamespace, "Signature")) out.push_back(n);
  }
  return out;
}

std::string Base64(absl::string_view bytes) { return absl::Base64Escape(bytes); }

// Base64 text as XML carries it: wrapped into lines, so whitespace is dropped first.
absl::StatusOr<std::string> Unbase64(const xmlNode* node, absl::string_view what) {
  std::string text;
  for (char c : TrimmedText(node)) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) text.push_back(c);
  }
  std::string out;
  if (text.empty() || !absl::Base64Unescape(text, &out)) {
    return Bad(absl::StrCat(what, " is empty or not base64"));
  }
  return out;
}

xmlNode* Child(xmlNode* parent, xmlNs* ns, const char* name, absl::string_view text = {}) {
  std::string content(text);
  return xmlNewTextChild(parent, ns, X(name), text.empty() ? nullptr : X(content.c_str()));
}

void Algorithm(xmlNode* node, absl::string_view uri) {
  std::string value(uri);
  xmlNewProp(node, X("Algorithm"), X(value.c_str()));
}

struct ParsedSignedInfo {
  SignatureSuite suite;
  std::string digest;
};

absl::StatusOr<SignatureSuite> SuiteOfUri(absl::string_view uri, bool digest) {
  for (SignatureSuite s : {SignatureSuite::kSm2Sm3, SignatureSuite::kRsaSha1}) {
    if (uri == (digest ? DigestMethodUri(s) : SignatureMethodUri(s))) return s;
  }
  return Bad(absl::StrCat(digest ? "DigestMethod" : "SignatureMethod", " \"", uri,
                          "\" is not one of the specification's (clause 6.2.1)"));
}

// SignedInfo as clause 6.2.1 lays it out: C14N, one of the two suites (digest matching the
// signature method), one Reference to the whole message with the enveloped transform.
absl::StatusOr<ParsedSignedInfo> ReadSignedInfo(const xmlNode* info) {
  const xmlNode* c14n = FindChild(info, kDsigNamespace, "CanonicalizationMethod");
  if (c14n == nullptr || internal::Attribute(c14n, "Algorithm") != kC14nUri) {
    return Bad(absl::StrCat("CanonicalizationMethod must be ", kC14nUri));
  }
  const xmlNode* method = FindChild(info, kDsigNamespace, "SignatureMethod");
  if (method == nullptr) return Bad("no SignatureMethod");
  auto suite = SuiteOfUri(internal::Attribute(method, "Algorithm"), /*digest=*/false);
  if (!suite.ok()) return suite.status();
  int references = 0;
  const xmlNode* ref = nullptr;
  for (const xmlNode* n = info->children; n != nullptr; n = n->next) {
    if (IsElement(n, kDsigNamespace, "Reference")) {
      ++references;
      ref = n;
    }
  }
  if (references != 1) return Bad("SignedInfo must hold exactly one Reference");
  if (xmlHasProp(ref, X("URI")) == nullptr || internal::Attribute(ref, "URI") != "") {
    return Bad("the Reference must cover the whole message (URI=\"\")");
  }
  const xmlNode* transforms = FindChild(ref, kDsigNamespace, "Transforms");
  bool enveloped = false;
  if (transforms != nullptr) {
    for (const xmlNode* t = transforms->children; t != nullptr; t = t->next) {
      if (t->type != XML_ELEMENT_NODE) continue;
      std::string uri = internal::Attribute(t, "Algorithm");
      if (!IsElement(t, kDsigNamespace, "Transform") || (uri != kEnvelopedUri && uri != kC14nUri)) {
        return Bad(absl::StrCat("Transform \"", uri, "\" is not the enveloped signature's"));
      }
      enveloped = enveloped || uri == kEnvelopedUri;
    }
  }
  if (!enveloped) return Bad("the Reference lacks the enveloped-signature Transform");
  const xmlNode* digest_method = FindChild(ref, kDsigNamespace, "DigestMethod");
  if (digest_method == nullptr) return Bad("no DigestMethod");
  auto digest_suite = SuiteOfUri(internal::Attribute(digest_method, "Algorithm"), /*digest=*/true);
  if (!digest_suite.ok()) return digest_suite.status();
  if (*digest_suite != *suite) {
    return Bad(absl::StrCat("DigestMethod is ", SuiteName(*digest_suite),
                            "'s but SignatureMethod is ", SuiteName(*suite)));
  }
  const xmlNode* digest_value = FindChild(ref, kDsigNamespace, "DigestValue");
  if (digest_value == nullptr) return Bad("no DigestValue");
  auto digest = Unbase64(digest_value, "DigestValue");
  if (!digest.ok()) return digest.status();
  return ParsedSignedInfo{*suite, std::move(*digest)};
}

}  // namespace

absl::string_view SignatureMethodUri(SignatureSuite suite) {
  return suite == SignatureSuite::kSm2Sm3 ? "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"
                                          : "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
}

absl::string_view DigestMethodUri(SignatureSuite suite) {
  return suite == SignatureSuite::kSm2Sm3 ? "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
                                          : "http://www.w3.org/2000/09/xmldsig#sha1";
}

absl::string_view SuiteName(SignatureSuite suite) {
  return suite == SignatureSuite::kSm2Sm3 ? "sm2-sm3" : "rsa-sha1";
}

absl::StatusOr<std::string> SignEnveloped(absl::string_view xml, const SigningKey& key) {
  auto doc = internal::ParseUntrustedXml(xml, "the message to sign", kMaxCebMessageBytes);
  if (!doc.ok()) return doc.status();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!Signatures(root).empty()) return Bad("the message to sign is already signed");
  SignatureSuite suite = key.suite();
  auto canonical = C14n(doc->get(), nullptr, nullptr);
  if (!canonical.ok()) return canonical.status();
  auto digest = internal::Digest(suite, *canonical);
  if (!digest.ok()) return digest.status();

  xmlNode* sig = xmlNewNode(nullptr, X("Signature"));
  if (sig == nullptr || xmlAddChild(root, sig) == nullptr) {
    xmlFreeNode(sig);
    return absl::ResourceExhaustedError("libxml2 could not allocate the signature");
  }
  xmlNs* ds = xmlNewNs(sig, X(kDsigNamespace), X("ds"));
  xmlSetNs(sig, ds);
  xmlNode* info = Child(sig, ds, "SignedInfo");
  Algorithm(Child(info, ds, "CanonicalizationMethod"), kC14nUri);
  Algorithm(Child(info, ds, "SignatureMethod"), SignatureMethodUri(suite));
  xmlNode* ref = Child(info, ds, "Reference");
  xmlNewProp(ref, X("URI"), X(""));
  Algorithm(Child(Child(ref, ds, "Transforms"), ds, "Transform"), kEnvelopedUri);
  Algorithm(Child(ref, ds, "DigestMethod"), DigestMethodUri(suite));
  Child(ref, ds, "DigestValue", Base64(*digest));

  auto signed_info = C14n(doc->get(), InsideSignedInfo, info);
  if (!signed_info.ok()) return signed_info.status();
  auto value = key.Sign(*signed_info);
  if (!value.ok()) return value.status();
  Child(sig, ds, "SignatureValue", Base64(*value));
  xmlNode* key_info = Child(sig, ds, "KeyInfo");
  Child(key_info, ds, "KeyName", key.key_name());
  Child(Child(key_info, ds, "X509Data"), ds, "X509Certificate", Base64(key.certificate_der()));

  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &out, &size, "UTF-8");
  if (out == nullptr) return absl::ResourceExhaustedError("libxml2 could not write the message");
  std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(size));
  xmlFree(out);
  return result;
}

absl::StatusOr<VerifiedSignature> VerifyEnveloped(
    absl::string_view xml, const std::vector<std::string>& trusted_certificates_der) {
  auto opened = internal::OpenCebDocument(xml, "the signed message", kMaxCebMessageBytes);
  if (!opened.ok()) return opened.status();
  xmlDoc* doc = opened->doc.get();
  std::vector<xmlNode*> signatures = Signatures(opened->root());
  if (signatures.empty()) return Bad("the message is not signed (no <ds:Signature>)");
  if (signatures.size() > 1) return Bad("the message has more than one <ds:Signature>");
  xmlNode* sig = signatures.front();
  xmlNode* info = const_cast<xmlNode*>(FindChild(sig, kDsigNamespace, "SignedInfo"));
  if (info == nullptr) return Bad("no SignedInfo");
  auto parsed = ReadSignedInfo(info);
  if (!parsed.ok()) return parsed.status();
  const xmlNode* value_node = FindChild(sig, kDsigNamespace, "SignatureValue");
  if (value_node == nullptr) return Bad("no SignatureValue");
  auto value = Unbase64(value_node, "SignatureValue");
  if (!value.ok()) return value.status();
  const xmlNode* key_info = FindChild(sig, kDsigNamespace, "KeyInfo");
  const xmlNode* x509 =
      key_info == nullptr ? nullptr : FindChild(key_info, kDsigNamespace, "X509Data");
  const xmlNode* cert_node =
      x509 == nullptr ? nullptr : FindChild(x509, kDsigNamespace, "X509Certificate");
  if (cert_node == nullptr) return Bad("KeyInfo carries no X509Certificate");
  auto cert = Unbase64(cert_node, "X509Certificate");
  if (!cert.ok()) return cert.status();
  if (!trusted_certificates_der.empty()) {
    bool trusted = false;
    for (const std::string& t : trusted_certificates_der) trusted = trusted || t == *cert;
    if (!trusted) return Bad("the signing certificate is not the one configured as trusted");
  }

  auto canonical = C14n(doc, OutsideSignature, sig);
  if (!canonical.ok()) return canonical.status();
  auto digest = internal::Digest(parsed->suite, *canonical);
  if (!digest.ok()) return digest.status();
  if (*digest != parsed->digest) {
    return Bad("DigestValue does not match the message (it changed after signing)");
  }
  auto signed_info = C14n(doc, InsideSignedInfo, info);
  if (!signed_info.ok()) return signed_info.status();
  if (auto s = internal::EvpVerify(*cert, parsed->suite, *signed_info, *value); !s.ok()) return s;

  VerifiedSignature out;
  out.suite = parsed->suite;
  out.certificate_der = std::move(*cert);
  const xmlNode* name = FindChild(key_info, kDsigNamespace, "KeyName");
  if (name != nullptr) out.key_name = TrimmedText(name);
  return out;
}

absl::StatusOr<bool> IsSigned(absl::string_view xml) {
  auto opened = internal::OpenCebDocument(xml, "the message", kMaxCebMessageBytes);
  if (!opened.ok()) return opened.status();
  return !Signatures(opened->root()).empty();
}

absl::StatusOr<std::string> CanonicalForDigest(absl::string_view xml) {
  auto opened = internal::OpenCebDocument(xml, "the message", kMaxCebMessageBytes);
  if (!opened.ok()) return opened.status();
  std::vector<xmlNode*> signatures = Signatures(opened->root());
  if (signatures.size() > 1) return Bad("the message has more than one <ds:Signature>");
  if (signatures.empty()) return C14n(opened->doc.get(), nullptr, nullptr);
  return C14n(opened->doc.get(), OutsideSignature, signatures.front());
}

absl::StatusOr<std::string> LoadCertificateDer(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("certificate file ", path, ": cannot be read"));
  std::stringstream buf;
  buf << in.rdbuf();
  std::string bytes = buf.str();
  if (bytes.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
    internal::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
      internal::OpenSslErrors();
      return absl::InvalidArgumentError(
          absl::StrCat("certificate file ", path, ": not a readable PEM certificate"));
    }
    int len = i2d_X509(cert.get(), nullptr);
    std::string der(static_cast<size_t>(len > 0 ? len : 0), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert.get(), &p);
    return der;
  }
  if (!internal::ParseCertificate(bytes).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate file ", path, ": neither a PEM nor a DER certificate"));
  }
  return bytes;
}

}  // namespace parkline::ceb
