#pragma once
// Absolute http(s)/ws(s) URLs split into what a client needs to connect:
// scheme, host, port and the request target. A deliberately small parser
// (no user info, no fragments kept) instead of Boost.URL, which would need
// another compiled library for four fields.
//
//   auto u = net::parse_url("https://matrix.example.org:8448/base");
//   u->host == "matrix.example.org", u->port == "8448", u->target == "/base"
#include <optional>
#include <string>
#include <string_view>

namespace ritualbot::net {

struct url {
    std::string scheme;  // lower case: "http", "https", "ws", "wss"
    std::string host;    // without brackets for IPv6 literals
    std::string port;    // explicit, or the scheme's default
    std::string target;  // path and query, at least "/"

    bool secure() const { return scheme == "https" || scheme == "wss"; }
    // The host names this machine: 127.0.0.0/8, ::1 or "localhost".
    bool is_loopback() const;
    // "host:port" as the Host header wants it (port left out when default).
    std::string host_header() const;
    // scheme://host[:port] without the target.
    std::string origin() const;
};

// nullopt for anything that is not an absolute URL of the four schemes,
// has user info, an empty host, or a port that is not 1..65535.
std::optional<url> parse_url(std::string_view text);

bool is_ip_literal(std::string_view host);

// Percent-encodes everything but RFC 3986 unreserved characters: a path
// segment or a query value ("!room:example.org" -> "%21room%3Aexample.org").
std::string percent_encode(std::string_view s);

}  // namespace ritualbot::net
