// Signing keys made at test time for the CEB business signature (libs/ceb/xml_signature.h): a
// fresh SM2 or RSA 2048 key and a self-signed X.509 v3 certificate for it, written as PEM files
// (the key unencrypted PKCS#8, as a Kubernetes Secret would mount it and as softhsm2-util
// imports it). Nothing here is a real customs certificate.
#ifndef PARKLINE_TESTS_SUPPORT_SIGNING_KEYS_H_
#define PARKLINE_TESTS_SUPPORT_SIGNING_KEYS_H_

#include <filesystem>
#include <string>

#include "ceb/xml_signature.h"

namespace parkline::testing {

struct KeyFiles {
  std::string key;          // <dir>/<name>-key.pem
  std::string certificate;  // <dir>/<name>-cert.pem
};

// Fails the calling test (ADD_FAILURE) and returns empty paths when OpenSSL cannot make them.
KeyFiles MakeKeyFiles(ceb::SignatureSuite suite, const std::filesystem::path& dir,
                      const std::string& name);

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_SIGNING_KEYS_H_
