#include "tests/support/slack_test_bot.hpp"

#include <boost/asio/post.hpp>

#include <stdexcept>

#include "bot/slack/slack_http.hpp"
#include "tests/support/test_bot.hpp"

namespace ritualbot::testing {

slack::slack_options fast_slack_options() {
    slack::slack_options o;
    o.socket.app_token = "xapp-1-test";
    o.socket.hello_timeout = std::chrono::milliseconds(2000);
    o.socket.idle_timeout = std::chrono::milliseconds(4000);
    o.socket.first_backoff = std::chrono::milliseconds(50);
    o.socket.max_backoff = std::chrono::milliseconds(400);
    o.api.first_backoff = std::chrono::milliseconds(20);
    o.api.max_backoff = std::chrono::milliseconds(200);
    o.channel_interval = std::chrono::milliseconds(0);
    o.channel_burst = 1000;
    return o;
}

slack_test_bot::slack_test_bot(const std::string& toml, const std::string& start_iso, fake_slack& fake,
                               slack::slack_options options, std::shared_ptr<boost::asio::ssl::context> tls,
                               const std::string& db_path)
    : cfg(must_load(toml)), clk(at(start_iso)), db(std::make_unique<store>(db_path)) {
    dispatch = std::make_unique<dispatcher>(cfg, *db, clk);
    sched = std::make_unique<scheduler>(cfg, *db, *dispatch);
    outbox = std::make_unique<outbox_sender>(*db, clk);
    outbox->set_wake([this] {
        if (wake_posted) return;
        wake_posted = true;
        boost::asio::post(io, [this] {
            wake_posted = false;
            outbox->flush();
        });
    });
    auto http = slack::make_slack_http(io, fake.api_base_url(), tls);
    if (!http.error.empty()) throw std::runtime_error(http.error);
    options.api.base_path = http.base_path;
    if (!options.upload) options.upload = http.upload;
    if (tls) options.socket.tls = tls.get();
    slack = std::make_unique<slack::slack_transport>(io, cfg, *db, clk, *dispatch, http.send, "xoxb-1-test",
                                                     std::move(options));
    outbox->add_transport(*slack);
}

slack_test_bot::~slack_test_bot() {
    if (slack) slack->stop();
    io.run_for(std::chrono::milliseconds(50));
    slack.reset();
    io.run_for(std::chrono::milliseconds(10));
}

bool slack_test_bot::start(std::chrono::milliseconds timeout) {
    slack->start(
        [this] {
            ready = true;
            sched->run_due(clk.now());
            outbox->flush();
        },
        [this] { outbox->flush(); });
    return run_until([this] { return ready && slack->socket().has_session(); }, timeout);
}

bool slack_test_bot::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    return fake_slack::wait_until(done, timeout, [this] {
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    });
}

void slack_test_bot::run_for(std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
}

void slack_test_bot::advance_to(const std::string& iso) {
    sched->run_due(at(iso), &clk);
    flush();
}

void slack_test_bot::flush() { outbox->flush(); }

}  // namespace ritualbot::testing
