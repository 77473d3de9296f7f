#include "runtime/signals.h"

#include <pthread.h>
#include <signal.h>

namespace parkline::runtime {
namespace {

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void BlockServiceSignals() {
  sigset_t set = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForSignal(absl::Duration timeout) {
  sigset_t set = HandledSignals();
  timespec wait = absl::ToTimespec(timeout);
  int signal = sigtimedwait(&set, nullptr, &wait);
  return signal > 0 ? signal : 0;
}

}  // namespace parkline::runtime
