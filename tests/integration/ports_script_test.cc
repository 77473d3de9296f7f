// tools/ports.sh against the kernel's real sockets: `tools/dev up` waits with it for a service's
// port when an outgoing connection took that port as its own, and fails at once when a listener
// holds it (CI once lost a run to "Address already in use" on 127.0.0.1:50056 with nothing
// listening there).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

struct ScriptRun {
  int exit_code = -1;
  std::string output;
  double seconds = 0;
};

ScriptRun RunScript(const std::string& arguments) {
  const std::string command = std::string(PORTS_SCRIPT) + " " + arguments + " 2>&1";
  const auto started = std::chrono::steady_clock::now();
  ScriptRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) run.output += buffer;
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int PortOf(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

// Every socket here is close-on-exec: the script run by popen must not keep one open.
// A listening socket on a port the kernel picks.
int Listen() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback(0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 4) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// A client connection to `listener` whose local port is the kernel's choice, as a Kafka client's
// would be. Bound first: connect() alone may pick a port that another connection left in
// TIME_WAIT (another 4-tuple), which then outlives this one and holds the port for a minute (a CI
// run saw state 06 linger after the test's reset); bind() picks only a port no socket holds.
int Connect(int listener) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local = Loopback(0);
  sockaddr_in address = Loopback(PortOf(listener));
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Closes with a reset, so that the port is not left in TIME_WAIT for a minute.
void Reset(int fd) {
  linger now{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
  close(fd);
}

TEST(PortsScriptTest, AFreePortIsFreeAtOnce) {
  const int listener = Listen();
  ASSERT_GE(listener, 0);
  const int port = PortOf(listener);
  close(listener);  // never connected: nothing is left behind on the port

  const ScriptRun run = RunScript("wait " + std::to_string(port) + " 5");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_LT(run.seconds, 2.0);
}

TEST(PortsScriptTest, AListenerFailsAtOnceNamingIt) {
  const int listener = Listen();
  ASSERT_GE(listener, 0);

  const ScriptRun run = RunScript("wait " + std::to_string(PortOf(listener)) + " 30");
  close(listener);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("taken by a listening socket"), std::string::npos) << run.output;
  EXPECT_LT(run.seconds, 5.0) << "a listener does not go away by itself: no wait";
}

TEST(PortsScriptTest, AConnectionHoldingThePortIsWaitedForUntilItCloses) {
  const int listener = Listen();
  ASSERT_GE(listener, 0);
  const int client = Connect(listener);
  ASSERT_GE(client, 0);
  const int taken = PortOf(client);
  const int accepted = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(accepted, 0);

  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    Reset(client);
  });
  const ScriptRun run = RunScript("wait " + std::to_string(taken) + " 20");
  closer.join();
  Reset(accepted);
  close(listener);

  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("held by a connection"), std::string::npos) << run.output;
  EXPECT_GE(run.seconds, 2.0) << "it returned before the connection closed";
  EXPECT_LT(run.seconds, 10.0) << run.output;
}

TEST(PortsScriptTest, AConnectionThatStaysFailsAfterTheWaitSayingHowToReserve) {
  const int listener = Listen();
  ASSERT_GE(listener, 0);
  const int client = Connect(listener);
  ASSERT_GE(client, 0);
  const int accepted = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);

  const ScriptRun run = RunScript("wait " + std::to_string(PortOf(client)) + " 2");
  Reset(client);
  if (accepted >= 0) Reset(accepted);
  close(listener);

  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("still held by a connection after 2 s"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ip_local_reserved_ports"), std::string::npos) << run.output;
}

std::string ReservedPorts() {
  std::ifstream file("/proc/sys/net/ipv4/ip_local_reserved_ports");
  std::string line;
  std::getline(file, line);
  return line;
}

bool WriteReservedPorts(const std::string& value) {
  std::ofstream file("/proc/sys/net/ipv4/ip_local_reserved_ports");
  file << value << "\n";
  file.close();
  return !file.fail();
}

TEST(PortsScriptTest, ReservingAddsTheRangeAndKeepsWhatWasThere) {
  const std::string before = ReservedPorts();
  // A range this test owns, restored afterwards, away from the park's.
  if (!WriteReservedPorts(before.empty() ? "41111" : before + ",41111")) {
    GTEST_SKIP() << "net.ipv4.ip_local_reserved_ports is not writable here (needs root and a "
                    "writable /proc/sys); tools/ports.sh reserve then only prints the sysctl";
  }
  const ScriptRun run = RunScript("reserve 41201-41203");
  const std::string after = ReservedPorts();
  WriteReservedPorts(before);

  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(after.find("41111"), std::string::npos) << after;
  EXPECT_NE(after.find("41201-41203"), std::string::npos) << after;
  EXPECT_EQ(ReservedPorts(), before) << "the test left the sysctl changed";
}

}  // namespace
