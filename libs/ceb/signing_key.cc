#include "ceb/signing_key.h"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <p11-kit/pkcs11.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ceb/signature_crypto.h"

namespace parkline::ceb {
namespace {

constexpr absl::string_view kSelfCheck = "parkline: does this key belong to this certificate?";

// A signature with the key, verified with the certificate: FAILED_PRECONDITION when they are not
// a pair.
absl::Status CheckPair(const SigningKey& key) {
  auto sig = key.Sign(kSelfCheck);
  if (!sig.ok()) return sig.status();
  if (!internal::EvpVerify(key.certificate_der(), key.suite(), kSelfCheck, *sig).ok()) {
    return absl::FailedPreconditionError(
        "signer: the private key does not belong to the certificate (a test signature does not "
        "verify with it)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(what, " ", path, ": cannot be read"));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class PemKey final : public SigningKey {
 public:
  PemKey(internal::PkeyPtr key, SignatureSuite suite, std::string cert, std::string name)
      : key_(std::move(key)), suite_(suite), cert_(std::move(cert)), name_(std::move(name)) {}
  SignatureSuite suite() const override { return suite_; }
  const std::string& certificate_der() const override { return cert_; }
  const std::string& key_name() const override { return name_; }
  absl::StatusOr<std::string> Sign(absl::string_view data) const override {
    return internal::EvpSign(key_.get(), suite_, data);
  }

 private:
  internal::PkeyPtr key_;
  SignatureSuite suite_;
  std::string cert_;
  std::string name_;
};

std::string Rv(CK_RV rv) { return absl::StrCat("CKR 0x", absl::Hex(rv)); }

// One logged-in session on the device; C_Finalize and dlclose on destruction.
class Pkcs11Key final : public SigningKey {
 public:
  ~Pkcs11Key() override {
    if (fns_ != nullptr) {
      if (session_ != CK_INVALID_HANDLE) {
        fns_->C_Logout(session_);
        fns_->C_CloseSession(session_);
      }
      if (initialized_) fns_->C_Finalize(nullptr);
    }
    if (module_ != nullptr) dlclose(module_);
  }

  absl::Status Open(const Pkcs11Options& o) {
    module_ = dlopen(o.module_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module_ == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("pkcs11: module ", o.module_path, " cannot be loaded: ", dlerror()));
    }
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(module_, "C_GetFunctionList"));
    if (get == nullptr || get(&fns_) != CKR_OK || fns_ == nullptr) {
      fns_ = nullptr;
      return absl::FailedPreconditionError(
          absl::StrCat("pkcs11: ", o.module_path, " is not a PKCS#11 module"));
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    if (CK_RV rv = fns_->C_Initialize(&args); rv != CKR_OK) {
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: C_Initialize: ", Rv(rv)));
    }
    initialized_ = true;
    auto slot = FindSlot(o);
    if (!slot.ok()) return slot.status();
    if (CK_RV rv = fns_->C_OpenSession(*slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session_);
        rv != CKR_OK) {
      session_ = CK_INVALID_HANDLE;
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: C_OpenSession: ", Rv(rv)));
    }
    auto pin = ReadFile(o.pin_file, "pkcs11 PIN file");
    if (!pin.ok()) return pin.status();
    std::string p(absl::StripTrailingAsciiWhitespace(*pin));
    if (CK_RV rv =
            fns_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(p.data()), p.size());
        rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
      return absl::FailedPreconditionError(
          absl::StrCat("pkcs11: login with the PIN from ", o.pin_file, " refused: ", Rv(rv)));
    }
    auto key = FindObject(CKO_PRIVATE_KEY, o.key_label);
    if (!key.ok()) return key.status();
    key_ = *key;
    CK_KEY_TYPE type = 0;
    CK_ATTRIBUTE attr{CKA_KEY_TYPE, &type, sizeof type};
    if (CK_RV rv = fns_->C_GetAttributeValue(session_, key_, &attr, 1); rv != CKR_OK) {
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: key type: ", Rv(rv)));
    }
    if (type != CKK_RSA) {
      return absl::FailedPreconditionError(absl::StrCat(
          "pkcs11: key \"", o.key_label, "\" is of PKCS#11 key type 0x", absl::Hex(type),
          "; only RSA keys sign through PKCS#11 here (SM2 mechanisms are vendor-defined)"));
    }
    if (!o.certificate_path.empty()) {
      auto cert = LoadCertificateDer(o.certificate_path);
      if (!cert.ok()) return cert.status();
      cert_ = std::move(*cert);
    } else {
      auto cert = CertificateOnToken(o.key_label);
      if (!cert.ok()) return cert.status();
      cert_ = std::move(*cert);
    }
    name_ = o.key_name;
    return absl::OkStatus();
  }

  SignatureSuite suite() const override { return SignatureSuite::kRsaSha1; }
  const std::string& certificate_der() const override { return cert_; }
  const std::string& key_name() const override { return name_; }

  absl::StatusOr<std::string> Sign(absl::string_view data) const override {
    std::lock_guard<std::mutex> lock(mu_);
    CK_MECHANISM mech{CKM_SHA1_RSA_PKCS, nullptr, 0};
    if (CK_RV rv = fns_->C_SignInit(session_, &mech, key_); rv != CKR_OK) {
      return absl::UnavailableError(absl::StrCat("pkcs11: C_SignInit: ", Rv(rv)));
    }
    auto* in = reinterpret_cast<CK_BYTE*>(const_cast<char*>(data.data()));
    CK_ULONG len = 0;
    if (CK_RV rv = fns_->C_Sign(session_, in, data.size(), nullptr, &len); rv != CKR_OK) {
      return absl::UnavailableError(absl::StrCat("pkcs11: C_Sign: ", Rv(rv)));
    }
    std::string out(len, '\0');
    if (CK_RV rv =
            fns_->C_Sign(session_, in, data.size(), reinterpret_cast<CK_BYTE*>(out.data()), &len);
        rv != CKR_OK) {
      return absl::UnavailableError(absl::StrCat("pkcs11: C_Sign: ", Rv(rv)));
    }
    out.resize(len);
    return out;
  }

 private:
  absl::StatusOr<CK_SLOT_ID> FindSlot(const Pkcs11Options& o) {
    CK_ULONG count = 0;
    if (CK_RV rv = fns_->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK) {
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: C_GetSlotList: ", Rv(rv)));
    }
    std::vector<CK_SLOT_ID> slots(count);
    if (CK_RV rv = fns_->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK) {
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: C_GetSlotList: ", Rv(rv)));
    }
    slots.resize(count);
    for (CK_SLOT_ID s : slots) {
      if (o.slot_id >= 0) {
        if (s == static_cast<CK_SLOT_ID>(o.slot_id)) return s;
        continue;
      }
      CK_TOKEN_INFO info{};
      if (fns_->C_GetTokenInfo(s, &info) != CKR_OK) continue;
      // Labels are blank-padded to 32 bytes.
      absl::string_view label(reinterpret_cast<const char*>(info.label), sizeof info.label);
      if (absl::StripTrailingAsciiWhitespace(label) == o.token_label) return s;
    }
    return absl::NotFoundError(
        o.slot_id >= 0 ? absl::StrCat("pkcs11: no token in slot ", o.slot_id)
                       : absl::StrCat("pkcs11: no token labelled \"", o.token_label, "\""));
  }

  absl::StatusOr<CK_OBJECT_HANDLE> FindObject(CK_OBJECT_CLASS cls, const std::string& label) {
    std::string l = label;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, l.data(), l.size()}};
    if (CK_RV rv = fns_->C_FindObjectsInit(session_, tmpl, 2); rv != CKR_OK) {
      return absl::FailedPreconditionError(absl::StrCat("pkcs11: C_FindObjectsInit: ", Rv(rv)));
    }
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG n = 0;
    CK_RV rv = fns_->C_FindObjects(session_, &found, 1, &n);
    fns_->C_FindObjectsFinal(session_);
    if (rv != CKR_OK || n == 0) {
      return absl::NotFoundError(
          absl::StrCat("pkcs11: no ", cls == CKO_PRIVATE_KEY ? "private key" : "certificate",
                       " labelled \"", label, "\" on the token"));
    }
    return found;
  }

  absl::StatusOr<std::string> CertificateOnToken(const std::string& label) {
    auto obj = FindObject(CKO_CERTIFICATE, label);
    if (!obj.ok()) return obj.status();
    CK_ATTRIBUTE attr{CKA_VALUE, nullptr, 0};
    if (fns_->C_GetAttributeValue(session_, *obj, &attr, 1) != CKR_OK) {
      return absl::FailedPreconditionError("pkcs11: the certificate's value cannot be read");
    }
    std::string der(attr.ulValueLen, '\0');
    attr.pValue = der.data();
    if (fns_->C_GetAttributeValue(session_, *obj, &attr, 1) != CKR_OK) {
      return absl::FailedPreconditionError("pkcs11: the certificate's value cannot be read");
    }
    return der;
  }

  void* module_ = nullptr;
  CK_FUNCTION_LIST* fns_ = nullptr;
  bool initialized_ = false;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE key_ = CK_INVALID_HANDLE;
  std::string cert_;
  std::string name_;
  mutable std::mutex mu_;  // a PKCS#11 session runs one operation at a time
};

}  // namespace

absl::StatusOr<std::unique_ptr<SigningKey>> LoadPemSigningKey(const std::string& key_path,
                                                              const std::string& certificate_path,
                                                              const std::string& key_name) {
  auto pem = ReadFile(key_path, "signing key file");
  if (!pem.ok()) return pem.status();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  internal::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    internal::OpenSslErrors();
    return absl::InvalidArgumentError(
        absl::StrCat("signing key file ", key_path,
                     ": not an unencrypted PEM private key (PKCS#8 or "
                     "traditional)"));
  }
  auto suite = internal::SuiteOfKey(key.get());
  if (!suite.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("signing key file ", key_path, ": ", suite.status().message()));
  }
  auto cert = LoadCertificateDer(certificate_path);
  if (!cert.ok()) return cert.status();
  auto out = std::make_unique<PemKey>(std::move(key), *suite, std::move(*cert), key_name);
  if (auto s = CheckPair(*out); !s.ok()) return s;
  return std::unique_ptr<SigningKey>(std::move(out));
}

absl::StatusOr<std::unique_ptr<SigningKey>> OpenPkcs11SigningKey(const Pkcs11Options& options) {
  auto key = std::make_unique<Pkcs11Key>();
  if (auto s = key->Open(options); !s.ok()) return s;
  if (auto s = CheckPair(*key); !s.ok()) return s;
  return std::unique_ptr<SigningKey>(std::move(key));
}

}  // namespace parkline::ceb
