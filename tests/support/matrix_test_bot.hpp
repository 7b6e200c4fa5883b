#pragma once
// The bot wired as bot/runtime.cpp does it (dispatcher, scheduler, outbox,
// Matrix transport) but in-process, on a manual clock and the test's
// io_context, against a fake homeserver. run_until() turns the event loop
// until a condition holds; advance_to() runs the due jobs like the timer.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "bot/matrix/matrix_transport.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/scheduler.hpp"
#include "tests/support/fake_homeserver.hpp"

namespace ritualbot::testing {

class matrix_test_bot {
public:
    // `toml` may say HOMESERVER where the fake's URL goes.
    matrix_test_bot(fake_homeserver& hs, const std::string& toml, const std::string& start_iso, const std::string& db_path,
                    matrix::matrix_secrets secrets, matrix::matrix_options options = fast_options());
    ~matrix_test_bot();

    static matrix::matrix_options fast_options();  // retries in milliseconds, not seconds

    // Turns the event loop until `done()` or `limit`; returns done().
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(10));
    void run_for(std::chrono::milliseconds d);
    bool synced() const { return transport->syncing() && transport->syncs_completed() > 0; }
    void advance_to(const std::string& iso);

    config cfg;
    manual_clock clk;
    std::unique_ptr<store> db;
    std::unique_ptr<dispatcher> dispatch;
    std::unique_ptr<scheduler> sched;
    std::unique_ptr<outbox_sender> outbox;
    bool wake_posted = false;  // a flush after a delivery is queued (as bot/runtime.cpp does)
    boost::asio::io_context io;
    std::unique_ptr<matrix::matrix_transport> transport;
    std::string fatal;  // set when the transport gave up

private:
    fake_homeserver& hs_;
};

}  // namespace ritualbot::testing
