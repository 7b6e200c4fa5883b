#include "tests/support/matrix_test_bot.hpp"

#include <boost/asio/post.hpp>

#include "bot/net/tls.hpp"
#include "tests/support/test_bot.hpp"

namespace ritualbot::testing {

namespace {

std::string with_homeserver(std::string toml, const std::string& url) {
    for (auto p = toml.find("HOMESERVER"); p != std::string::npos; p = toml.find("HOMESERVER"))
        toml.replace(p, 10, url);
    return toml;
}

std::int64_t ms_since_epoch(instant t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

matrix::matrix_options matrix_test_bot::fast_options() {
    matrix::matrix_options o;
    o.retry = net::backoff_options{std::chrono::milliseconds(20), std::chrono::milliseconds(200), 0.5};
    return o;
}

matrix_test_bot::matrix_test_bot(fake_homeserver& hs, const std::string& toml, const std::string& start_iso,
                                 const std::string& db_path, matrix::matrix_secrets secrets, matrix::matrix_options options)
    : cfg(must_load(with_homeserver(toml, hs.base_url()))),
      clk(at(start_iso)),
      db(std::make_unique<store>(db_path)),
      hs_(hs) {
    // The homeserver stamps events with the bot's (manual) time, as a real one shares the wall clock.
    hs.set_clock([this] { return ms_since_epoch(clk.now()); });
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
    matrix::matrix_hooks hooks;
    hooks.dispatch = [this](const incoming& in, const std::function<void()>& also) { return dispatch->handle(in, also); };
    hooks.dispatched = [this] { outbox->flush(); };
    hooks.fatal = [this](const std::string& why) {
        fatal = why;
        transport->stop();
    };
    transport = std::make_unique<matrix::matrix_transport>(io, cfg, *db, clk, std::move(secrets), hooks, std::move(options));
    outbox->add_transport(*transport);
    sched->run_due(clk.now());
    transport->start();
}

matrix_test_bot::~matrix_test_bot() {
    hs_.set_clock([t = ms_since_epoch(clk.now())] { return t; });
    transport->stop();
    io.restart();
    io.poll();
}

bool matrix_test_bot::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < give_up) {
        io.run_one_for(std::chrono::milliseconds(20));
        if (io.stopped()) io.restart();
    }
    return done();
}

void matrix_test_bot::run_for(std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
}

void matrix_test_bot::advance_to(const std::string& iso) {
    sched->run_due(at(iso), &clk);
    outbox->flush();
}

}  // namespace ritualbot::testing
