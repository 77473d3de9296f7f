#include "ceb/signature_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace parkline::ceb::internal {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

constexpr size_t kSm2Half = 32;  // bytes of r and of s on the 256-bit SM2 curve

const char* DigestName(SignatureSuite suite) {
  return suite == SignatureSuite::kSm2Sm3 ? "SM3" : "SHA1";
}

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Digest-sign/verify context with the SM2 user ID set where the suite needs it.
absl::StatusOr<MdCtxPtr> Context(EVP_PKEY* key, SignatureSuite suite, bool sign) {
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md) return absl::ResourceExhaustedError("OpenSSL could not allocate a digest context");
  EVP_PKEY_CTX* pctx = nullptr;
  int rc = sign ? EVP_DigestSignInit_ex(md.get(), &pctx, DigestName(suite), nullptr, nullptr, key,
                                        nullptr)
                : EVP_DigestVerifyInit_ex(md.get(), &pctx, DigestName(suite), nullptr, nullptr, key,
                                          nullptr);
  if (rc != 1) {
    return absl::InvalidArgumentError(absl::StrCat("signature: the key cannot ",
                                                   sign ? "sign" : "verify", " with ",
                                                   SuiteName(suite), ": ", OpenSslErrors()));
  }
  if (suite == SignatureSuite::kSm2Sm3 &&
      EVP_PKEY_CTX_set1_id(pctx, kSm2UserId.data(), kSm2UserId.size()) != 1) {
    return absl::InternalError(
        absl::StrCat("signature: OpenSSL refused the SM2 user ID: ", OpenSslErrors()));
  }
  return md;
}

// r||s from OpenSSL's DER SEQUENCE.
absl::StatusOr<std::string> DerToRaw(absl::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return absl::InternalError("signature: OpenSSL returned an unreadable SM2 signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kSm2Half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kSm2Half) < 0 || BN_bn2binpad(s, out + kSm2Half, kSm2Half) < 0) {
    return absl::InternalError("signature: an SM2 signature component is over 32 bytes");
  }
  return raw;
}

// DER SEQUENCE from r||s; DER input is returned as it is.
absl::StatusOr<std::string> RawToDer(absl::string_view signature) {
  if (signature.size() != 2 * kSm2Half) return std::string(signature);
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(signature), kSm2Half, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(signature) + kSm2Half, kSm2Half, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return absl::ResourceExhaustedError("OpenSSL could not allocate an SM2 signature");
  }
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return absl::InternalError("signature: OpenSSL could not encode r and s");
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &p);
  return der;
}

}  // namespace

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

absl::StatusOr<SignatureSuite> SuiteOfKey(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "SM2")) return SignatureSuite::kSm2Sm3;
  if (EVP_PKEY_is_a(key, "RSA")) return SignatureSuite::kRsaSha1;
  if (EVP_PKEY_is_a(key, "EC")) {
    char curve[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve,
                                       &len) == 1 &&
        absl::string_view(curve, len) == "SM2") {
      return SignatureSuite::kSm2Sm3;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("signature: a ", EVP_PKEY_get0_type_name(key),
                   " key; the specification signs with SM2 (preferred) or RSA"));
}

absl::StatusOr<std::string> Digest(SignatureSuite suite, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD* md = EVP_MD_fetch(nullptr, DigestName(suite), nullptr);
  int rc = md == nullptr ? 0 : EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  EVP_MD_free(md);
  if (rc != 1) {
    return absl::InternalError(
        absl::StrCat("signature: no ", DigestName(suite), " digest: ", OpenSslErrors()));
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

absl::StatusOr<std::string> EvpSign(EVP_PKEY* key, SignatureSuite suite, absl::string_view data) {
  auto md = Context(key, suite, /*sign=*/true);
  if (!md.ok()) return md.status();
  size_t len = 0;
  if (EVP_DigestSign(md->get(), nullptr, &len, Bytes(data), data.size()) != 1) {
    return absl::InternalError(absl::StrCat("signature: signing failed: ", OpenSslErrors()));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(md->get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(data),
                     data.size()) != 1) {
    return absl::InternalError(absl::StrCat("signature: signing failed: ", OpenSslErrors()));
  }
  sig.resize(len);
  if (suite == SignatureSuite::kSm2Sm3) return DerToRaw(sig);
  return sig;
}

absl::StatusOr<X509Ptr> ParseCertificate(absl::string_view der) {
  const unsigned char* p = Bytes(der);
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != Bytes(der) + der.size()) {
    ERR_clear_error();
    return absl::InvalidArgumentError("signature: the certificate is not a DER X.509 certificate");
  }
  return cert;
}

absl::Status EvpVerify(const std::string& certificate_der, SignatureSuite suite,
                       absl::string_view data, absl::string_view signature) {
  auto cert = ParseCertificate(certificate_der);
  if (!cert.ok()) return cert.status();
  EVP_PKEY* key = X509_get0_pubkey(cert->get());
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("signature: the certificate's public key is unreadable");
  }
  auto key_suite = SuiteOfKey(key);
  if (!key_suite.ok()) return key_suite.status();
  if (*key_suite != suite) {
    return absl::InvalidArgumentError(absl::StrCat("signature: SignatureMethod says ",
                                                   SuiteName(suite), " but the certificate is for ",
                                                   SuiteName(*key_suite)));
  }
  std::string sig(signature);
  if (suite == SignatureSuite::kSm2Sm3) {
    auto der = RawToDer(signature);
    if (!der.ok()) return der.status();
    sig = *der;
  }
  auto md = Context(key, suite, /*sign=*/false);
  if (!md.ok()) return md.status();
  int rc = EVP_DigestVerify(md->get(), Bytes(sig), sig.size(), Bytes(data), data.size());
  ERR_clear_error();
  if (rc != 1) {
    return absl::InvalidArgumentError(
        "signature: SignatureValue does not verify with the certificate's key");
  }
  return absl::OkStatus();
}

}  // namespace parkline::ceb::internal
