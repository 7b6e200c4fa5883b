#include "bot/runtime.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "bot/console_transport.hpp"
#include "bot/health.hpp"
#include "bot/matrix/matrix_transport.hpp"
#include "bot/net/http_server.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/scheduler.hpp"
#include "bot/slack/slack_runtime.hpp"
#include "bot/web/dashboard.hpp"
#include "bot/web/dashboard_access.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace asio = boost::asio;

namespace {

class runtime {
public:
    runtime(config& cfg, const run_options& options, store& db)
        : cfg_(cfg),
          db_(db),
          manual_(options.virtual_start ? std::make_unique<manual_clock>(*options.virtual_start) : nullptr),
          clock_(manual_ ? static_cast<const clock&>(*manual_) : system_),
          dispatch_(cfg, db, clock_),
          scheduler_(cfg, db, dispatch_),
          outbox_(db, clock_),
          console_(std::cout),
          signals_(io_, SIGINT, SIGTERM),
          timer_(io_),
          deliver_timer_(io_) {
        outbox_.add_transport(console_);
        outbox_.set_wake([this] { deliver_soon(); });
    }

    int run() {
        spdlog::info("ritualbot {} starting at {}{}", RITUALBOT_VERSION, format_iso_instant(clock_.now()),
                     manual_ ? " (virtual clock)" : "");
        started_ = clock_.now();
        if (cfg_.health && !start_health()) return 1;
        if (cfg_.web && !start_web()) return 1;
        if (cfg_.matrix && !start_matrix()) return 1;
        // Slack first learns its members and their zones; then, and at once
        // without Slack, jobs missed while the bot was down run if their window is open.
        if (slack::uses_slack(cfg_)) {
            slack_ = slack::start_slack(io_, cfg_, db_, clock_, dispatch_, outbox_, [this] {
                run_jobs(clock_.now());
                deliver();
            }, [this] { deliver_soon(); });
            if (!slack_) return 1;
        } else {
            run_jobs(clock_.now());
            deliver();
        }

        signals_.async_wait([this](boost::system::error_code ec, int signo) {
            if (ec) return;
            spdlog::info("signal {} received, shutting down", signo);
            shutdown();
        });

        console_events events;
        events.message = [this](incoming in) {
            if (stopping_) return;
            dispatch_.handle(in);
            deliver();
        };
        if (manual_) {
            events.time = [this](instant t) {
                if (t < manual_->now()) {
                    spdlog::error(":time {} is before the current virtual time {}; the clock does not go back",
                                  format_iso_instant(t), format_iso_instant(manual_->now()));
                    return;
                }
                run_jobs(t, manual_.get());
                deliver();
            };
        }
        events.end = [this] {
            if (matrix_) spdlog::info("console input ended; still serving Matrix (stop with SIGTERM)");
            else shutdown();
        };
        // A bot only on Slack runs as a service (standard input closed or
        // /dev/null): its end must not stop the bot; signals do.
        const bool console_teams = std::any_of(cfg_.teams.begin(), cfg_.teams.end(),
                                               [](const team_config& t) { return t.platform == "console"; });
        if (console_teams || !slack_) console_.start_reading(io_, STDIN_FILENO, std::move(events));
        if (!manual_) arm_timer();

        io_.run();
        spdlog::info("ritualbot stopped");
        return exit_code_;
    }

private:
    bool start_health() {
        try {
            health_ = std::make_unique<net::http_server>(
                io_, cfg_.health->address, cfg_.health->port,
                [this](const std::string& path) { return health_page(path, health_now()); });
        } catch (const std::exception& e) {
            spdlog::critical("health: {}", e.what());
            return false;
        }
        spdlog::info("health: /healthz and /metrics on {}:{}", cfg_.health->address, health_->port());
        return true;
    }

    // The dashboard: its own server on [web] listen, and /ritual dashboard's links.
    bool start_web() {
        try {
            access_ = std::make_unique<web::dashboard_access>(db_, *cfg_.web);
            dashboard_ = std::make_unique<web::dashboard>(cfg_, db_, clock_, *access_);
            web_ = std::make_unique<net::http_server>(io_, cfg_.web->address, cfg_.web->port,
                                                      [this](const std::string& path) { return dashboard_->page(path); });
        } catch (const std::exception& e) {
            spdlog::critical("web: {}", e.what());
            return false;
        }
        dispatch_.set_dashboard_link([this](const std::string& user) { return access_->link_for(user, clock_.now()); });
        spdlog::info("web: the dashboard on {}:{}; links start with {}/d/", cfg_.web->address, web_->port(),
                     cfg_.web->public_url);
        return true;
    }

    health_snapshot health_now() {
        health_snapshot s;
        s.started = started_;
        s.now = clock_.now();
        if (slack_) s.transports.push_back({"slack", slack_->connected()});
        if (matrix_) s.transports.push_back({"matrix", matrix_->connected()});
        s.outbox = db_.outbox_statuses();
        s.handled = dispatch_.counters();
        s.calendar_failures = scheduler_.occurrence_failures();
        if (slack_) s.unknown_zones = slack_->unknown_zones();
        s.deliveries = outbox_.counters();
        s.dependency_suggestions = dependency_store(db_).suggestion_counts();
        return s;
    }

    bool start_matrix() {
        matrix::matrix_hooks hooks;
        hooks.dispatch = [this](const incoming& in, const std::function<void()>& also) {
            return dispatch_.handle(in, also);
        };
        hooks.dispatched = [this] { deliver(); };
        hooks.fatal = [this](const std::string& why) {
            spdlog::critical("{}", why);
            exit_code_ = 1;
            shutdown();
        };
        try {
            matrix_ = std::make_unique<matrix::matrix_transport>(io_, cfg_, db_, clock_,
                                                                 matrix::matrix_secrets::from_environment(), hooks);
        } catch (const std::exception& e) {
            spdlog::critical("matrix: {}", e.what());
            return false;
        }
        outbox_.add_transport(*matrix_);
        matrix_->start();
        return true;
    }

    // Wakes at the next due job, and at least every minute so a changed
    // wall clock (suspend, NTP step) is noticed soon.
    void arm_timer() {
        const instant now = clock_.now();
        auto wait = std::chrono::seconds(60);
        if (auto next = scheduler_.next_due_after(now, wait)) wait = std::min(wait, *next - now);
        timer_.expires_after(std::max(wait, std::chrono::seconds(0)) + std::chrono::milliseconds(50));
        timer_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopping_) return;
            run_jobs(clock_.now());
            deliver();
            prune_dedupe_keys();
            arm_timer();
        });
    }

    // A storage error here (disk full, I/O error) is logged and retried on the
    // next tick or message; it must not take the bot down. Each job and each
    // message has already rolled back its own transaction on failure.
    void run_jobs(instant until, manual_clock* step = nullptr) {
        if (slack_ && !slack_->ready()) return;  // teams read from Slack channels are not known yet
        try {
            scheduler_.run_due(until, step);
        } catch (const std::exception& e) {
            spdlog::error("running scheduled jobs failed: {}", e.what());
        }
    }

    // Flushes until nothing more is handed over, so a step that wrote more
    // than one batch is delivered before the next input line; rows in flight
    // (a network transport) are not handed twice, which ends the loop.
    void deliver() {
        try {
            for (int round = 0; round < 1000 && outbox_.flush() > 0; ++round) {
            }
        } catch (const std::exception& e) {
            spdlog::error("delivering the outbox failed: {}", e.what());
        }
    }

    // A delivery finished, or a Slack group committed with messages: deliver
    // within a couple of milliseconds, once for all that happen meanwhile.
    // Under a stream of envelopes this asks the outbox once per interval
    // instead of once per group and per finished post (store::unsent reads
    // every unsent row); a post waits 2 ms at most, an ack not at all.
    void deliver_soon() {
        if (deliver_armed_ || stopping_) return;
        deliver_armed_ = true;
        deliver_timer_.expires_after(std::chrono::milliseconds(2));
        deliver_timer_.async_wait([this](boost::system::error_code ec) {
            deliver_armed_ = false;
            if (!ec && !stopping_) deliver();
        });
    }

    // Platforms redeliver within minutes (Slack) or from the last sync token
    // (Matrix); a month of dedupe keys is far more than either needs.
    void prune_dedupe_keys() {
        try {
            db_.prune_events_before(clock_.now() - std::chrono::hours(24 * 30));
            // Slack redelivers an unacked envelope within minutes; its answer
            // is kept a day for that, not a month.
            db_.forget_ack_answers_before(clock_.now() - std::chrono::hours(24));
        } catch (const std::exception& e) {
            spdlog::warn("could not prune old dedupe keys: {}", e.what());
        }
    }

    void shutdown() {
        if (stopping_) return;
        stopping_ = true;
        console_.stop_reading();
        if (health_) health_->stop();
        if (web_) web_->stop();
        if (slack_) slack_->stop();
        boost::system::error_code ignored;
        signals_.cancel(ignored);
        timer_.cancel();
        deliver_timer_.cancel();
        if (matrix_) matrix_->stop();
        // Deliver what is committed; a row that cannot go now stays for the next start.
        deliver();
        if (slack_) {
            // A moment for the close frames and the deliveries in flight.
            timer_.expires_after(std::chrono::milliseconds(500));
            timer_.async_wait([this](boost::system::error_code) { io_.stop(); });
            return;
        }
        io_.stop();
    }

    config& cfg_;  // Slack fills in teams' members and members' zones
    store& db_;
    system_clock_source system_;
    std::unique_ptr<manual_clock> manual_;
    const clock& clock_;
    dispatcher dispatch_;
    scheduler scheduler_;
    outbox_sender outbox_;
    asio::io_context io_;  // before the transports: they hold its handlers
    console_transport console_;
    std::unique_ptr<matrix::matrix_transport> matrix_;
    int exit_code_ = 0;
    asio::signal_set signals_;
    asio::steady_timer timer_;
    asio::steady_timer deliver_timer_;
    std::unique_ptr<slack::slack_runtime> slack_;
    std::unique_ptr<net::http_server> health_;
    std::unique_ptr<web::dashboard_access> access_;
    std::unique_ptr<web::dashboard> dashboard_;
    std::unique_ptr<net::http_server> web_;
    instant started_{};
    bool stopping_ = false;
    bool deliver_armed_ = false;
};

}  // namespace

int run_bot(config cfg, const run_options& options) {
    const std::string path = options.database_path.empty() ? cfg.storage_path : options.database_path;
    std::unique_ptr<store> db;
    try {
        db = std::make_unique<store>(path);
    } catch (const std::exception& e) {
        spdlog::critical("cannot open the database '{}': {}", path, e.what());
        return 1;
    }
    spdlog::info("database {} (schema version {})", path, db->schema_version());
    runtime rt(cfg, options, *db);  // the run's own config (Slack fills in members and zones)
    return rt.run();
}

}  // namespace ritualbot
