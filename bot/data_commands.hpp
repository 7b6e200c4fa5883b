#pragma once
// The operator's data subcommands: `ritualbot export`, `backup` and
// `forget`. Each returns the process's exit code and writes its own errors
// to standard error.
#include <string>

#include "config/config.hpp"

namespace ritualbot {

struct export_options {
    std::string database;  // the file to read
    std::string format;    // "csv" or "json"
    std::string team;      // empty: every team
    std::string since;     // "2026-11-01", empty: everything
    std::string out_dir;   // empty: standard output (JSON only)
};
int export_command(const config& cfg, const export_options& options);

int backup_command(const std::string& database, const std::string& file, bool force);

int forget_command(const config& cfg, const std::string& database, const std::string& user, bool dry_run);

}  // namespace ritualbot
