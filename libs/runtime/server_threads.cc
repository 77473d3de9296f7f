#include "runtime/server_threads.h"

#include "absl/synchronization/mutex.h"

namespace parkline::runtime {

void ConfigureSyncServer(grpc::ServerBuilder& builder, const SyncServerThreads& threads) {
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
                              threads.min_pollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              threads.max_pollers);
}

void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace parkline::runtime
