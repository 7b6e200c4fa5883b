// Fuzz target: the HTTP header values the bot reads itself (Beast parses the
// rest): Retry-After (net::retry_after, seconds or an IMF-fixdate), and the
// same bytes as a URL (net::parse_url, for the configured base URLs).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <date/date.h>

#include "bot/net/http_client.hpp"
#include "bot/net/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ritualbot;
    using namespace std::chrono;
    const std::string value(reinterpret_cast<const char*>(data), size);
    net::http_response r;
    r.status = 429;
    r.headers.push_back({"content-type", "application/json"});
    r.headers.push_back({"retry-after", value});
    const system_clock::time_point now = date::sys_days(date::year(2026) / 11 / 19) + hours(14);
    for (auto t : {now, system_clock::time_point{}}) {
        auto wait = net::retry_after(r, t);
        if (wait && (*wait < milliseconds(0) || *wait > net::max_retry_after))
            throw std::logic_error("retry_after out of [0, max_retry_after]");
    }
    if (auto u = net::parse_url(value)) {
        (void)u->host_header();
        (void)u->origin();
        (void)u->is_loopback();
    }
    (void)net::percent_encode(value);
    (void)net::is_ip_literal(value);
    return 0;
}
