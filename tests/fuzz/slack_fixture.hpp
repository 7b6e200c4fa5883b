#pragma once
// What the Slack fuzz targets share: a config with a Slack team, a fixed
// clock, and per input a fresh in-memory store, dispatcher and envelope
// handler, so that every input runs alone (a crash reproduces from its file).
#include <chrono>
#include <stdexcept>

#include <date/date.h>
#include <spdlog/spdlog.h>

#include "bot/clock.hpp"
#include "bot/slack/envelope_handler.hpp"
#include "config/config.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/store.hpp"

namespace ritualbot::fuzz {

inline const config& slack_config() {
    static const config cfg = [] {
        spdlog::set_level(spdlog::level::off);  // a line per migration and per ignored envelope is noise here
        auto r = load_config_string(R"(
[[teams]]
name = "alpha"
platform = "slack"
channel = "C0ALPHA"
timezone = "Europe/Berlin"
managers = ["UMGR"]
members = ["UALICE", "UBOB"]

[rituals.eowd]
enabled = true
)",
                                    "fuzz.toml");
        if (!r.cfg) throw std::runtime_error("the fuzz config does not load");
        return *r.cfg;
    }();
    return cfg;
}

// Thursday of ISO week 2026-W47, in the afternoon: the weekly update is open.
inline instant fuzz_now() {
    using namespace std::chrono;
    return instant(date::sys_days(date::year(2026) / 11 / 19)) + hours(14) + minutes(30);
}

struct slack_bench {
    const config& cfg = slack_config();  // first: it also quiets the log
    manual_clock clk{fuzz_now()};
    store db{":memory:"};
    dispatcher dispatch{cfg, db, clk};
    slack::envelope_handler handler{cfg, db, clk, dispatch};

    slack_bench() { handler.set_identity({"UBOT", "BBOT"}); }

    static bool is_envelope(const slack::frame& f) {
        return f.kind == slack::frame_kind::events_api || f.kind == slack::frame_kind::slash_commands ||
               f.kind == slack::frame_kind::interactive;
    }

    // As slack_transport::on_envelope does: an exception is logged and the
    // envelope acked, so it is no crash; anything else (a signal, a sanitizer
    // report, std::terminate) is.
    void handle(const slack::frame& f) {
        if (!is_envelope(f)) return;
        try {
            auto r = handler.handle(f);
            (void)r.ack_payload.size();
            (void)r.open_view.dump();
        } catch (const std::exception&) {
        }
    }
};

}  // namespace ritualbot::fuzz
