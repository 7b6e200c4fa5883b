#include "bot/net/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace ritualbot::net {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string default_port(std::string_view scheme) {
    return scheme == "https" || scheme == "wss" ? "443" : "80";
}

}  // namespace

bool is_ip_literal(std::string_view host) {
    std::string h(host);
    unsigned char buf[16];
    return ::inet_pton(AF_INET, h.c_str(), buf) == 1 || ::inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

bool url::is_loopback() const {
    const std::string h = lower(host);
    if (h == "localhost" || h == "::1") return true;
    unsigned char v4[4];
    return ::inet_pton(AF_INET, h.c_str(), v4) == 1 && v4[0] == 127;
}

std::string url::host_header() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != default_port(scheme)) h += ":" + port;
    return h;
}

std::string url::origin() const { return scheme + "://" + host_header(); }

std::optional<url> parse_url(std::string_view text) {
    url u;
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    u.scheme = lower(text.substr(0, sep));
    if (u.scheme != "http" && u.scheme != "https" && u.scheme != "ws" && u.scheme != "wss") return std::nullopt;
    std::string_view rest = text.substr(sep + 3);
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

    const auto path_start = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, path_start);
    if (path_start == std::string_view::npos) u.target = "/";
    else if (rest[path_start] == '?') u.target = "/" + std::string(rest.substr(path_start));
    else u.target = std::string(rest.substr(path_start));
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

    std::string_view host = authority, port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return std::nullopt;
    for (char c : host)
        if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '\\') return std::nullopt;
    u.host = lower(host);
    if (port.empty()) {
        u.port = default_port(u.scheme);
    } else {
        if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
        const int n = std::stoi(std::string(port));
        if (n < 1 || n > 65535) return std::nullopt;
        u.port = std::to_string(n);
    }
    for (char c : u.target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
    return u;
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace ritualbot::net
