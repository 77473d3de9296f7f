// runtime::AsyncCalls observed from a client: a call served asynchronously is answered whenever
// its work replies, from any thread; an error reply is the call's status; calls beyond the bound
// are refused RESOURCE_EXHAUSTED and the server serves again once calls are answered; and Stop
// answers the calls in flight before the server goes down, waiting for the replies of calls cut
// off at the drain's end.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "parkline/bench/v1/echo.grpc.pb.h"
#include "runtime/metrics.h"
#include "runtime/server.h"

namespace parkline {
namespace {

namespace bench = bench::v1;

using AsyncEchoBase = bench::Echo::WithAsyncMethod_Echo<bench::Echo::Service>;

// Keeps each call's reply until the test hands out the answers, from the test's thread.
class HeldAsyncEcho final : public AsyncEchoBase, public runtime::AsyncService {
 public:
  void Serve(runtime::AsyncCalls& calls) override {
    calls.Serve(this, &HeldAsyncEcho::RequestEcho,
                [this](grpc::ServerContext*, const bench::EchoMessage& request,
                       runtime::Reply<bench::EchoMessage> reply) {
                  std::lock_guard<std::mutex> lock(mu_);
                  held_.push_back({request, std::move(reply)});
                });
  }

  size_t held() {
    std::lock_guard<std::mutex> lock(mu_);
    return held_.size();
  }
  // Answers every call held so far: its request back, or `error` when it is not OK.
  void AnswerAll(const absl::Status& error = absl::OkStatus()) {
    std::deque<Held> answering;
    {
      std::lock_guard<std::mutex> lock(mu_);
      answering.swap(held_);
    }
    for (Held& h : answering) {
      if (error.ok()) {
        h.reply(h.request);
      } else {
        h.reply(error);
      }
    }
  }
  bool WaitHeld(size_t n) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (held() < n && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
    return held() >= n;
  }

 private:
  struct Held {
    bench::EchoMessage request;
    runtime::Reply<bench::EchoMessage> reply;
  };
  std::mutex mu_;
  std::deque<Held> held_;
};

// The process's count of Echo calls answered with `code` (runtime/rpc_metrics.h: "OK",
// "ResourceExhausted" ...), or 0.
double Handled(const std::string& code) {
  for (const auto& family : runtime::Metrics().Collect()) {
    if (family.name != "grpc_server_handled_total") continue;
    for (const auto& metric : family.metric) {
      int matched = 0;
      for (const auto& label : metric.label) {
        matched += (label.name == "grpc_method" && label.value == "Echo") ||
                   (label.name == "grpc_code" && label.value == code);
      }
      if (matched == 2) return metric.counter.value;
    }
  }
  return 0;
}

class AsyncCallsTest : public ::testing::Test {
 protected:
  void Start(int max_threads = 1024, absl::Duration drain = absl::Seconds(2)) {
    runtime::ServerOptions options;
    options.address = "127.0.0.1:0";
    options.max_threads = max_threads;
    options.drain = drain;
    auto server = runtime::GrpcServer::Start(options, {&service_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = bench::Echo::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                                     grpc::InsecureChannelCredentials()));
  }

  // Calls Echo with `payload` on a thread of its own; its status and answer land in `status` and
  // `answer`, then `finished_` counts it.
  std::thread Call(const std::string& payload, grpc::Status& status, std::string& answer) {
    return std::thread([this, payload, &status, &answer] {
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
      bench::EchoMessage request, response;
      request.set_payload(payload);
      status = stub_->Echo(&ctx, request, &response);
      answer = response.payload();
      ++finished_;
    });
  }

  HeldAsyncEcho service_;
  std::unique_ptr<runtime::GrpcServer> server_;
  std::unique_ptr<bench::Echo::Stub> stub_;
  std::atomic<int> finished_{0};
};

TEST_F(AsyncCallsTest, ACallIsAnsweredWhenItsWorkRepliesFromAnotherThread) {
  Start();
  const double ok_before = Handled("OK");
  grpc::Status status;
  std::string answer;
  std::thread client = Call("order 1", status, answer);
  ASSERT_TRUE(service_.WaitHeld(1));
  // The handler has returned; the call waits for its reply.
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(answer, "");
  std::thread([this] { service_.AnswerAll(); }).join();
  client.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer, "order 1");
  // Counted in /metrics like any call.
  EXPECT_EQ(Handled("OK"), ok_before + 1);
}

TEST_F(AsyncCallsTest, AnErrorReplyIsTheCallsStatus) {
  Start();
  grpc::Status status;
  std::string answer;
  std::thread client = Call("order 1", status, answer);
  ASSERT_TRUE(service_.WaitHeld(1));
  service_.AnswerAll(absl::InvalidArgumentError("order.order_no: REQUIRED"));
  client.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "order.order_no: REQUIRED");
}

TEST_F(AsyncCallsTest, CallsBeyondTheBoundAreRefusedAndTheServerServesAgainOnceAnswered) {
  Start(/*max_threads=*/4);
  const double refused_before = Handled("ResourceExhausted");
  constexpr int kCalls = 10;
  std::vector<grpc::Status> statuses(kCalls);
  std::vector<std::string> answers(kCalls);
  std::vector<std::thread> clients;
  for (int i = 0; i < kCalls; ++i) clients.push_back(Call("x", statuses[i], answers[i]));
  ASSERT_TRUE(service_.WaitHeld(4));
  // Four are served and held; the other six are answered at once, without reaching the handler.
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (finished_ < kCalls - 4 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(finished_, kCalls - 4);
  EXPECT_EQ(service_.held(), 4u);
  service_.AnswerAll();
  for (auto& c : clients) c.join();
  int ok = 0;
  int refused = 0;
  for (const auto& s : statuses) {
    ok += s.ok();
    refused += s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(refused, kCalls - 4);
  EXPECT_EQ(Handled("ResourceExhausted"), refused_before + refused);
  for (const auto& s : statuses) {
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      EXPECT_NE(s.error_message().find("at most 4 at once"), std::string::npos)
          << s.error_message();
    }
  }

  // Answered, the four leave room again.
  grpc::Status status;
  std::string answer;
  std::thread again = Call("again", status, answer);
  ASSERT_TRUE(service_.WaitHeld(1));
  service_.AnswerAll();
  again.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer, "again");
}

// One call held by the service, then the server stopped on a thread of its own.
class AsyncStopTest : public AsyncCallsTest {
 protected:
  void HoldACallAndStop(absl::Duration drain) {
    Start(1024, drain);
    client_ = Call("in flight", status_, answer_);
    ASSERT_TRUE(service_.WaitHeld(1));
    stopper_ = std::thread([this] {
      server_->Stop();
      stopped_.Notify();
    });
  }
  void TearDown() override {
    if (client_.joinable()) client_.join();
    if (stopper_.joinable()) stopper_.join();
  }

  grpc::Status status_;
  std::string answer_;
  std::thread client_, stopper_;
  absl::Notification stopped_;
};

TEST_F(AsyncStopTest, StopAnswersTheCallsInFlightBeforeTheServerGoesDown) {
  HoldACallAndStop(absl::Seconds(2));
  // Stop waits for the call's work: nothing is cut off while the reply is still to come.
  EXPECT_FALSE(stopped_.WaitForNotificationWithTimeout(absl::Milliseconds(300)));
  service_.AnswerAll();
  EXPECT_TRUE(stopped_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  client_.join();
  // Answered within the drain: the client has its answer.
  EXPECT_TRUE(status_.ok()) << status_.error_message();
  EXPECT_EQ(answer_, "in flight");
}

// Past the drain the server cancels the call, and its work replies later still: Stop waits for
// that reply before the queue goes down (gRPC aborts the process on a reply to a queue shut
// down).
TEST_F(AsyncStopTest, StopWaitsForAReplyThatComesAfterTheDrain) {
  HoldACallAndStop(absl::Milliseconds(100));
  EXPECT_FALSE(stopped_.WaitForNotificationWithTimeout(absl::Milliseconds(500)));
  client_.join();
  // Cut off at the drain's end (UNAVAILABLE, the server going away), never answered OK.
  EXPECT_FALSE(status_.ok());
  service_.AnswerAll();
  EXPECT_TRUE(stopped_.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

}  // namespace
}  // namespace parkline
