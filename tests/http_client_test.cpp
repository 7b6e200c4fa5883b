#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>

#include "bot/net/backoff.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/http_json.hpp"
#include "bot/net/tls.hpp"
#include "bot/net/url.hpp"
#include "tests/support/loopback_http_server.hpp"

using namespace ritualbot;
using namespace ritualbot::testing;
using namespace std::chrono_literals;

namespace {

// Runs the io_context until the request has its answer (or 20 s passed).
net::http_result send(boost::asio::io_context& io, net::http_client& client, net::http_request req) {
    std::optional<net::http_result> out;
    client.request(std::move(req), [&](net::http_result r) { out = std::move(r); });
    io.restart();
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (!out && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
    if (!out) ADD_FAILURE() << "no answer";
    return out ? std::move(*out) : net::http_result{};
}

net::http_request get(std::string target, std::chrono::milliseconds timeout = 5s) {
    net::http_request req;
    req.target = std::move(target);
    req.timeout = timeout;
    return req;
}

std::shared_ptr<boost::asio::ssl::context> trusting(const std::string& ca_pem) {
    net::tls_options options;
    options.system_store = false;
    options.extra_ca_pem = ca_pem;
    return net::make_tls_client_context(options);
}

net::http_client_options with_tls(std::shared_ptr<boost::asio::ssl::context> ctx) {
    net::http_client_options options;
    options.tls = std::move(ctx);
    return options;
}

loopback_server_options tls_server(const test_pki* pki = nullptr) {
    loopback_server_options options;
    options.tls = true;
    options.pki = pki;
    return options;
}

loopback_handler echo_handler() {
    return [](loopback_request req, loopback_responder respond) {
        nlohmann::json j{{"method", req.method}, {"target", req.target}, {"body", req.body},
                         {"auth", req.header("Authorization")}, {"connection", req.connection}};
        respond(loopback_response::json(200, j.dump()));
    };
}

}  // namespace

TEST(Url, ParsesSchemeHostPortAndTarget) {
    auto u = net::parse_url("https://Matrix.Example.org:8448/base/path?x=1#frag");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "matrix.example.org");
    EXPECT_EQ(u->port, "8448");
    EXPECT_EQ(u->target, "/base/path?x=1");
    EXPECT_EQ(u->host_header(), "matrix.example.org:8448");

    auto plain = net::parse_url("http://127.0.0.1:5555");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->target, "/");
    EXPECT_TRUE(plain->is_loopback());

    auto v6 = net::parse_url("wss://[::1]/link/?ticket=1");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, "443");
    EXPECT_TRUE(v6->is_loopback());
    EXPECT_EQ(v6->host_header(), "[::1]");

    EXPECT_FALSE(net::parse_url("ftp://example.org/"));
    EXPECT_FALSE(net::parse_url("https://user:pw@example.org/"));
    EXPECT_FALSE(net::parse_url("https://:443/"));
    EXPECT_FALSE(net::parse_url("https://example.org:99999/"));
    EXPECT_FALSE(net::parse_url("https://example.org:12ab/"));
    EXPECT_FALSE(net::parse_url("example.org"));
    EXPECT_FALSE(net::parse_url("https://example.org/a b"));
    EXPECT_FALSE(net::parse_url("https://10.0.0.1/")->is_loopback());
}

TEST(Url, PercentEncodesMatrixIds) {
    EXPECT_EQ(net::percent_encode("!abc:example.org"), "%21abc%3Aexample.org");
    EXPECT_EQ(net::percent_encode("@alice:example.org"), "%40alice%3Aexample.org");
    EXPECT_EQ(net::percent_encode("a-b_c.d~e"), "a-b_c.d~e");
    EXPECT_EQ(net::percent_encode("{\"x\": 1}"), "%7B%22x%22%3A%201%7D");
}

TEST(Backoff, DoublesUpToTheCapWithJitter) {
    net::backoff b({.first = 100ms, .max = 1000ms, .jitter = 0.5}, 42);
    const std::chrono::milliseconds ceilings[] = {100ms, 200ms, 400ms, 800ms, 1000ms, 1000ms, 1000ms};
    for (auto ceiling : ceilings) {
        auto d = b.next();
        EXPECT_LE(d, ceiling);
        EXPECT_GE(d, ceiling / 2);
    }
    EXPECT_EQ(b.failures(), 7);
    b.reset();
    EXPECT_LE(b.next(), 100ms);

    net::backoff exact({.first = 10ms, .max = 40ms, .jitter = 0});
    EXPECT_EQ(exact.next(), 10ms);
    EXPECT_EQ(exact.next(), 20ms);
    EXPECT_EQ(exact.next(), 40ms);
    EXPECT_EQ(exact.next(), 40ms);
    for (int i = 0; i < 200; ++i) exact.next();  // no overflow after many failures
    EXPECT_EQ(exact.next(), 40ms);
}

TEST(HttpClient, RetryAfterSecondsAndHttpDate) {
    net::http_response r;
    const auto now = std::chrono::sys_days(std::chrono::year(2015) / 10 / 21) + 7h + 27min;
    EXPECT_FALSE(net::retry_after(r, now));
    r.headers = {{"retry-after", "3"}};
    EXPECT_EQ(net::retry_after(r, now), std::chrono::milliseconds(3000));
    r.headers = {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}};
    EXPECT_EQ(net::retry_after(r, now), std::chrono::milliseconds(60000));
    r.headers = {{"Retry-After", "soon"}};
    EXPECT_FALSE(net::retry_after(r, now));
}

TEST(HttpClient, AHostileRetryAfterCannotParkUsForDecadesOrOverflow) {
    net::http_response r;
    const auto now = std::chrono::system_clock::now();
    const std::chrono::milliseconds day = std::chrono::hours(24);
    r.headers = {{"Retry-After", "999999999"}};
    EXPECT_EQ(net::retry_after(r, now), day);
    r.headers = {{"Retry-After", "99999999999999999999"}};
    EXPECT_EQ(net::retry_after(r, now), day);
    r.headers = {{"Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"}};
    EXPECT_EQ(net::retry_after(r, now), day);  // the sanitizer build checks the arithmetic
    r.headers = {{"Retry-After", "Fri, 31 Dec 1969 23:59:59 GMT"}};
    EXPECT_FALSE(net::retry_after(r, now));
    r.headers = {{"Retry-After", "Fri, 31 Dec 2020 -1:59:59 GMT"}};
    EXPECT_FALSE(net::retry_after(r, now));
}

TEST(HttpClient, RefusesPlainHttpToOtherHosts) {
    boost::asio::io_context io;
    EXPECT_THROW(net::http_client::create(io, "http://matrix.example.org"), std::invalid_argument);
    EXPECT_THROW(net::http_client::create(io, "ftp://127.0.0.1"), std::invalid_argument);
    EXPECT_NO_THROW(net::http_client::create(io, "http://127.0.0.1:8008"));
    EXPECT_NO_THROW(net::http_client::create(io, "http://localhost:8008"));
}

TEST(HttpClient, SendsHeadersAndBodyAndReusesTheConnection) {
    loopback_http_server server(echo_handler());
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url() + "/prefix/");

    auto req = net::json_request("PUT", "/rooms/x?y=1", nlohmann::json{{"msgtype", "m.notice"}});
    req.headers.push_back({"Authorization", "Bearer secret"});
    auto r1 = send(io, *client, req);
    ASSERT_TRUE(r1.ok()) << r1.error;
    EXPECT_EQ(r1.response->status, 200);
    auto j1 = net::json_body(*r1.response);
    ASSERT_TRUE(j1);
    EXPECT_EQ((*j1)["method"], "PUT");
    EXPECT_EQ((*j1)["target"], "/prefix/rooms/x?y=1");
    EXPECT_EQ((*j1)["auth"], "Bearer secret");
    EXPECT_EQ(nlohmann::json::parse((*j1)["body"].get<std::string>())["msgtype"], "m.notice");

    for (int i = 0; i < 5; ++i) {
        auto r = send(io, *client, get("/again"));
        ASSERT_TRUE(r.ok()) << r.error;
        EXPECT_EQ((*net::json_body(*r.response))["connection"], (*j1)["connection"]);
    }
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_EQ(client->connections_made(), 1u);
    EXPECT_EQ(client->open_connections(), 1u);
}

TEST(HttpClient, ReconnectsWhenTheServerClosedAnIdleConnection) {
    loopback_http_server server(echo_handler());
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    ASSERT_TRUE(send(io, *client, get("/one")).ok());
    server.drop_all_connections();
    auto r = send(io, *client, get("/two"));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpClient, HonoursConnectionClose) {
    loopback_http_server server([](loopback_request, loopback_responder respond) {
        auto r = loopback_response::text(200, "bye");
        r.close = true;
        respond(r);
    });
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    ASSERT_TRUE(send(io, *client, get("/")).ok());
    ASSERT_TRUE(send(io, *client, get("/")).ok());
    EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpClient, ConcurrentRequestsUseSeparateConnections) {
    // The first request is held (like a /sync long-poll) until the second one has been answered.
    std::mutex m;
    loopback_responder held;
    loopback_http_server server([&](loopback_request req, loopback_responder respond) {
        std::lock_guard lock(m);
        if (req.target == "/hold") {
            held = std::move(respond);
        } else {
            respond(loopback_response::text(200, "quick"));
            if (held) held(loopback_response::text(200, "held"));
        }
    });
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    std::optional<net::http_result> slow;
    client->request(get("/hold"), [&](net::http_result r) { slow = std::move(r); });
    io.run_for(100ms);
    auto quick = send(io, *client, get("/quick"));
    ASSERT_TRUE(quick.ok()) << quick.error;
    EXPECT_EQ(quick.response->body, "quick");
    io.restart();
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (!slow && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
    ASSERT_TRUE(slow && slow->ok());
    EXPECT_EQ(slow->response->body, "held");
    EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpClient, TimesOutWhenTheServerDoesNotAnswer) {
    std::mutex m;
    std::vector<loopback_responder> never;
    loopback_http_server server([&](loopback_request, loopback_responder respond) {
        std::lock_guard lock(m);
        never.push_back(std::move(respond));
    });
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    const auto start = std::chrono::steady_clock::now();
    auto r = send(io, *client, get("/slow", 300ms));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_kind, net::http_error_kind::timeout) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    EXPECT_EQ(client->open_connections(), 0u);
}

TEST(HttpClient, ConnectionRefusedIsAnError) {
    boost::asio::io_context io;
    unsigned short port;
    {
        loopback_http_server gone(echo_handler());
        port = gone.port();
    }
    auto client = net::http_client::create(io, "http://127.0.0.1:" + std::to_string(port));
    auto r = send(io, *client, get("/"));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_kind, net::http_error_kind::connect) << r.error;
}

TEST(HttpClient, BrokenResponseIsAnErrorNotACrash) {
    loopback_http_server server([](loopback_request req, loopback_responder respond) {
        if (req.target == "/garbage") respond(loopback_response::raw_bytes("garbage\r\n\r\n"));
        else if (req.target == "/truncated")
            respond(loopback_response::raw_bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"));
        else if (req.target == "/drop") respond(loopback_response::drop());
        else respond(loopback_response::text(200, "fine"));
    });
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    auto garbage = send(io, *client, get("/garbage"));
    EXPECT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error_kind, net::http_error_kind::bad_response) << garbage.error;
    auto truncated = send(io, *client, get("/truncated"));
    EXPECT_FALSE(truncated.ok());
    auto dropped = send(io, *client, get("/drop"));
    EXPECT_FALSE(dropped.ok());
    EXPECT_EQ(dropped.error_kind, net::http_error_kind::io) << dropped.error;
    auto fine = send(io, *client, get("/fine"));
    ASSERT_TRUE(fine.ok()) << fine.error;
    EXPECT_EQ(fine.response->body, "fine");
}

TEST(HttpClient, BodyLimitIsEnforced) {
    loopback_http_server server([](loopback_request, loopback_responder respond) {
        respond(loopback_response::text(200, std::string(10000, 'x')));
    });
    boost::asio::io_context io;
    net::http_client_options small;
    small.max_body_bytes = 1000;
    auto client = net::http_client::create(io, server.base_url(), small);
    auto r = send(io, *client, get("/"));
    EXPECT_EQ(r.error_kind, net::http_error_kind::too_large) << r.error;
}

TEST(HttpClient, TlsWithTheTestCaWorks) {
    loopback_http_server server(echo_handler(), tls_server());
    boost::asio::io_context io;
    auto ctx = trusting(shared_test_pki().ca_pem);
    auto client = net::http_client::create(io, server.base_url(), with_tls(ctx));
    for (int i = 0; i < 3; ++i) {
        auto r = send(io, *client, get("/secure"));
        ASSERT_TRUE(r.ok()) << r.error;
        EXPECT_EQ((*net::json_body(*r.response))["target"], "/secure");
    }
    EXPECT_EQ(server.connections_accepted(), 1u);

    // The certificate also names localhost: SNI and the host-name check pass.
    auto by_name = net::http_client::create(io, "https://localhost:" + std::to_string(server.port()), with_tls(ctx));
    auto r = send(io, *by_name, get("/named"));
    EXPECT_TRUE(r.ok()) << r.error;
}

TEST(HttpClient, TlsWithAnUntrustedCertificateFails) {
    loopback_http_server server(echo_handler(), tls_server());
    boost::asio::io_context io;
    // The system store does not know our throw-away CA.
    auto client = net::http_client::create(io, server.base_url());
    auto r = send(io, *client, get("/"));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_kind, net::http_error_kind::tls);
    EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos) << r.error;

    // Another CA than the one that signed the server's certificate: also refused.
    const test_pki other = make_test_pki();
    auto ctx = trusting(other.ca_pem);
    auto wrong_ca = net::http_client::create(io, server.base_url(), with_tls(ctx));
    auto r2 = send(io, *wrong_ca, get("/"));
    EXPECT_EQ(r2.error_kind, net::http_error_kind::tls) << r2.error;
}

TEST(HttpClient, TlsHostNameMismatchFails) {
    // A trusted CA, but the certificate names another host than the one we dialled.
    const test_pki elsewhere = make_test_pki("DNS:matrix.example.org");
    loopback_http_server server(echo_handler(), tls_server(&elsewhere));
    boost::asio::io_context io;
    auto ctx = trusting(elsewhere.ca_pem);
    auto by_ip = net::http_client::create(io, server.base_url(), with_tls(ctx));
    auto r = send(io, *by_ip, get("/", 2s));
    EXPECT_EQ(r.error_kind, net::http_error_kind::tls) << r.error;
    auto by_name = net::http_client::create(io, "https://localhost:" + std::to_string(server.port()), with_tls(ctx));
    auto r2 = send(io, *by_name, get("/", 2s));
    EXPECT_EQ(r2.error_kind, net::http_error_kind::tls) << r2.error;
    EXPECT_NE(r2.error.find("certificate verify failed"), std::string::npos) << r2.error;
}

TEST(HttpClient, ShutdownCancelsRequestsInFlight) {
    std::mutex m;
    std::vector<loopback_responder> never;
    loopback_http_server server([&](loopback_request, loopback_responder respond) {
        std::lock_guard lock(m);
        never.push_back(std::move(respond));
    });
    boost::asio::io_context io;
    auto client = net::http_client::create(io, server.base_url());
    std::optional<net::http_result> out;
    client->request(get("/", 10s), [&](net::http_result r) { out = std::move(r); });
    io.run_for(200ms);
    client->shutdown();
    io.restart();
    io.run_for(1s);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->error_kind, net::http_error_kind::cancelled) << out->error;
}

TEST(Tls, BadCaFileIsAClearError) {
    net::tls_options options;
    options.extra_ca_file = "/nonexistent/ca.pem";
    EXPECT_THROW(net::make_tls_client_context(options), net::tls_error);
}
