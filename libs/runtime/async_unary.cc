#include "runtime/async_unary.h"

#include <pthread.h>

#include "absl/strings/str_cat.h"

namespace parkline::runtime {

AsyncCalls::AsyncCalls(std::unique_ptr<grpc::ServerCompletionQueue> cq, int threads,
                       int max_in_flight)
    : cq_(std::move(cq)),
      thread_count_(threads < 1 ? 1 : threads),
      max_in_flight_(max_in_flight < 1 ? 1 : max_in_flight) {}

AsyncCalls::~AsyncCalls() { Stop(); }

void AsyncCalls::Start() {
  for (auto& first : first_) first();
  for (int i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { Run(); });
}

void AsyncCalls::Run() {
  pthread_setname_np(pthread_self(), "pl-calls");  // for top -H and profiles
  void* tag = nullptr;
  bool ok = false;
  while (cq_->Next(&tag, &ok)) static_cast<Step*>(tag)->Proceed(ok);
}

bool AsyncCalls::Admit() {
  if (in_flight_.fetch_add(1) < max_in_flight_) return true;
  in_flight_.fetch_sub(1);
  return false;
}

absl::Status AsyncCalls::Refusal() const {
  return absl::ResourceExhaustedError(
      absl::StrCat("too many calls in flight: this server answers at most ", max_in_flight_,
                   " at once (grpc_max_threads); retry later"));
}

void AsyncCalls::Died() {
  if (live_.fetch_sub(1) != 1) return;
  std::lock_guard<std::mutex> lock(mu_);
  none_live_.notify_all();
}

void AsyncCalls::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    // A call's last step must reach the queue before it shuts down (gRPC aborts otherwise):
    // the calls still being served are answered by their work, the ones waiting for a request
    // fail with the server's shutdown.
    if (!threads_.empty()) none_live_.wait(lock, [this] { return live_.load() == 0; });
  }
  cq_->Shutdown();
  for (std::thread& t : threads_) t.join();
  // Never started: the queue is drained here.
  void* tag = nullptr;
  bool ok = false;
  if (threads_.empty()) {
    while (cq_->Next(&tag, &ok)) static_cast<Step*>(tag)->Proceed(ok);
  }
}

}  // namespace parkline::runtime
