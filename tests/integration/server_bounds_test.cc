// The thread limit of runtime::GrpcServer, observed from a client: with a tiny quota, calls that
// find every thread busy are refused with RESOURCE_EXHAUSTED instead of starting more threads,
// and the server serves again as soon as threads are free.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "parkline/bench/v1/echo.grpc.pb.h"
#include "runtime/server.h"

namespace parkline {
namespace {

namespace bench = bench::v1;

// Holds every call until released, so that each one keeps a server thread busy.
class HeldEcho : public bench::Echo::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const bench::EchoMessage* request,
                    bench::EchoMessage* response) override {
    ++running_;
    release_.WaitForNotificationWithTimeout(absl::Seconds(20));
    --running_;
    *response = *request;
    return grpc::Status::OK;
  }
  void Release() { release_.Notify(); }
  int running() const { return running_; }

 private:
  absl::Notification release_;
  std::atomic<int> running_{0};
};

TEST(ServerBounds, CallsBeyondTheThreadQuotaAreRefusedAndTheServerRecovers) {
  HeldEcho service;
  runtime::ServerOptions options;
  options.address = "127.0.0.1:0";
  options.max_threads = 4;
  auto server = runtime::GrpcServer::Start(options, {&service});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = bench::Echo::NewStub(channel);

  constexpr int kCalls = 24;
  std::vector<grpc::StatusCode> codes(kCalls, grpc::StatusCode::UNKNOWN);
  std::vector<std::thread> clients;
  for (int i = 0; i < kCalls; ++i) {
    clients.emplace_back([&, i] {
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
      bench::EchoMessage request, response;
      codes[i] = stub->Echo(&ctx, request, &response).error_code();
    });
  }
  // Wait until the refused calls have come back; the held ones are still running.
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  auto refused = [&] {
    int n = 0;
    for (auto c : codes) n += c == grpc::StatusCode::RESOURCE_EXHAUSTED;
    return n;
  };
  while (refused() == 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_GT(refused(), 0) << "no call was refused with 24 held calls and a quota of 4 threads";
  EXPECT_LE(service.running(), 4);
  service.Release();
  for (auto& t : clients) t.join();
  int ok = 0;
  for (auto c : codes) {
    EXPECT_TRUE(c == grpc::StatusCode::OK || c == grpc::StatusCode::RESOURCE_EXHAUSTED) << c;
    ok += c == grpc::StatusCode::OK;
  }
  EXPECT_GT(ok, 0);

  // Threads free again: a new call is served.
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  bench::EchoMessage request, response;
  request.set_payload("after");
  EXPECT_TRUE(stub->Echo(&ctx, request, &response).ok());
  EXPECT_EQ(response.payload(), "after");
  (*server)->Stop();
}

}  // namespace
}  // namespace parkline
