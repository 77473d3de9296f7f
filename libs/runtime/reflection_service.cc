#include "runtime/reflection_service.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "runtime/log.h"

namespace parkline::runtime {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
namespace rv1 = grpc::reflection::v1alpha;

// Adds `file` and then, depth first, each file it imports that this stream has not sent yet.
// `file` itself is always sent: a client asks for it because it lacks it.
void AddFileAndImports(const FileDescriptor* file, std::set<std::string>& sent,
                       rv1::FileDescriptorResponse& out) {
  std::vector<const FileDescriptor*> pending{file};
  bool first = true;
  while (!pending.empty()) {
    const FileDescriptor* f = pending.back();
    pending.pop_back();
    if (!sent.insert(f->name()).second && !first) continue;
    first = false;
    google::protobuf::FileDescriptorProto proto;
    f->CopyTo(&proto);
    proto.SerializeToString(out.add_file_descriptor_proto());
    for (int i = 0; i < f->dependency_count(); ++i) {
      if (sent.count(f->dependency(i)->name()) == 0) pending.push_back(f->dependency(i));
    }
  }
}

void SetError(rv1::ServerReflectionResponse& response, grpc::StatusCode code,
              const std::string& message) {
  response.mutable_error_response()->set_error_code(code);
  response.mutable_error_response()->set_error_message(message);
}

// The files a caller the gate refused may still have: the health protocol's, which imports none.
bool IsPublic(const FileDescriptor* file) {
  return file == grpc::health::v1::HealthCheckRequest::descriptor()->file();
}

// What one stream may see: everything when the gate let the caller in, the public files only
// otherwise, each other request answered with the gate's refusal.
struct Audience {
  absl::Status refusal;  // OK: trusted
  bool MaySee(const FileDescriptor* file) const { return refusal.ok() || IsPublic(file); }
  void Refuse(rv1::ServerReflectionResponse& response) const {
    SetError(response, static_cast<grpc::StatusCode>(refusal.code()),
             absl::StrCat(refusal.message(),
                          ": in production reflection answers authenticated callers only "
                          "(grpc.health.v1.Health excepted)"));
  }
};

void SetFile(rv1::ServerReflectionResponse& response, const FileDescriptor* file,
             const std::string& not_found, const Audience& audience, std::set<std::string>& sent) {
  // A stranger hears the same refusal whether or not the name exists.
  if (file == nullptr || !audience.MaySee(file)) {
    if (!audience.refusal.ok()) return audience.Refuse(response);
    SetError(response, grpc::StatusCode::NOT_FOUND, not_found);
    return;
  }
  AddFileAndImports(file, sent, *response.mutable_file_descriptor_response());
}

}  // namespace

ReflectionService::ReflectionService(ReflectionGate gate) : gate_(std::move(gate)) {
  // gRPC's built-in health service encodes its messages by hand and registers no descriptor:
  // naming one of health.proto's messages here links the park's compiled copy into every server,
  // so that grpc.health.v1.Health resolves (grpcurl ... grpc.health.v1.Health/Check).
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
}

void ReflectionService::SetServices(std::vector<std::string> names) {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  for (const std::string& name : names) {
    if (pool->FindServiceByName(name) == nullptr) {
      log::Warn("a served service has no descriptor: reflection cannot describe it",
                {{"service", name}});
    }
  }
  absl::MutexLock lock(&mu_);
  services_ = std::move(names);
}

std::vector<std::string> ReflectionService::services() const {
  absl::MutexLock lock(&mu_);
  return services_;
}

grpc::Status ReflectionService::ServerReflectionInfo(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<rv1::ServerReflectionResponse, rv1::ServerReflectionRequest>* stream) {
  Audience audience;
  if (gate_) audience.refusal = gate_(*context);
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  std::set<std::string> sent;  // files this stream has already sent
  rv1::ServerReflectionRequest request;
  while (stream->Read(&request)) {
    rv1::ServerReflectionResponse response;
    response.set_valid_host(request.host());
    *response.mutable_original_request() = request;
    switch (request.message_request_case()) {
      case rv1::ServerReflectionRequest::kListServices:
        if (!audience.refusal.ok()) {
          audience.Refuse(response);
          break;
        }
        for (const std::string& name : services()) {
          response.mutable_list_services_response()->add_service()->set_name(name);
        }
        break;
      case rv1::ServerReflectionRequest::kFileByFilename:
        SetFile(response, pool->FindFileByName(request.file_by_filename()),
                absl::StrCat("no file named ", request.file_by_filename()), audience, sent);
        break;
      case rv1::ServerReflectionRequest::kFileContainingSymbol:
        SetFile(response, pool->FindFileContainingSymbol(request.file_containing_symbol()),
                absl::StrCat("no symbol ", request.file_containing_symbol()), audience, sent);
        break;
      case rv1::ServerReflectionRequest::kFileContainingExtension: {
        const auto& asked = request.file_containing_extension();
        const auto* type = pool->FindMessageTypeByName(asked.containing_type());
        const auto* extension =
            type == nullptr ? nullptr : pool->FindExtensionByNumber(type, asked.extension_number());
        SetFile(response, extension == nullptr ? nullptr : extension->file(),
                absl::StrCat("no extension ", asked.extension_number(), " of ",
                             asked.containing_type()),
                audience, sent);
        break;
      }
      case rv1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
        if (!audience.refusal.ok()) {
          audience.Refuse(response);
          break;
        }
        const auto* type = pool->FindMessageTypeByName(request.all_extension_numbers_of_type());
        if (type == nullptr) {
          SetError(response, grpc::StatusCode::NOT_FOUND,
                   absl::StrCat("no message type ", request.all_extension_numbers_of_type()));
          break;
        }
        std::vector<const google::protobuf::FieldDescriptor*> extensions;
        pool->FindAllExtensions(type, &extensions);
        auto* numbers = response.mutable_all_extension_numbers_response();
        numbers->set_base_type_name(type->full_name());
        for (const auto* e : extensions) numbers->add_extension_number(e->number());
        break;
      }
      default:
        SetError(response, grpc::StatusCode::UNIMPLEMENTED, "an empty or unknown request");
    }
    if (!stream->Write(response)) break;
  }
  return grpc::Status::OK;
}

}  // namespace parkline::runtime
