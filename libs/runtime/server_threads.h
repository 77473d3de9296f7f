// The thread settings of Parkline's gRPC server processes, in a file of their own so that a
// benchmark's bare echo server can run on the same terms without linking the whole server.
#ifndef PARKLINE_RUNTIME_SERVER_THREADS_H_
#define PARKLINE_RUNTIME_SERVER_THREADS_H_

#include "grpcpp/server_builder.h"

namespace parkline::runtime {

// Applied by GrpcServer::Start and by anything measured against it on equal terms.
//
// gRPC's defaults keep at most 2 idle polling threads: under concurrent load every call that
// finds no idle poller spawns a thread, and the thread exits when its call is done, so each
// call paid a thread creation and teardown (3,600 threads in a 40 s benchmark). Keeping up to
// `max_pollers` idle threads alive removes that churn.
struct SyncServerThreads {
  int min_pollers = 2;
  int max_pollers = 256;
};
void ConfigureSyncServer(grpc::ServerBuilder& builder, const SyncServerThreads& threads = {});

// Debian's Abseil is built with absl::Mutex deadlock detection on, which updates a global lock
// graph at every lock gRPC takes (1-2 % of a busy server's CPU in profiles). A production
// process turns it off before it starts threads.
void DisableMutexDeadlockDetection();

}  // namespace parkline::runtime

#endif  // PARKLINE_RUNTIME_SERVER_THREADS_H_
