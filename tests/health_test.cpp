// The operator's endpoints: the pages, the HTTP server that serves them,
// the outbox figures from storage, and the [health] config table.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <fstream>

#include "bot/health.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/http_server.hpp"
#include "config/config.hpp"
#include "storage/store.hpp"
#include "tests/support/test_bot.hpp"

using namespace ritualbot;
using namespace std::chrono_literals;
using ritualbot::testing::at;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

health_snapshot snapshot(bool slack_connected) {
    health_snapshot s;
    s.started = at("2026-11-19T10:00:00Z");
    s.now = at("2026-11-19T10:05:00Z");
    s.transports = {{"slack", slack_connected}, {"matrix", true}};
    outbox_status o;
    o.platform = "slack";
    o.waiting = 3;
    o.set_aside = 1;
    o.oldest_waiting = at("2026-11-19T10:04:30Z");
    s.outbox = {o};
    s.handled.messages = 12;
    s.handled.duplicates = 2;
    s.handled.jobs = 5;
    s.deliveries["slack"].delivered = 15;
    s.deliveries["slack"].set_aside = 1;
    return s;
}

outgoing dm(const std::string& platform, const std::string& user) {
    return {{platform, destination_kind::direct, user, ""}, message("hi")};
}

}  // namespace

TEST(HealthPage, HealthzIsOkOnlyWhileEveryTransportIsConnected) {
    auto ok = health_page("/healthz", snapshot(true));
    EXPECT_EQ(ok.status, 200);
    EXPECT_TRUE(has(ok.body, "ok\n")) << ok.body;
    EXPECT_TRUE(has(ok.body, "slack: connected")) << ok.body;
    auto down = health_page("/healthz", snapshot(false));
    EXPECT_EQ(down.status, 503);
    EXPECT_TRUE(has(down.body, "slack: not connected")) << down.body;
    EXPECT_TRUE(has(down.body, "matrix: connected")) << down.body;
    EXPECT_EQ(health_page("/", snapshot(true)).status, 404);
}

TEST(HealthPage, MetricsAreInThePrometheusTextFormat) {
    auto m = health_page("/metrics", snapshot(false));
    EXPECT_EQ(m.status, 200);
    EXPECT_TRUE(has(m.content_type, "version=0.0.4"));
    EXPECT_TRUE(has(m.body, "# TYPE ritualbot_outbox_waiting gauge\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_outbox_waiting{platform=\"slack\"} 3\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_outbox_set_aside{platform=\"slack\"} 1\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_outbox_oldest_waiting_seconds{platform=\"slack\"} 30\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_transport_connected{platform=\"slack\"} 0\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_transport_connected{platform=\"matrix\"} 1\n")) << m.body;
    auto s = snapshot(false);
    s.dependency_suggestions = {{"alpha", 5, 2}, {"beta", 1, 0}};
    auto d = health_page("/metrics", s);
    EXPECT_TRUE(has(d.body, "ritualbot_dependency_suggestions_total{team=\"alpha\"} 5\n")) << d.body;
    EXPECT_TRUE(has(d.body, "ritualbot_dependency_suggestions_dismissed_total{team=\"alpha\"} 2\n")) << d.body;
    EXPECT_TRUE(has(d.body, "ritualbot_dependency_suggestions_dismissed_total{team=\"beta\"} 0\n")) << d.body;
    EXPECT_TRUE(has(m.body, "ritualbot_start_time_seconds 1795082400\n")) << m.body;
    EXPECT_TRUE(has(m.body, "# TYPE ritualbot_messages_total counter\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_messages_total{outcome=\"handled\"} 12\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_messages_total{outcome=\"duplicate\"} 2\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_jobs_total{outcome=\"ran\"} 5\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_jobs_total{outcome=\"calendar_failed\"} 0\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_unknown_time_zones 0\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_deliveries_total{platform=\"slack\",outcome=\"delivered\"} 15\n")) << m.body;
    EXPECT_TRUE(has(m.body, "ritualbot_deliveries_total{platform=\"slack\",outcome=\"set_aside\"} 1\n")) << m.body;
}

TEST(HealthStore, OutboxStatusesCountWaitingAndSetAsideRowsPerPlatform) {
    store db(":memory:");
    EXPECT_TRUE(db.outbox_statuses().empty());
    const auto a = db.enqueue(dm("slack", "U1"), at("2026-11-19T10:00:00Z"));
    db.enqueue(dm("slack", "U2"), at("2026-11-19T10:01:00Z"));
    const auto c = db.enqueue(dm("slack", "U3"), at("2026-11-19T10:02:00Z"));
    const auto d = db.enqueue(dm("matrix", "@a:x"), at("2026-11-19T10:03:00Z"));
    db.mark_sent(a, at("2026-11-19T10:05:00Z"));
    db.set_aside(c, "invalid_blocks");
    db.mark_failed(d, "503");
    auto s = db.outbox_statuses();
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].platform, "matrix");
    EXPECT_EQ(s[0].waiting, 1);
    EXPECT_EQ(s[1].platform, "slack");
    EXPECT_EQ(s[1].waiting, 1);
    EXPECT_EQ(s[1].set_aside, 1);
    ASSERT_TRUE(s[1].oldest_waiting);
    EXPECT_EQ(*s[1].oldest_waiting, at("2026-11-19T10:01:00Z"));
}

TEST(HttpServer, ServesPagesOnLoopbackAndRefusesOtherMethods) {
    boost::asio::io_context io;
    std::vector<std::string> asked;
    net::http_server server(io, "127.0.0.1", 0, [&](const std::string& path) {
        asked.push_back(path);
        if (path == "/boom") throw std::runtime_error("boom");
        return net::http_page{200, "text/plain", "page " + path};
    });
    ASSERT_NE(server.port(), 0);
    auto client = net::http_client::create(io, "http://127.0.0.1:" + std::to_string(server.port()));
    std::vector<net::http_result> results(4);
    int done = 0;
    auto ask = [&](int i, std::string method, std::string target) {
        net::http_request req;
        req.method = std::move(method);
        req.target = std::move(target);
        req.timeout = 5s;
        client->request(req, [&, i](net::http_result r) {
            results[i] = std::move(r);
            if (++done == 4) io.stop();
        });
    };
    ask(0, "GET", "/healthz?verbose=1");
    ask(1, "GET", "/metrics");
    ask(2, "POST", "/healthz");
    ask(3, "GET", "/boom");
    io.run_for(10s);
    ASSERT_EQ(done, 4);
    for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(results[0].response->status, 200);
    EXPECT_EQ(results[0].response->body, "page /healthz");
    EXPECT_EQ(results[1].response->body, "page /metrics");
    EXPECT_EQ(results[2].response->status, 405);
    EXPECT_EQ(results[3].response->status, 500);
    EXPECT_EQ(asked.size(), 3u);  // the POST never reached the pages
}

TEST(HttpServer, AnAddressInUseOrNotAnAddressIsAClearError) {
    boost::asio::io_context io;
    net::http_server first(io, "127.0.0.1", 0, [](const std::string&) { return net::http_page{}; });
    try {
        net::http_server second(io, "127.0.0.1", first.port(), [](const std::string&) { return net::http_page{}; });
        ADD_FAILURE() << "a second server on the same port";
    } catch (const std::runtime_error& e) {
        EXPECT_TRUE(has(e.what(), "cannot listen on 127.0.0.1:")) << e.what();
    }
    EXPECT_THROW(net::http_server(io, "localhost", 0, [](const std::string&) { return net::http_page{}; }),
                 std::runtime_error);
}

TEST(HealthConfig, ListenIsAnAddressAndAPort) {
    const std::string team = "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\nmembers = [\"alice\"]\n";
    auto none = load_config_string(team);
    ASSERT_TRUE(none.cfg);
    EXPECT_FALSE(none.cfg->health);
    auto v4 = load_config_string(team + "[health]\nlisten = \"127.0.0.1:9464\"\n");
    ASSERT_TRUE(v4.cfg);
    EXPECT_EQ(v4.cfg->health->address, "127.0.0.1");
    EXPECT_EQ(v4.cfg->health->port, 9464);
    auto v6 = load_config_string(team + "[health]\nlisten = \"[::1]:9100\"\n");
    ASSERT_TRUE(v6.cfg);
    EXPECT_EQ(v6.cfg->health->address, "::1");
    for (const char* bad : {"9464", "localhost:9464", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:", "127.0.0.1:80x"}) {
        auto r = load_config_string(team + "[health]\nlisten = \"" + bad + "\"\n");
        ASSERT_FALSE(r.cfg) << bad;
        ASSERT_EQ(r.errors.size(), 1u) << bad;
        EXPECT_EQ(r.errors[0].line, 6) << bad;
        EXPECT_TRUE(has(r.errors[0].message, "[health] listen must be an IP address and a port")) << r.errors[0].message;
    }
    auto typo = load_config_string(team + "[health]\nport = 9464\n");
    ASSERT_FALSE(typo.cfg);
    std::string all;
    for (const auto& e : typo.errors) all += e.message + "\n";
    EXPECT_TRUE(has(all, "unknown key 'port' in [health]")) << all;
    EXPECT_TRUE(has(all, "[health] needs listen")) << all;
}

TEST(HealthConfig, TheExampleConfigsCommentedHealthTableWorksUncommented) {
    std::ifstream in(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    std::string text, line;
    int uncommented = 0;
    bool in_health = false;  // only [health] and its listen line; [web] has one too
    while (std::getline(in, line)) {
        if (line == "# [health]" || (in_health && line.starts_with("# listen = "))) {
            in_health = line == "# [health]";
            line = line.substr(2);
            ++uncommented;
        }
        text += line + "\n";
    }
    ASSERT_EQ(uncommented, 2);
    auto r = load_config_string(text);
    ASSERT_TRUE(r.cfg) << (r.errors.empty() ? "" : r.errors[0].message);
    ASSERT_TRUE(r.cfg->health);
    EXPECT_EQ(r.cfg->health->port, 9464);
}
