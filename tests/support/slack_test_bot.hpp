#pragma once
// The bot wired to a fake Slack, in-process: the real dispatcher, scheduler,
// outbox and Slack transport on an io_context that the test runs in short
// slices while it waits for something to happen.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "bot/outbox_sender.hpp"
#include "bot/scheduler.hpp"
#include "bot/slack/slack_transport.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/store.hpp"
#include "tests/support/fake_slack.hpp"

namespace boost::asio::ssl {
class context;
}

namespace ritualbot::testing {

// Short timeouts and no pacing, so tests run fast; tests change what they need.
slack::slack_options fast_slack_options();

class slack_test_bot {
public:
    slack_test_bot(const std::string& toml, const std::string& start_iso, fake_slack& slack,
                   slack::slack_options options = fast_slack_options(),
                   std::shared_ptr<boost::asio::ssl::context> tls = nullptr, const std::string& db_path = ":memory:");
    ~slack_test_bot();

    // Identity, members, time zones, a connection with its hello.
    bool start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    void run_for(std::chrono::milliseconds d);
    // Runs the jobs due until `iso` (the clock steps through them) and delivers.
    void advance_to(const std::string& iso);
    void flush();
    std::int64_t unsent() { return db->unsent_count(); }

    config cfg;
    manual_clock clk;
    std::unique_ptr<store> db;
    std::unique_ptr<dispatcher> dispatch;
    std::unique_ptr<scheduler> sched;
    std::unique_ptr<outbox_sender> outbox;
    bool wake_posted = false;  // a flush after a delivery is queued (as bot/runtime.cpp does)
    boost::asio::io_context io;
    std::unique_ptr<slack::slack_transport> slack;
    bool ready = false;
};

}  // namespace ritualbot::testing
