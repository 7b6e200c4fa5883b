#include "handlers/jobs.hpp"

#include "handlers/data_retention.hpp"
#include "handlers/dependency_alerts.hpp"
#include "handlers/digest.hpp"
#include "handlers/eowd.hpp"
#include "handlers/learning.hpp"
#include "handlers/manager_rollup.hpp"
#include "handlers/okr_checkin.hpp"
#include "handlers/snooze.hpp"
#include "handlers/weekly_update.hpp"

namespace ritualbot {

const std::vector<job_definition>& job_table() {
    // Order matters for jobs due at the same instant: a prompt before its
    // reminder, both before the digest.
    static const std::vector<job_definition> table{
        {"weekly_prompt", weekly_prompt_occurrences, run_weekly_prompt},
        {"weekly_reminder", weekly_reminder_occurrences, run_weekly_reminder},
        {"weekly_snooze", snooze_occurrences, run_weekly_snooze},  // /update later: deferred jobs only
        {"okr_checkin", okr_checkin_occurrences, run_okr_checkin},
        {"eowd_open", eowd_open_occurrences, run_eowd_open},
        {"eowd_close", eowd_close_occurrences, run_eowd_close},
        {"eowd_reminder", eowd_reminder_occurrences, run_eowd_reminder},
        {"learning_call", learning_call_occurrences, run_learning_call},
        {"learning_reminder", learning_reminder_occurrences, run_learning_reminder},
        {"digest", digest_occurrences, run_digest},
        {"manager_rollup", manager_rollup_occurrences, run_manager_rollup},
        {"dependency_check", dependency_check_occurrences, run_dependency_check},
        {"data_retention", data_retention_occurrences, run_data_retention},
    };
    return table;
}

}  // namespace ritualbot
