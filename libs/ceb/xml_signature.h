// The CEB messages' business signature (specification 202205, clause 6): a W3C XML digital
// signature, enveloped (<ds:Signature> is the last child of the root and the reference, URI "",
// covers the whole message without it), canonicalised with C14N 1.0 (REC-xml-c14n-20010315,
// without comments), the signer's X.509 v3 certificate and key name in <ds:KeyInfo>. Two suites:
// - SM2 with SM3 (the national one, preferred): SignatureMethod
//   http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3, DigestMethod ...#sm3. The SM2 user ID
//   that enters Z (GM/T 0009) is the standard default "1234567812345678": neither the
//   specification nor the samples name another. The SignatureValue is r||s, 32 bytes each (the
//   GM/T 0009 raw form the e-Port's devices return); the verifier also accepts the DER SEQUENCE.
// - RSA with SHA-1 (the general one): http://www.w3.org/2000/09/xmldsig#rsa-sha1, digest ...#sha1,
//   PKCS#1 v1.5.
//
// The private key sits behind SigningKey (signing_key.h): a PEM file, or a PKCS#11 device that
// signs without letting the key out.
//
// Thread-safety: the functions are thread-safe; a SigningKey must be too.
#ifndef PARKLINE_CEB_XML_SIGNATURE_H_
#define PARKLINE_CEB_XML_SIGNATURE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace parkline::ceb {

enum class SignatureSuite { kSm2Sm3, kRsaSha1 };

inline constexpr absl::string_view kC14nUri = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
inline constexpr absl::string_view kEnvelopedUri =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr absl::string_view kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

// The SignatureMethod / DigestMethod algorithm URIs of a suite, and the short name metrics and
// logs use ("sm2-sm3", "rsa-sha1").
absl::string_view SignatureMethodUri(SignatureSuite suite);
absl::string_view DigestMethodUri(SignatureSuite suite);
absl::string_view SuiteName(SignatureSuite suite);

// The SM2 user ID (GM/T 0009-2012 default), for signers and verifiers alike.
inline constexpr absl::string_view kSm2UserId = "1234567812345678";

// A private key and its certificate. Implementations are thread-safe.
class SigningKey {
 public:
  virtual ~SigningKey() = default;
  virtual SignatureSuite suite() const = 0;
  // The signer's X.509 v3 certificate, DER.
  virtual const std::string& certificate_der() const = 0;
  // Written in <ds:KeyName>: the name the data centre knows the certificate by.
  virtual const std::string& key_name() const = 0;
  // The SignatureValue over `data` (the canonical SignedInfo); the digest is computed inside
  // (SM3 with Z for SM2, SHA-1 for RSA). UNAVAILABLE when a device does not answer.
  virtual absl::StatusOr<std::string> Sign(absl::string_view data) const = 0;
};

// `xml` (a complete CEB message without signature) with its enveloped <ds:Signature> appended as
// the root's last child, in the document's own bytes otherwise (re-serialised by libxml2, UTF-8).
// INVALID_ARGUMENT when `xml` is not well-formed or already has a signature; the key's error when
// it cannot sign.
absl::StatusOr<std::string> SignEnveloped(absl::string_view xml, const SigningKey& key);

struct VerifiedSignature {
  SignatureSuite suite;
  std::string certificate_der;
  std::string key_name;
};

// Checks the enveloped signature of a CEB message (bare, or inside a DxpMsg envelope: the message
// inside is checked). With `trusted_certificates_der` empty, the certificate in KeyInfo is used
// as it is (the service checking what it has just signed); otherwise KeyInfo's certificate must be
// one of them, byte for byte (customs' certificate as configured). Chains and validity dates are
// not checked: the certificate is pinned.
// INVALID_ARGUMENT naming "signature" and what is wrong: no signature, an algorithm other than
// the specification's, a reference other than the whole message, a digest that does not match
// (the message changed), a signature value that does not verify, an untrusted certificate.
absl::StatusOr<VerifiedSignature> VerifyEnveloped(
    absl::string_view xml, const std::vector<std::string>& trusted_certificates_der = {});

// Whether the CEB message (bare or in a DxpMsg) carries a <ds:Signature> under its root; the
// parse error when it is not well-formed.
absl::StatusOr<bool> IsSigned(absl::string_view xml);

// What the DigestValue covers: libxml2's C14N 1.0 (no comments) of the message without its
// enveloped <ds:Signature>. For tests and for comparing with another implementation.
absl::StatusOr<std::string> CanonicalForDigest(absl::string_view xml);

// A certificate file, PEM or DER, as DER. NOT_FOUND / INVALID_ARGUMENT naming the file.
absl::StatusOr<std::string> LoadCertificateDer(const std::string& path);

}  // namespace parkline::ceb

#endif  // PARKLINE_CEB_XML_SIGNATURE_H_
