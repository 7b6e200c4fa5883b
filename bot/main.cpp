// ritualbot: run | check-config | outbox list|retry | export | backup | forget | dashboard revoke | --help | --version
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "bot/data_commands.hpp"
#include "bot/free_memory.hpp"
#include "bot/runtime.hpp"
#include "config/config.hpp"
#include "storage/dashboard_store.hpp"
#include "storage/store.hpp"

namespace {

void setup_logging(const std::string& level) {
    // Standard output belongs to the console transport; logs go to standard error.
    auto logger = spdlog::stderr_color_mt("ritualbot");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(level));
}

std::string summary(const std::string& path, const ritualbot::config& cfg) {
    std::size_t people = 0;
    std::string names;
    for (const auto& t : cfg.teams) {
        people += t.members.size();
        names += (names.empty() ? "" : ", ") + t.name;
    }
    return path + ": OK: " + std::to_string(cfg.teams.size()) + (cfg.teams.size() == 1 ? " team (" : " teams (") +
           names + "), " + std::to_string(people) + " memberships; weekly update " +
           ritualbot::format_weekly_time(cfg.weekly_update.prompt) + " member time, reminder after " +
           ritualbot::format_duration(cfg.weekly_update.reminder_after) + "; digest " +
           ritualbot::format_weekly_time(cfg.digest.at) + " team time; storage " + cfg.storage_path;
}

std::optional<ritualbot::config> load(const std::string& path) {
    auto result = ritualbot::load_config_file(path);
    for (const auto& e : result.errors) std::cerr << ritualbot::format_config_error(path, e) << '\n';
    ritualbot::give_back_free_memory();  // the TOML tree's pages
    // A copy, on purpose: moving it cost 0.6 MiB of peak (bench/README.md,
    // ninth session), most likely because the copy, made once the tree is
    // freed, packs the config's arrays together, where the original's lie
    // among the tree's freed nodes and keep those pages resident.
    return result.cfg;
}

}  // namespace

int main(int argc, char** argv) {
    // A closed standard output (or a peer that hung up) must be an error to
    // handle, not a signal that kills the bot with answers still unsent.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"ritualbot: weekly updates, digests and team rituals in chat"};
    app.set_version_flag("--version", std::string("ritualbot ") + RITUALBOT_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // --log-level works before or after the subcommand

    std::string log_level = "info";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error or critical (logs go to stderr)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();

    auto* run = app.add_subcommand("run", "Run the bot with a config file");
    std::string config_path;
    std::string virtual_clock;
    std::string database;
    run->add_option("--config,-c", config_path, "The TOML config file")->required();
    run->add_option("--virtual-clock", virtual_clock,
                    "Start a virtual clock at this instant (e.g. 2026-11-16T09:00:00Z); it moves only on ':time' "
                    "console lines");
    run->add_option("--database", database, "SQLite file to use instead of [storage] path");

    auto* check = app.add_subcommand("check-config", "Validate a config file and print a summary");
    std::string check_path;
    check->add_option("file", check_path, "The TOML config file")->required();

    auto* outbox = app.add_subcommand("outbox", "Messages the bot set aside: list them, or put them back in line");
    outbox->require_subcommand(1);
    std::string outbox_config, outbox_database;
    auto* outbox_list = outbox->add_subcommand("list", "List the messages set aside, with the reason");
    auto* outbox_retry = outbox->add_subcommand("retry", "Put set-aside messages back in line (sent by the running bot)");
    std::string retry_what;
    outbox_retry->add_option("id", retry_what, "A message id from `outbox list`, or `all`")->required();
    for (auto* sub : {outbox_list, outbox_retry}) {
        sub->add_option("--config,-c", outbox_config, "The TOML config file (for [storage] path)")->required();
        sub->add_option("--database", outbox_database, "SQLite file to use instead of [storage] path");
    }

    auto* exporter = app.add_subcommand("export", "Write weekly updates, OKRs, dependencies, EOWD and learning "
                                                  "sessions as CSV files or JSON");
    std::string export_config;
    ritualbot::export_options export_opts;
    exporter->add_option("--config,-c", export_config, "The TOML config file")->required();
    exporter->add_option("--database", export_opts.database, "SQLite file to use instead of [storage] path");
    exporter->add_option("--format", export_opts.format, "csv (one file per table, needs --out) or json")
        ->required()
        ->check(CLI::IsMember({"csv", "json"}));
    exporter->add_option("--team", export_opts.team, "Only this team's rows");
    exporter->add_option("--since", export_opts.since, "Only rows from this date on (YYYY-MM-DD, UTC)");
    exporter->add_option("--out", export_opts.out_dir, "Directory to write to (created if missing); JSON without it "
                                                       "goes to standard output");

    auto* backup = app.add_subcommand("backup", "Copy the database to FILE, safely while the bot runs");
    std::string backup_file, backup_config, backup_database;
    bool backup_force = false;
    backup->add_option("file", backup_file, "The backup file to write")->required();
    backup->add_option("--config,-c", backup_config, "The TOML config file (for [storage] path)")->required();
    backup->add_option("--database", backup_database, "SQLite file to use instead of [storage] path");
    backup->add_flag("--force", backup_force, "Overwrite FILE if it exists");

    auto* forget = app.add_subcommand("forget", "Remove a person's answers and mentions from the database");
    std::string forget_user, forget_config, forget_database;
    bool forget_dry_run = false;
    forget->add_option("user", forget_user, "The user id, as in the config (U123ABC, @bob:example.org, bob)")
        ->required();
    forget->add_option("--config,-c", forget_config, "The TOML config file (for [storage] path)")->required();
    forget->add_option("--database", forget_database, "SQLite file to use instead of [storage] path");
    forget->add_flag("--dry-run", forget_dry_run, "Only count what would be removed");
    auto* dashboard = app.add_subcommand("dashboard", "The web dashboard's links");
    dashboard->require_subcommand(1);
    auto* revoke = dashboard->add_subcommand(
        "revoke", "End the dashboard links given so far to a user (a new /ritual dashboard gives a new one), or `all`");
    std::string revoke_who, dashboard_config, dashboard_database;
    revoke->add_option("user", revoke_who, "A user id as in the config (alice, U0123ABCD, @alice:example.org), or `all`")
        ->required();
    revoke->add_option("--config,-c", dashboard_config, "The TOML config file (for [storage] path)")->required();
    revoke->add_option("--database", dashboard_database, "SQLite file to use instead of [storage] path");

    CLI11_PARSE(app, argc, argv);
    setup_logging(log_level);

    if (*check) {
        auto cfg = load(check_path);
        if (!cfg) return 1;
        std::cout << summary(check_path, *cfg) << '\n';
        return 0;
    }

    if (*exporter) {
        auto cfg = load(export_config);
        if (!cfg) return 1;
        if (export_opts.database.empty()) export_opts.database = cfg->storage_path;
        return ritualbot::export_command(*cfg, export_opts);
    }
    if (*backup) {
        auto cfg = load(backup_config);
        if (!cfg) return 1;
        return ritualbot::backup_command(backup_database.empty() ? cfg->storage_path : backup_database, backup_file,
                                         backup_force);
    }
    if (*forget) {
        auto cfg = load(forget_config);
        if (!cfg) return 1;
        return ritualbot::forget_command(*cfg, forget_database.empty() ? cfg->storage_path : forget_database,
                                         forget_user, forget_dry_run);
    }

    if (*outbox) {
        auto cfg = load(outbox_config);
        if (!cfg) return 1;
        try {
            ritualbot::store db(outbox_database.empty() ? cfg->storage_path : outbox_database);
            if (*outbox_list) {
                auto rows = db.set_aside_rows(1000);
                if (rows.empty()) std::cout << "No message is set aside.\n";
                for (const auto& r : rows)
                    std::cout << r.id << '\t' << r.platform << '\t' << r.kind << '\t'
                              << (r.channel.empty() ? r.user : r.channel) << '\t'
                              << ritualbot::format_iso_instant(r.created_at) << '\t' << r.reason << '\n';
                return 0;
            }
            std::int64_t id = 0;
            if (retry_what != "all") {
                char* end = nullptr;
                id = std::strtoll(retry_what.c_str(), &end, 10);
                if (retry_what.empty() || *end != '\0' || id <= 0) {
                    std::cerr << "outbox retry takes a message id from `outbox list`, or `all`; got '" << retry_what
                              << "'\n";
                    return 1;
                }
            }
            const int n = db.requeue(id);
            if (n == 0 && id != 0) {
                std::cerr << "message " << id << " is not set aside (see `ritualbot outbox list`)\n";
                return 1;
            }
            std::cout << n << (n == 1 ? " message is" : " messages are")
                      << " back in line; the running bot sends them within a minute.\n";
            return 0;
        } catch (const std::exception& e) {
            std::cerr << "cannot open the database: " << e.what() << '\n';
            return 1;
        }
    }

    if (*dashboard) {
        auto cfg = load(dashboard_config);
        if (!cfg) return 1;
        if (revoke_who.empty()) {
            std::cerr << "dashboard revoke takes a user id or `all`\n";
            return 1;
        }
        try {
            ritualbot::store db(dashboard_database.empty() ? cfg->storage_path : dashboard_database);
            ritualbot::dashboard_store(db).revoke(revoke_who == "all" ? std::string() : revoke_who);
            std::cout << (revoke_who == "all" ? std::string("Every dashboard link")
                                               : "Every dashboard link of " + revoke_who)
                      << " given so far no longer works; /ritual dashboard gives a new one.\n";
            return 0;
        } catch (const std::exception& e) {
            std::cerr << "cannot open the database: " << e.what() << '\n';
            return 1;
        }
    }

    auto cfg = load(config_path);
    if (!cfg) return 1;
    ritualbot::run_options options;
    options.database_path = database;
    if (!virtual_clock.empty()) {
        options.virtual_start = ritualbot::parse_iso_instant(virtual_clock);
        if (!options.virtual_start) {
            std::cerr << "--virtual-clock needs an ISO-8601 instant such as 2026-11-16T09:00:00Z (years 2000 to 2999), got '"
                      << virtual_clock << "'\n";
            return 1;
        }
    }
    try {
        return ritualbot::run_bot(std::move(*cfg), options);  // moved: one copy of the member lists, not two
    } catch (const std::exception& e) {
        spdlog::critical("ritualbot stopped on an error: {}", e.what());
        return 1;
    }
}
