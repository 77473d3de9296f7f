// Internal to parkline_ceb (it exposes OpenSSL types, which the library links privately): the
// signature primitives of the two suites of xml_signature.h over OpenSSL 3.0's EVP interface.
//
// Thread-safety: thread-safe; an EVP_PKEY may be shared for signing (OpenSSL allows concurrent
// use of a key that is not modified).
#ifndef PARKLINE_CEB_SIGNATURE_CRYPTO_H_
#define PARKLINE_CEB_SIGNATURE_CRYPTO_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ceb/xml_signature.h"

namespace parkline::ceb::internal {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

// The suite a key signs with: SM2 (an SM2 key, or an EC key on the SM2 curve) or RSA.
// INVALID_ARGUMENT for any other key type.
absl::StatusOr<SignatureSuite> SuiteOfKey(const EVP_PKEY* key);

// The SM3 or SHA-1 digest of `data`.
absl::StatusOr<std::string> Digest(SignatureSuite suite, absl::string_view data);

// Signs `data` with `key` (digest inside). SM2 results are returned as r||s (64 bytes).
absl::StatusOr<std::string> EvpSign(EVP_PKEY* key, SignatureSuite suite, absl::string_view data);

// OK when `signature` over `data` verifies with the public key of `certificate_der`. SM2
// signatures are accepted as r||s or DER. INVALID_ARGUMENT otherwise.
absl::Status EvpVerify(const std::string& certificate_der, SignatureSuite suite,
                       absl::string_view data, absl::string_view signature);

// The certificate as OpenSSL holds it. INVALID_ARGUMENT when `der` is not a certificate.
absl::StatusOr<X509Ptr> ParseCertificate(absl::string_view der);

// OpenSSL's error queue as text (emptied), for error messages.
std::string OpenSslErrors();

}  // namespace parkline::ceb::internal

#endif  // PARKLINE_CEB_SIGNATURE_CRYPTO_H_
