#pragma once
// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests, in-process on
// its own thread: every request goes to a handler, which answers through a
// responder now or later (from any thread: a fake /sync long-poll holds it).
// Optional TLS with a certificate from test_certificates.hpp. Faults on
// demand: drop a connection without answering, send raw bytes (a broken
// response), drop every connection at once.
//
//   testing::loopback_http_server server([](testing::loopback_request req, testing::loopback_responder respond) {
//       respond(testing::loopback_response::json(200, R"({"ok":true})"));
//   });
//   auto client = net::http_client::create(io, server.base_url());
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/test_certificates.hpp"

namespace ritualbot::testing {

struct loopback_request {
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::uint64_t connection = 0;  // which accepted connection it came on (1, 2, ...)

    std::string header(std::string_view name) const;  // case-insensitive; "" when absent
    std::string path() const;                          // target without the query
    std::string query(std::string_view key) const;     // decoded; "" when absent
};

struct loopback_response {
    enum class action { respond, drop, raw };
    action what = action::respond;
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string raw;     // action::raw: written as is, then the connection closes
    bool close = false;  // Connection: close after this response

    static loopback_response json(int status, std::string body);
    static loopback_response text(int status, std::string body);
    static loopback_response drop();                      // close the socket, answer nothing
    static loopback_response raw_bytes(std::string bytes);  // e.g. "garbage\r\n\r\n"
};

// Call exactly once; any thread.
using loopback_responder = std::function<void(loopback_response)>;
// Runs on the server's thread.
using loopback_handler = std::function<void(loopback_request, loopback_responder)>;

struct loopback_server_options {
    bool tls = false;
    const test_pki* pki = nullptr;  // null: shared_test_pki()
};

class loopback_http_server {
public:
    explicit loopback_http_server(loopback_handler handler, loopback_server_options options = {});
    ~loopback_http_server();  // stops and joins the thread
    loopback_http_server(const loopback_http_server&) = delete;
    loopback_http_server& operator=(const loopback_http_server&) = delete;

    unsigned short port() const;
    std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://..."
    std::uint64_t connections_accepted() const;
    std::uint64_t requests_served() const;
    void drop_all_connections();
    // Runs `f` on the server's thread and waits for it.
    void run_on_server(std::function<void()> f);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace ritualbot::testing
