#pragma once
// Plain HTTP on loopback for tests of the bot's servers: a port to give it,
// and the raw answer (status line, headers, body) to a GET.
#include <string>

namespace ritualbot::testing {

// A port that was free a moment ago.
unsigned short free_port();
// The whole answer to GET `path` on 127.0.0.1:`port`, "" when nothing listens.
std::string http_get(unsigned short port, const std::string& path);

}  // namespace ritualbot::testing
