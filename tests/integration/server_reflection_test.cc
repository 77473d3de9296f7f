// The park's own server reflection (runtime/reflection_service.h) over a real gRPC server, used
// the way grpcurl uses it: every listed service, gRPC's health service included, resolves to its
// descriptors; a gate refuses callers it does not know; unknown names are NOT_FOUND without
// ending the stream.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "parkline/bench/v1/echo.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "runtime/server.h"
#include "tests/support/reflection_client.h"

namespace parkline {
namespace {

namespace rv1 = grpc::reflection::v1alpha;

class Echo : public bench::v1::Echo::Service {};
class Enterprises : public enterprises::v1::EnterpriseService::Service {};

// Lets in callers whose bearer token is "known".
absl::Status KnownCallersOnly(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find("authorization");
  if (it != context.client_metadata().end() &&
      std::string(it->second.data(), it->second.size()) == "Bearer known") {
    return absl::OkStatus();
  }
  return absl::UnauthenticatedError("reflection needs credentials");
}

class ServerReflectionTest : public ::testing::Test {
 protected:
  void Start(runtime::ReflectionGate gate = nullptr) {
    runtime::ServerOptions options;
    options.address = "127.0.0.1:0";
    options.reflection_gate = std::move(gate);
    auto server = runtime::GrpcServer::Start(options, {&echo_, &enterprises_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  Echo echo_;
  Enterprises enterprises_;
  std::unique_ptr<runtime::GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServerReflectionTest, EveryListedServiceResolvesHealthIncluded) {
  Start();
  auto report = testing::ResolveEveryService(channel_, "");
  ASSERT_TRUE(report.status.ok()) << report.status.error_message();
  EXPECT_EQ(
      report.services,
      (std::set<std::string>{"parkline.bench.v1.Echo", "parkline.enterprises.v1.EnterpriseService",
                             "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}));
  for (const auto& [service, why] : report.unresolved) ADD_FAILURE() << service << ": " << why;
}

TEST_F(ServerReflectionTest, AGateRefusesStrangersEverythingButTheHealthProtocol) {
  Start(KnownCallersOnly);
  for (const std::string& token : {std::string(), std::string("guessed")}) {
    SCOPED_TRACE(token);
    auto stranger = testing::ResolveEveryService(channel_, token);
    EXPECT_EQ(stranger.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(stranger.services.empty()) << "the list of services is not a stranger's";
    EXPECT_NE(testing::ResolveService(channel_, token, "parkline.enterprises.v1.EnterpriseService")
                  .find("error 16"),
              std::string::npos);
    // An unknown name gets the same refusal, so a stranger cannot probe for names either.
    EXPECT_NE(
        testing::ResolveService(channel_, token, "parkline.nowhere.v1.Nothing").find("error 16"),
        std::string::npos);
    // What `grpcurl -plaintext host:port grpc.health.v1.Health/Check` needs, a probe's protocol.
    EXPECT_EQ(testing::ResolveService(channel_, token, "grpc.health.v1.Health"), "");
  }

  auto known = testing::ResolveEveryService(channel_, "known");
  ASSERT_TRUE(known.status.ok()) << known.status.error_message();
  EXPECT_EQ(known.services.size(), 4u);
  for (const auto& [service, why] : known.unresolved) ADD_FAILURE() << service << ": " << why;
}

class ReflectionStreamTest : public ServerReflectionTest {
 protected:
  void SetUp() override {
    Start();
    stub_ = rv1::ServerReflection::NewStub(channel_);
    ctx_.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    stream_ = stub_->ServerReflectionInfo(&ctx_);
  }
  void TearDown() override {
    stream_->WritesDone();
    EXPECT_TRUE(stream_->Finish().ok());
  }
  rv1::ServerReflectionResponse Ask(const rv1::ServerReflectionRequest& request) {
    rv1::ServerReflectionResponse response;
    EXPECT_TRUE(stream_->Write(request));
    EXPECT_TRUE(stream_->Read(&response));
    return response;
  }
  static std::vector<std::string> FileNames(const rv1::ServerReflectionResponse& response) {
    std::vector<std::string> names;
    for (const auto& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      names.push_back(file.name());
    }
    return names;
  }

  std::unique_ptr<rv1::ServerReflection::Stub> stub_;
  grpc::ClientContext ctx_;
  std::unique_ptr<
      grpc::ClientReaderWriter<rv1::ServerReflectionRequest, rv1::ServerReflectionResponse>>
      stream_;
};

TEST_F(ReflectionStreamTest, AFileComesWithItsImportsEachOncePerStream) {
  rv1::ServerReflectionRequest request;
  request.set_host("here");
  request.set_file_containing_symbol("parkline.enterprises.v1.EnterpriseService.AdmitEnterprise");
  auto first = Ask(request);
  EXPECT_EQ(first.valid_host(), "here");
  EXPECT_EQ(first.original_request().file_containing_symbol(), request.file_containing_symbol());
  auto names = FileNames(first);
  ASSERT_GT(names.size(), 1u) << "enterprises.proto imports other files";
  EXPECT_EQ(names.front(), "parkline/enterprises/v1/enterprises.proto");

  // Asked again, the file comes alone: its imports were sent on this stream already.
  auto again = Ask(request);
  EXPECT_EQ(FileNames(again),
            std::vector<std::string>{"parkline/enterprises/v1/enterprises.proto"});

  rv1::ServerReflectionRequest by_name;
  by_name.set_file_by_filename("grpc/health/v1/health.proto");
  EXPECT_EQ(FileNames(Ask(by_name)).front(), "grpc/health/v1/health.proto");
}

TEST_F(ReflectionStreamTest, UnknownNamesAreNotFoundAndTheStreamGoesOn) {
  rv1::ServerReflectionRequest request;
  request.set_file_containing_symbol("parkline.nowhere.v1.Nothing");
  auto unknown = Ask(request);
  EXPECT_EQ(unknown.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(unknown.error_response().error_message().find("parkline.nowhere.v1.Nothing"),
            std::string::npos);
  request.set_file_by_filename("nowhere.proto");
  EXPECT_EQ(Ask(request).error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  request.mutable_file_containing_extension()->set_containing_type("parkline.bench.v1.EchoMessage");
  request.mutable_file_containing_extension()->set_extension_number(1000);
  EXPECT_EQ(Ask(request).error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_all_extension_numbers_of_type("parkline.nowhere.v1.Nothing");
  EXPECT_EQ(Ask(request).error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Ask(rv1::ServerReflectionRequest()).error_response().error_code(),
            grpc::StatusCode::UNIMPLEMENTED);

  // The same stream still answers.
  request.set_all_extension_numbers_of_type("parkline.bench.v1.EchoMessage");
  auto numbers = Ask(request);
  EXPECT_EQ(numbers.all_extension_numbers_response().base_type_name(),
            "parkline.bench.v1.EchoMessage");
  EXPECT_EQ(numbers.all_extension_numbers_response().extension_number_size(), 0);
}

}  // namespace
}  // namespace parkline
