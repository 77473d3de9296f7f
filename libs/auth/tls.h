// Transport security of a server from PEM files: TLS when a certificate and key are given, and
// mutual TLS (client certificates required and verified against the CA) when a client CA is
// given too. Without any: plaintext, for local development only.
//
// The files are watched (gRPC's FileWatcherCertificateProvider): a certificate, key or CA replaced
// on disk (a renewal, a Kubernetes Secret updated in place) serves new connections from the next
// check on, without a restart; connections already open keep the certificate they began with.
#ifndef PARKLINE_AUTH_TLS_H_
#define PARKLINE_AUTH_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace parkline::auth {

struct TlsFiles {
  std::string cert;         // server certificate chain, PEM
  std::string key;          // its private key, PEM
  std::string client_ca;    // CA that signs client certificates, PEM; empty: no client certs
  int reload_seconds = 60;  // how often the files are checked for a change
};

// INVALID_ARGUMENT when only part of a pair is given; NOT_FOUND when a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(const TlsFiles& files);

// "plaintext", "tls" or "mtls".
std::string TransportMode(const TlsFiles& files);

}  // namespace parkline::auth

#endif  // PARKLINE_AUTH_TLS_H_
