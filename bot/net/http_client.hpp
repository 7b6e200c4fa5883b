#pragma once
// An HTTP/1.1 client for one origin (scheme, host, port), on Boost.Beast and
// an io_context: https:// through TLS (see tls.hpp), plain http:// only to
// loopback hosts. Connections are kept alive and reused; up to
// `max_connections` requests run at once (a Matrix /sync long-poll holds
// one while sends use others), the rest wait in order.
//
//   auto client = net::http_client::create(io, "https://matrix.example.org");
//   client->request({.method = "GET", .target = "/_matrix/client/versions"},
//                   [](net::http_result r) { if (r.ok()) use(r.response->status, r.response->body); });
//
// Every request ends in exactly one call of its callback, on the
// io_context's thread: a response (any status) or an error value. Header
// values are never logged; the Authorization header carries tokens.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}
}  // namespace boost::asio

namespace ritualbot::net {

struct http_header {
    std::string name;
    std::string value;
};

struct http_request {
    std::string method = "GET";
    std::string target = "/";  // path and query, appended to the base URL's path
    std::vector<http_header> headers;
    std::string body;
    std::chrono::milliseconds timeout{30000};  // the whole exchange: connect, TLS, write, read
};

struct http_response {
    int status = 0;
    std::vector<http_header> headers;
    std::string body;

    // Case-insensitive; nullptr when absent.
    const std::string* header(std::string_view name) const;
};

enum class http_error_kind {
    none,
    connect,       // resolve or TCP connect failed
    tls,           // handshake or certificate verification failed
    timeout,       // the request's timeout passed
    io,            // the connection broke mid-exchange
    bad_response,  // the server's answer is not HTTP
    too_large,     // the body exceeded max_body_bytes
    bad_request,   // we could not build it (unknown method)
    cancelled,     // shutdown() was called
};

struct http_result {
    std::optional<http_response> response;  // set when the server answered, whatever the status
    http_error_kind error_kind = http_error_kind::none;
    std::string error;  // why there is no response; never contains a header value

    bool ok() const { return response.has_value(); }
};

std::string to_string(http_error_kind k);

struct http_client_options {
    // Required for https://; null means make_tls_client_context() with the system store.
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::size_t max_connections = 4;
    std::chrono::seconds keep_idle{30};  // an idle connection older than this is not reused
    std::size_t max_body_bytes = 16 * 1024 * 1024;
    std::string user_agent = "ritualbot";
};

class http_client {
public:
    // Throws std::invalid_argument for a base URL it will not talk to: not
    // http(s)://, or http:// to a host that is not loopback.
    static std::shared_ptr<http_client> create(boost::asio::io_context& io, const std::string& base_url,
                                               http_client_options options = {});
    virtual ~http_client() = default;

    virtual void request(http_request req, std::function<void(http_result)> done) = 0;
    // Ends every request with `cancelled` and closes every connection; later requests fail the same way.
    virtual void shutdown() = 0;
    // Connections open now, busy or idle (tests check reuse with it).
    virtual std::size_t open_connections() const = 0;
    // TCP connections made since creation.
    virtual std::size_t connections_made() const = 0;
};

// Retry-After as seconds or an HTTP date (relative to `now`); nullopt when
// absent or unreadable. A server cannot park us longer than max_retry_after
// (a day): a larger value, or a date in year 9999, is clamped to it.
inline constexpr std::chrono::seconds max_retry_after{24 * 3600};
std::optional<std::chrono::milliseconds> retry_after(const http_response& r,
                                                     std::chrono::system_clock::time_point now);

}  // namespace ritualbot::net
