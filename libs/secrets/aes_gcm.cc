#include "secrets/aes_gcm.h"

#include <openssl/evp.h>

#include <memory>

#include "secrets/key_ring.h"

namespace parkline::secrets {
namespace {

using Context = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::Status CheckSizes(absl::string_view key, absl::string_view nonce) {
  if (key.size() != kKeyBytes) return absl::InvalidArgumentError("AES-256 needs a 32-byte key");
  if (nonce.size() != kGcmNonceBytes) {
    return absl::InvalidArgumentError("AES-GCM needs a 12-byte nonce");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> Aes256GcmSeal(absl::string_view key, absl::string_view nonce,
                                          absl::string_view plaintext, absl::string_view aad) {
  if (auto s = CheckSizes(key, nonce); !s.ok()) return s;
  Context ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  int total = 0;
  // The default IV length of EVP_aes_256_gcm is the 12 bytes used here.
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                                      Bytes(nonce)) == 1;
  ok = ok &&
       (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), aad.size()) == 1);
  ok = ok && EVP_EncryptUpdate(ctx.get(), data, &len, Bytes(plaintext), plaintext.size()) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), data + total, &len) == 1;
  total += len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, data + total) == 1;
  if (!ok) return absl::InternalError("AES-256-GCM encryption failed");
  return out;
}

absl::StatusOr<std::string> Aes256GcmOpen(absl::string_view key, absl::string_view nonce,
                                          absl::string_view sealed, absl::string_view aad) {
  if (auto s = CheckSizes(key, nonce); !s.ok()) return s;
  if (sealed.size() < kGcmTagBytes) return absl::DataLossError("sealed data is truncated");
  absl::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagBytes);
  std::string tag(sealed.substr(ciphertext.size()));
  Context ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(ciphertext.size(), '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                                      Bytes(nonce)) == 1;
  ok = ok &&
       (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), aad.size()) == 1);
  ok = ok && EVP_DecryptUpdate(ctx.get(), data, &len, Bytes(ciphertext), ciphertext.size()) == 1;
  int total = len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) == 1;
  if (!ok) return absl::InternalError("AES-256-GCM decryption failed");
  // Final is where the tag is checked: nothing decrypted is returned unless it authenticates.
  if (EVP_DecryptFinal_ex(ctx.get(), data + total, &len) != 1) {
    return absl::DataLossError("sealed data does not authenticate (tampered, or another key)");
  }
  out.resize(total + len);
  return out;
}

}  // namespace parkline::secrets
