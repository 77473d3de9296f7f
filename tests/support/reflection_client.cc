#include "tests/support/reflection_client.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace parkline::testing {
namespace {

namespace rv1 = grpc::reflection::v1alpha;
using Stream =
    grpc::ClientReaderWriter<rv1::ServerReflectionRequest, rv1::ServerReflectionResponse>;

// One request, one response; false when the stream broke.
bool Ask(Stream& stream, const rv1::ServerReflectionRequest& request,
         rv1::ServerReflectionResponse& response) {
  return stream.Write(request) && stream.Read(&response);
}

// Every file received on a stream, by name: like grpcurl, a client keeps what the server already
// sent and asks only for what is still missing.
using Files = std::map<std::string, google::protobuf::FileDescriptorProto>;

void Keep(const rv1::ServerReflectionResponse& response, Files& files) {
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    if (file.ParseFromString(bytes)) files[file.name()] = file;
  }
}

// Empty when `service` resolves on `stream`; why not otherwise.
std::string Resolve(Stream& stream, const std::string& service, Files& files) {
  rv1::ServerReflectionRequest request;
  request.set_file_containing_symbol(service);
  rv1::ServerReflectionResponse response;
  if (!Ask(stream, request, response)) return "the stream broke";
  if (response.has_error_response()) {
    return absl::StrCat("error ", response.error_response().error_code(), ": ",
                        response.error_response().error_message());
  }
  Keep(response, files);
  google::protobuf::FileDescriptorProto first;
  if (response.file_descriptor_response().file_descriptor_proto().empty() ||
      !first.ParseFromString(response.file_descriptor_response().file_descriptor_proto(0))) {
    return "no file came back";
  }
  google::protobuf::DescriptorPool pool;
  std::string why;
  std::function<bool(const std::string&)> build = [&](const std::string& name) {
    if (pool.FindFileByName(name) != nullptr) return true;
    if (files.count(name) == 0) {
      rv1::ServerReflectionRequest by_name;
      by_name.set_file_by_filename(name);
      rv1::ServerReflectionResponse got;
      if (!Ask(stream, by_name, got) || got.has_error_response()) {
        why =
            absl::StrCat("import ", name, " cannot be had: ", got.error_response().error_message());
        return false;
      }
      Keep(got, files);
      if (files.count(name) == 0) {
        why = absl::StrCat("asked for ", name, ", got other files");
        return false;
      }
    }
    for (const std::string& dependency : files[name].dependency()) {
      if (!build(dependency)) return false;
    }
    if (pool.BuildFile(files[name]) == nullptr) {
      why = absl::StrCat(name, " does not build");
      return false;
    }
    return true;
  };
  if (!build(first.name())) return why;
  const auto* descriptor = pool.FindServiceByName(service);
  if (descriptor == nullptr) return absl::StrCat(first.name(), " does not define it");
  for (int i = 0; i < descriptor->method_count(); ++i) {
    if (descriptor->method(i)->input_type() == nullptr ||
        descriptor->method(i)->output_type() == nullptr) {
      return absl::StrCat(descriptor->method(i)->name(), " has no types");
    }
  }
  return "";
}

struct Session {
  Session(const std::shared_ptr<grpc::Channel>& channel, const std::string& token)
      : stub(rv1::ServerReflection::NewStub(channel)) {
    if (!token.empty()) ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    stream = stub->ServerReflectionInfo(&ctx);
  }
  grpc::Status Finish() {
    stream->WritesDone();
    return stream->Finish();
  }
  std::unique_ptr<rv1::ServerReflection::Stub> stub;
  grpc::ClientContext ctx;
  std::unique_ptr<Stream> stream;
};

}  // namespace

ReflectionReport ResolveEveryService(const std::shared_ptr<grpc::Channel>& channel,
                                     const std::string& token) {
  ReflectionReport report;
  Session session(channel, token);
  rv1::ServerReflectionRequest list;
  list.set_list_services("*");
  rv1::ServerReflectionResponse listed;
  if (Ask(*session.stream, list, listed)) {
    for (const auto& s : listed.list_services_response().service()) {
      report.services.insert(s.name());
    }
  }
  Files files;
  for (const std::string& service : report.services) {
    std::string why = Resolve(*session.stream, service, files);
    if (!why.empty()) report.unresolved[service] = why;
  }
  report.status = session.Finish();
  if (report.status.ok() && listed.has_error_response()) {
    report.status =
        grpc::Status(static_cast<grpc::StatusCode>(listed.error_response().error_code()),
                     listed.error_response().error_message());
  }
  return report;
}

std::string ResolveService(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                           const std::string& service) {
  Session session(channel, token);
  Files files;
  std::string why = Resolve(*session.stream, service, files);
  grpc::Status status = session.Finish();
  if (why.empty() && !status.ok()) why = status.error_message();
  return why;
}

}  // namespace parkline::testing
