#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <optional>
#include <thread>

#include "bot/net/websocket_client.hpp"
#include "tests/support/fake_slack.hpp"

using namespace ritualbot;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

// A websocket peer that says one thing and then goes silent: it never reads
// again, so the client's pings get no pong.
struct silent_peer {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::atomic<bool> done{false};
    std::thread thread;

    silent_peer() {
        thread = std::thread([this] {
            tcp::socket socket(io);
            acceptor.accept(socket);
            beast::websocket::stream<tcp::socket> ws(std::move(socket));
            ws.accept();
            ws.write(asio::buffer(std::string(R"({"type":"hello"})")));
            while (!done) std::this_thread::sleep_for(10ms);
        });
    }
    ~silent_peer() {
        done = true;
        thread.join();
    }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/"; }
};

// A websocket peer that says one thing and then only reads: it sends no
// message, but answers the client's pings (Beast's read answers them).
struct quiet_peer {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::atomic<int> pings{0};
    std::thread thread;

    quiet_peer() {
        thread = std::thread([this] {
            tcp::socket socket(io);
            acceptor.accept(socket);
            beast::websocket::stream<tcp::socket> ws(std::move(socket));
            ws.control_callback([this](beast::websocket::frame_type kind, beast::string_view) {
                if (kind == beast::websocket::frame_type::ping) ++pings;
            });
            ws.accept();
            ws.write(asio::buffer(std::string(R"({"type":"hello"})")));
            beast::error_code ec;
            beast::flat_buffer buffer;
            while (!ec) ws.read(buffer, ec);  // until the client closes
        });
    }
    ~quiet_peer() { thread.join(); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/"; }
};

}  // namespace

TEST(WebsocketClient, QuietPeerThatAnswersPingsStaysConnected) {
    quiet_peer peer;
    asio::io_context io;
    std::optional<std::string> closed;
    net::websocket_options o;
    o.idle_timeout = 200ms;
    net::websocket_handlers h;
    h.on_close = [&](const std::string& error) { closed = error; };
    auto ws = net::websocket_client::create(io, o, h);
    ws->connect(peer.url());
    io.run_for(1500ms);  // 7 idle timeouts without a message
    EXPECT_FALSE(closed.has_value()) << closed.value_or("");
    EXPECT_TRUE(ws->is_open());
    EXPECT_GE(peer.pings.load(), 2);
    ws->close();
    io.restart();
    io.run_for(1s);
    ASSERT_TRUE(closed.has_value());
    EXPECT_EQ(*closed, "");
}

TEST(WebsocketClient, SilentPeerIsDetectedByUnansweredPings) {
    silent_peer peer;
    asio::io_context io;
    std::string first;
    std::optional<std::string> closed;
    net::websocket_options o;
    o.idle_timeout = 400ms;
    net::websocket_handlers h;
    h.on_message = [&](std::string text) { first = text; };
    h.on_close = [&](const std::string& error) { closed = error; };
    auto ws = net::websocket_client::create(io, o, h);
    const auto t0 = std::chrono::steady_clock::now();
    ws->connect(peer.url());
    ASSERT_TRUE(ritualbot::testing::fake_slack::wait_until([&] { return closed.has_value(); }, 5s, [&] {
        io.restart();
        io.run_for(5ms);
    }));
    EXPECT_EQ(first, R"({"type":"hello"})");
    EXPECT_NE(closed->find("timed out"), std::string::npos) << *closed;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    EXPECT_FALSE(ws->is_open());
}

TEST(WebsocketClient, RefusesBadUrlsAndPlainWsToOtherHosts) {
    asio::io_context io;
    std::vector<std::string> errors;
    net::websocket_handlers h;
    h.on_close = [&](const std::string& e) { errors.push_back(e); };
    for (const char* url : {"http://127.0.0.1/", "ws://example.com/link", "wss://example.com/link", "nonsense"})
        net::websocket_client::create(io, {}, h)->connect(url);
    io.run_for(50ms);
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_NE(errors[0].find("not a ws"), std::string::npos);
    EXPECT_NE(errors[1].find("loopback"), std::string::npos);
    EXPECT_NE(errors[2].find("TLS context"), std::string::npos);
}
