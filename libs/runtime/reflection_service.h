// gRPC server reflection (grpc.reflection.v1alpha.ServerReflection), served by the park itself
// rather than by gRPC's reflection plugin, so that it can be closed to strangers: reflection
// tells the whole API surface to whoever asks, so in production mode (CommonConfig::production)
// a caller the gate refuses gets that refusal (UNAUTHENTICATED) for every request but one kind:
// the health protocol (grpc/health/v1/health.proto), public anyway as every probe speaks it, so
// that `grpcurl -plaintext host:port grpc.health.v1.Health/Check` works without a token. In
// development the gate is empty and everyone is answered.
//
// It answers from the process's generated descriptor pool: list_services (the services the
// server registered, grpc.health.v1.Health and this one included), file_by_filename,
// file_containing_symbol, file_containing_extension and all_extension_numbers_of_type. A file
// comes with the files it imports, transitively, each sent once per stream, which is what
// grpcurl and grpc_cli need to build a method's descriptors. gRPC's built-in health service has
// no protobuf descriptor of its own: this service links grpc/health/v1/health.proto from the
// park's proto library so that Health resolves like every other service.
//
// Thread-safe: gRPC serves streams from many threads; the service list is set once, after the
// server started, under a lock.
#ifndef PARKLINE_RUNTIME_REFLECTION_SERVICE_H_
#define PARKLINE_RUNTIME_REFLECTION_SERVICE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace parkline::runtime {

// Who may use reflection: OK answers everything; any other status (UNAUTHENTICATED for a caller
// without credentials) is the error_response of every request not about the health protocol.
// Called once per stream.
using ReflectionGate = std::function<absl::Status(const grpc::ServerContext&)>;

class ReflectionService final : public grpc::reflection::v1alpha::ServerReflection::Service {
 public:
  // `gate` empty: everyone may ask.
  explicit ReflectionService(ReflectionGate gate = nullptr);

  // The services list_services names. Set once the server knows them.
  void SetServices(std::vector<std::string> names);

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1alpha::ServerReflectionResponse,
                               grpc::reflection::v1alpha::ServerReflectionRequest>* stream)
      override;

 private:
  std::vector<std::string> services() const;

  ReflectionGate gate_;
  mutable absl::Mutex mu_;
  std::vector<std::string> services_ ABSL_GUARDED_BY(mu_);
};

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_REFLECTION_SERVICE_H_
