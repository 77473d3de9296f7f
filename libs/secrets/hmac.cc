#include "secrets/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace parkline::secrets {

std::string HmacSha256(absl::string_view key, absl::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
           &size) == nullptr) {
    std::abort();  // only when OpenSSL cannot allocate: no safe value to return
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace parkline::secrets
