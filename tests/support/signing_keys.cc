#include "tests/support/signing_keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

namespace parkline::testing {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct FileClose {
  void operator()(FILE* f) const { fclose(f); }
};

}  // namespace

KeyFiles MakeKeyFiles(ceb::SignatureSuite suite, const std::filesystem::path& dir,
                      const std::string& name) {
  bool sm2 = suite == ceb::SignatureSuite::kSm2Sm3;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      sm2 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2")
          : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!key || !cert) {
    ADD_FAILURE() << "OpenSSL could not make a " << (sm2 ? "SM2" : "RSA") << " key";
    return {};
  }
  X509_set_version(cert.get(), 2);  // v3
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  if (X509_sign(cert.get(), key.get(), sm2 ? EVP_sm3() : EVP_sha256()) <= 0) {
    ADD_FAILURE() << "OpenSSL could not self-sign the " << name << " certificate";
    return {};
  }
  KeyFiles files{(dir / (name + "-key.pem")).string(), (dir / (name + "-cert.pem")).string()};
  std::unique_ptr<FILE, FileClose> k(fopen(files.key.c_str(), "w"));
  std::unique_ptr<FILE, FileClose> c(fopen(files.certificate.c_str(), "w"));
  if (!k || !c ||
      PEM_write_PrivateKey(k.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_X509(c.get(), cert.get()) != 1) {
    ADD_FAILURE() << "could not write the key files in " << dir;
    return {};
  }
  return files;
}

}  // namespace parkline::testing
