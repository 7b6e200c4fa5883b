#include "bot/data_commands.hpp"

#include <date/date.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/clock.hpp"
#include "bot/export_format.hpp"
#include "handlers/week.hpp"
#include "handlers/weekly_update.hpp"
#include "storage/backup.hpp"
#include "storage/forget_store.hpp"
#include "storage/store.hpp"

namespace ritualbot {

namespace {

// Opening a store creates a missing file; a mistyped path must be an error, not an empty export.
bool database_exists(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return true;
    std::cerr << "no database at '" << path << "' (the bot creates it on its first start; check [storage] path or --database)\n";
    return false;
}

std::optional<date::sys_days> parse_day(const std::string& text) {
    if (text.size() != 10) return std::nullopt;
    std::istringstream in(text);
    date::sys_days day;
    in >> date::parse("%F", day);
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    if (date::format("%F", day) != text) return std::nullopt;  // 2026-02-30 and the like
    const auto y = date::year_month_day(day).year();
    if (y < date::year(2000) || y > date::year(2999)) return std::nullopt;
    return day;
}

std::string team_list(const config& cfg) {
    std::string names;
    for (const auto& t : cfg.teams) names += (names.empty() ? "" : ", ") + t.name;
    return names;
}

// Writes `text` to dir/name; false (and a message) when it cannot.
bool write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (out) out.close();
    if (!out) {
        std::cerr << "cannot write '" << path.string() << "': " << std::strerror(errno) << '\n';
        return false;
    }
    return true;
}

bool prepare_out_dir(const std::string& dir) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
        std::cerr << "--out '" << dir << "' is not a directory\n";
        return false;
    }
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        std::cerr << "cannot create the directory '" << dir << "': " << ec.message() << '\n';
        return false;
    }
    return true;
}

}  // namespace

int export_command(const config& cfg, const export_options& o) {
    if (o.format == "csv" && o.out_dir.empty()) {
        std::cerr << "CSV is one file per table: give --out DIR (JSON can go to standard output)\n";
        return 1;
    }
    export_filter filter;
    nlohmann::ordered_json filter_json = nlohmann::ordered_json::object();
    if (!o.team.empty()) {
        if (!cfg.find_team(o.team)) {
            std::cerr << "unknown team '" << o.team << "'; the teams in the config are: " << team_list(cfg) << '\n';
            return 1;
        }
        filter.team = o.team;
        filter_json["team"] = o.team;
    }
    if (!o.since.empty()) {
        auto day = parse_day(o.since);
        if (!day) {
            std::cerr << "--since needs a date such as 2026-11-01 (YYYY-MM-DD, years 2000 to 2999), got '" << o.since
                      << "'\n";
            return 1;
        }
        filter.since = instant(*day);
        filter.since_week = iso_week_key(*filter.since, "UTC");
        filter.since_month = o.since.substr(0, 7);
        filter_json["since"] = o.since;
    }
    if (!database_exists(o.database)) return 1;
    if (!o.out_dir.empty() && !prepare_out_dir(o.out_dir)) return 1;

    std::vector<export_table> tables;
    try {
        store db(o.database);
        tables = export_tables(db, filter);
    } catch (const std::exception& e) {
        std::cerr << "cannot read the database '" << o.database << "': " << e.what() << '\n';
        return 1;
    }

    if (o.format == "json") {
        const std::string text =
            json_document(tables, format_iso_instant(system_clock_source().now()), filter_json)
                .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
            "\n";
        if (o.out_dir.empty()) {
            std::cout << text << std::flush;
            if (!std::cout) {
                std::cerr << "cannot write to standard output\n";
                return 1;
            }
            return 0;
        }
        const auto path = std::filesystem::path(o.out_dir) / "ritualbot_export.json";
        if (!write_file(path, text)) return 1;
        std::cerr << "wrote " << path.string() << '\n';
        return 0;
    }
    for (const auto& t : tables) {
        const auto path = std::filesystem::path(o.out_dir) / (t.name + ".csv");
        if (!write_file(path, csv_table(t))) return 1;
        std::cerr << "wrote " << path.string() << " (" << t.rows.size() << (t.rows.size() == 1 ? " row)" : " rows)")
                  << '\n';
    }
    return 0;
}

int backup_command(const std::string& database, const std::string& file, bool force) {
    if (!database_exists(database)) return 1;
    try {
        const backup_result r = backup_database(database, file, force);
        std::cout << "backup of " << database << " written to " << file << ": " << r.pages << " pages, schema version "
                  << r.schema_version << ", integrity check " << r.integrity << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "backup failed: " << e.what() << '\n';
        return 1;
    }
}

int forget_command(const config& cfg, const std::string& database, const std::string& user, bool dry_run) {
    // Their id is also looked for as a word in what others wrote: one or two
    // letters would match ordinary words ("a", "jo") in everybody's answers.
    if (user.size() < 3) {
        std::cerr << "forget needs a user id of at least 3 characters (as in the config: U0123ABC, "
                     "@bob:example.org, bob); got '" << user << "'\n";
        return 1;
    }
    if (!database_exists(database)) return 1;
    forget_result r;
    try {
        store db(database);
        r = forget_user(db, user, dry_run);
    } catch (const std::exception& e) {
        std::cerr << "forget failed, nothing was removed: " << e.what() << '\n';
        return 1;
    }
    if (r.counts.empty()) {
        std::cout << "Nothing of '" << user << "' is in the database.\n";
    } else {
        std::cout << (dry_run ? "Would remove (dry run, nothing changed) for '" : "Removed for '") << user << "':\n";
        for (const auto& c : r.counts) std::cout << "  " << c.table << ": " << c.rows << ' ' << c.what << '\n';
        std::cout << "  total: " << r.total() << (r.total() == 1 ? " row\n" : " rows\n");
        if (r.dashboard_links_ended)
            std::cout << "Every dashboard link made before now stops working, theirs among them; people get a "
                         "new one with /ritual dashboard.\n";
        if (!dry_run && !r.files_scrubbed)
            std::cout << "The bot is reading the database: old copies of these rows stay in its write-ahead log "
                         "until its next checkpoint.\n";
    }
    const auto teams = cfg.teams_of(user);
    if (!teams.empty()) {
        std::string names;
        for (const auto* t : teams) names += (names.empty() ? "" : ", ") + t->name;
        std::cout << "Note: '" << user << "' is still in the config (" << names
                  << "); remove them there too, or the bot treats them as a member again.\n";
    }
    return 0;
}

}  // namespace ritualbot
