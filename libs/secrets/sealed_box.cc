#include "secrets/sealed_box.h"

#include <openssl/rand.h>

#include "absl/strings/str_cat.h"
#include "secrets/aes_gcm.h"
#include "secrets/hmac.h"

namespace parkline::secrets {
namespace {

std::string SealKey(const SecretKey& key) {
  return HmacSha256(key.bytes, "parkline seal:aes-256-gcm");
}

std::string BoundAad(absl::string_view key_id, absl::string_view aad) {
  // The id's length first, so that no (id, aad) pair can be read as another.
  return absl::StrCat(key_id.size(), ":", key_id, ":", aad);
}

}  // namespace

absl::StatusOr<Sealed> Seal(const KeyRing& ring, absl::string_view plaintext,
                            absl::string_view aad) {
  const SecretKey* key = ring.active();
  if (key == nullptr) {
    return absl::FailedPreconditionError("no personal-data key: the key ring is empty");
  }
  std::string nonce(kGcmNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kGcmNonceBytes) != 1) {
    return absl::InternalError("no random nonce could be drawn");
  }
  auto box = Aes256GcmSeal(SealKey(*key), nonce, plaintext, BoundAad(key->id, aad));
  if (!box.ok()) return box.status();
  return Sealed{key->id, nonce + *box};
}

absl::StatusOr<std::string> Open(const KeyRing& ring, const Sealed& sealed, absl::string_view aad) {
  const SecretKey* key = ring.Find(sealed.key_id);
  if (key == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("personal-data key '", sealed.key_id, "' is not in the key ring"));
  }
  if (sealed.box.size() < kGcmNonceBytes + kGcmTagBytes) {
    return absl::DataLossError("sealed data is truncated");
  }
  absl::string_view box(sealed.box);
  return Aes256GcmOpen(SealKey(*key), box.substr(0, kGcmNonceBytes), box.substr(kGcmNonceBytes),
                       BoundAad(key->id, aad));
}

}  // namespace parkline::secrets
