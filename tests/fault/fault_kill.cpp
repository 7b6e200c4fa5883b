// Linked into ritualbot_faulty only (see bot/fault.hpp). RITUALBOT_FAULT is
// "<point>:<n>": the n-th pass (1-based) through <point> kills the process
// with SIGKILL, as a power cut or the OOM killer would; nothing is flushed.
#include <csignal>
#include <cstdlib>
#include <string>

#include "bot/fault.hpp"

namespace ritualbot {
namespace {

struct armed_fault {
    std::string point;
    long remaining = 0;
    armed_fault() {
        const char* spec = std::getenv("RITUALBOT_FAULT");
        if (!spec) return;
        std::string s(spec);
        auto colon = s.rfind(':');
        if (colon == std::string::npos) return;
        point = s.substr(0, colon);
        remaining = std::strtol(s.c_str() + colon + 1, nullptr, 10);
    }
};

}  // namespace

void fault_point(const char* name) {
    static armed_fault fault;
    if (fault.remaining <= 0 || fault.point != name) return;
    if (--fault.remaining == 0) std::raise(SIGKILL);
}

}  // namespace ritualbot
