// CPU time as Linux accounts it in /proc, for benchmarks that say where the time went.
#ifndef PARKLINE_BENCH_CPU_H_
#define PARKLINE_BENCH_CPU_H_

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

namespace parkline::bench {

// utime + stime of a process or thread, in seconds (<proc>/stat fields 14 and 15, where <proc>
// is /proc/<pid> or /proc/<pid>/task/<tid>).
inline double CpuSeconds(const std::string& proc) {
  std::ifstream in(proc + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));  // from field 3, the state
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A process's or thread's name (<proc>/comm).
inline std::string CommandName(const std::string& proc) {
  std::ifstream in(proc + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

// CPU seconds of each entry of `folder` (/proc, or /proc/<pid>/task) that `keep` accepts, by
// pid or tid.
inline std::map<std::string, double> CpuOfEach(
    const std::string& folder, const std::function<bool(const std::string&)>& keep) {
  std::map<std::string, double> out;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    if (keep(entry.path().string())) out[name] = CpuSeconds(entry.path().string());
  }
  return out;
}

// The host's busy and iowait seconds, all cores together (/proc/stat).
struct HostSeconds {
  double busy = 0, iowait = 0;
};
inline HostSeconds HostCpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {(user + nice + system + irq + softirq + steal) / hz, iowait / hz};
}

}  // namespace parkline::bench

#endif  // PARKLINE_BENCH_CPU_H_
