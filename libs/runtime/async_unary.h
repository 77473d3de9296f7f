// Unary methods served from a completion queue (gRPC's asynchronous API), for handlers whose work
// ends on another thread: the group commit answers each call when its transaction commits, so
// that no server thread per call sleeps through the commit, as gRPC's synchronous server makes it.
//
// A service marks such methods with the generated WithAsyncMethod_<Method> and implements
// AsyncService; GrpcServer gives it an AsyncCalls after the server started. Its other methods stay
// synchronous. Handlers run on the queue's threads, must not block, and must call their reply
// exactly once, from any thread; once it is called, the call may be gone (another of the queue's
// threads finishes it), so nothing may touch its context or request after that.
//
// Why not gRPC's callback API: in Debian's gRPC 1.51 (no EventEngine) callback methods run on two
// "nexting" threads that sleep 100 ms after a second without work, so the first calls after a
// pause waited up to 100 ms (declarations README, "#25: the asynchronous server").
#ifndef PARKLINE_RUNTIME_ASYNC_UNARY_H_
#define PARKLINE_RUNTIME_ASYNC_UNARY_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/async_unary_call.h"
#include "runtime/grpc_status.h"

namespace parkline::runtime {

class AsyncCalls;

// A service with methods served by AsyncCalls.
class AsyncService {
 public:
  virtual ~AsyncService() = default;
  // Called once, after the server started: AsyncCalls::Serve for each asynchronous method.
  virtual void Serve(AsyncCalls& calls) = 0;
};

// What a handler answers with: the response, or the error.
template <typename Response>
using Reply = std::function<void(absl::StatusOr<Response>)>;

class AsyncCalls {
 public:
  // `cq` from the ServerBuilder (AddCompletionQueue), served by `threads` threads. At most
  // `max_in_flight` calls are served at once (ServerOptions::max_threads, as the synchronous
  // server's threads bound its calls): a call beyond them is answered RESOURCE_EXHAUSTED at once,
  // rather than letting a flood of calls queue without bound.
  AsyncCalls(std::unique_ptr<grpc::ServerCompletionQueue> cq, int threads, int max_in_flight);
  // Stop() if it was not called.
  ~AsyncCalls();

  AsyncCalls(const AsyncCalls&) = delete;
  AsyncCalls& operator=(const AsyncCalls&) = delete;

  // Serves the method that `request` (the generated Request<Method> of a WithAsyncMethod_<Method>
  // base of `service`) asks calls of, with `handler`. Call before Start.
  template <typename Service, typename Request, typename Response>
  using RequestMethod = void (Service::*)(grpc::ServerContext*, Request*,
                                          grpc::ServerAsyncResponseWriter<Response>*,
                                          grpc::CompletionQueue*, grpc::ServerCompletionQueue*,
                                          void*);
  template <typename Request, typename Response>
  using Handler = std::function<void(grpc::ServerContext*, const Request&, Reply<Response>)>;
  template <typename T>
  struct Given {
    using type = T;
  };
  template <typename Service, typename Request, typename Response>
  void Serve(typename Given<Service>::type* service,
             RequestMethod<Service, Request, Response> request,
             typename Given<Handler<Request, Response>>::type handler);

  // Starts the threads. Every method served so far waits for its first call.
  void Start();

  // After the server's Shutdown returned: waits until every call was answered (their work goes
  // on meanwhile: the group commit answers them), then stops the queue and joins the threads.
  void Stop();

  // What the queue's threads run: one step of a call.
  class Step {
   public:
    virtual ~Step() = default;
    virtual void Proceed(bool ok) = 0;
  };

 private:
  template <typename Service, typename Request, typename Response>
  class Call;

  void Run();
  // Calls alive: waiting for a request, served, or answering. Stop waits for none.
  void Born() { live_.fetch_add(1); }
  void Died();
  // A call's turn to be served: false beyond max_in_flight (then it is refused, and Done is not
  // called for it).
  bool Admit();
  void Done() { in_flight_.fetch_sub(1); }
  absl::Status Refusal() const;

  std::unique_ptr<grpc::ServerCompletionQueue> cq_;
  const int thread_count_;
  const int max_in_flight_;
  std::atomic<int> in_flight_{0};
  std::vector<std::function<void()>> first_;  // requests each method's first call
  std::vector<std::thread> threads_;
  std::atomic<int64_t> live_{0};
  std::mutex mu_;
  std::condition_variable none_live_;
  bool stopped_ = false;
};

// One call of one method: waits for its request, asks for the next call, runs the handler, answers,
// then deletes itself.
template <typename Service, typename Request, typename Response>
class AsyncCalls::Call final : public AsyncCalls::Step {
 public:
  struct Method {
    Service* service;
    RequestMethod<Service, Request, Response> request;
    Handler<Request, Response> handler;
  };

  static void Await(AsyncCalls& calls, std::shared_ptr<const Method> method) {
    auto* call = new Call(calls, std::move(method));
    (call->method_->service->*call->method_->request)(
        &call->context_, &call->request_, &call->writer_, calls.cq_.get(), calls.cq_.get(), call);
  }

  void Proceed(bool ok) override {
    if (answering_ || !ok) {
      // Answered (or the server is shutting down before this call came): done.
      AsyncCalls& calls = calls_;
      if (admitted_) calls.Done();
      delete this;
      calls.Died();
      return;
    }
    answering_ = true;
    Await(calls_, method_);
    admitted_ = calls_.Admit();
    if (!admitted_) return Answer(calls_.Refusal());
    method_->handler(&context_, request_,
                     [this](absl::StatusOr<Response> result) { Answer(std::move(result)); });
  }

 private:
  void Answer(absl::StatusOr<Response> result) {
    if (result.ok()) {
      writer_.Finish(*result, grpc::Status::OK, this);
    } else {
      writer_.FinishWithError(ToGrpcStatus(result.status()), this);
    }
  }

  Call(AsyncCalls& calls, std::shared_ptr<const Method> method)
      : calls_(calls), method_(std::move(method)), writer_(&context_) {
    calls_.Born();
  }

  AsyncCalls& calls_;
  const std::shared_ptr<const Method> method_;
  grpc::ServerContext context_;
  Request request_;
  grpc::ServerAsyncResponseWriter<Response> writer_;
  bool answering_ = false;
  bool admitted_ = false;
};

template <typename Service, typename Request, typename Response>
void AsyncCalls::Serve(typename Given<Service>::type* service,
                       RequestMethod<Service, Request, Response> request,
                       typename Given<Handler<Request, Response>>::type handler) {
  using C = Call<Service, Request, Response>;
  auto method = std::make_shared<const typename C::Method>(
      typename C::Method{service, request, std::move(handler)});
  first_.push_back([this, method] { C::Await(*this, method); });
}

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_ASYNC_UNARY_H_
