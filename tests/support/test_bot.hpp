#pragma once
// An in-process bot for handler tests: config from TOML text, an in-memory
// database, a manual clock, the real dispatcher and scheduler. say() feeds a
// message; advance_to() runs the due jobs like ':time'; sent() returns what
// the bot sent since the last call (and marks it delivered).
#include <memory>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/scheduler.hpp"
#include "config/config.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/store.hpp"

namespace ritualbot::testing {

struct sent_message {
    destination to;
    std::string text;  // plain text, as the console prints it
    message body;

    // "@alice", "#alpha" (a private reply is "@alice" too)
    std::string where() const { return to.kind == destination_kind::channel ? to.channel : "@" + to.user; }
};

class test_bot {
public:
    // `toml` is a whole config; `start` is when the bot first starts.
    test_bot(const std::string& toml, const std::string& start_iso, const std::string& db_path = ":memory:");

    dispatch_result say(const std::string& user, const std::string& text, const std::string& channel = "",
                        const std::string& dedupe_key = "");
    void advance_to(const std::string& iso);   // runs due jobs in time order, clock stepping
    void restart_at(const std::string& iso);   // catch-up as after a downtime (no stepping)

    std::vector<sent_message> sent();                            // everything since the last call
    std::vector<sent_message> sent_to(const std::string& where);  // filtered, e.g. "@alice", "#alpha"
    std::string last_text_to(const std::string& where);           // "" when none

    config cfg;
    manual_clock clk;
    std::unique_ptr<store> db;
    std::unique_ptr<dispatcher> dispatch;
    std::unique_ptr<scheduler> sched;

private:
    std::vector<sent_message> pending_;
    void collect();
};

config must_load(const std::string& toml);
instant at(const std::string& iso);

}  // namespace ritualbot::testing
