#include "handlers/chat_charts.hpp"

#include <algorithm>
#include <map>

#include "handlers/dashboard_data.hpp"
#include "handlers/digest.hpp"
#include "handlers/okr.hpp"
#include "handlers/okr_progress.hpp"
#include "handlers/week.hpp"
#include "storage/participation_store.hpp"

namespace ritualbot {
namespace {

std::string tone_of(kr_status s) {
    switch (s) {
        case kr_status::on_track: return "good";
        case kr_status::at_risk: return "warn";
        case kr_status::off_track: return "bad";
        case kr_status::done: return "done";
    }
    return "neutral";
}

}  // namespace

bar_chart participation_chart(const std::vector<participation_week>& weeks) {
    bar_chart chart;
    chart.id = "participation-chart";
    chart.title = "Participation, last " + std::to_string(weeks.size()) + " weeks";
    std::string words;
    for (const auto& w : weeks) {
        chart.max = std::max(chart.max, static_cast<double>(w.total));
        const double share = w.total ? static_cast<double>(w.answered) / static_cast<double>(w.total) : 0;
        chart.bars.push_back({w.week, static_cast<double>(w.answered),
                              std::to_string(w.answered) + "/" + std::to_string(w.total),
                              share >= 0.75 ? "good" : share >= 0.5 ? "warn" : "bad", std::nullopt});
        words += (words.empty() ? "" : "; ") + w.week + ": " + std::to_string(w.answered) + " of " +
                 std::to_string(w.total);
    }
    chart.description = "Updates answered per week, oldest first: " + words + ".";
    return chart;
}

void add_participation_chart(handler_context& ctx, const team_config& team, const std::string& week,
                             const week_summary& current, message& m) {
    // Oldest first; `week` itself as the digest counted it.
    std::vector<std::string> keys{week};
    for (int i = 1; i < participation_chart_weeks; ++i) keys.push_back(previous_week_key(keys.back()));
    std::reverse(keys.begin(), keys.end());
    // The earlier weeks from counts alone, one statement for the team
    // (summarize_week per week would read every answer of a big team 11
    // times more): answered means done, as in summarize_week.
    const auto counted = participation_store(ctx.db).between(team.members, keys.front(), keys.back());
    std::map<std::string, participation_week> by_week;
    for (const auto& key : keys) {
        by_week[key] = {key, 0, 0, team.members.size()};
        if (auto c = counted.find(key); c != counted.end()) {
            by_week[key].answered = c->second.done;
            by_week[key].skipped = c->second.skipped;
        }
    }
    by_week[week] = {week, current.answered, current.skipped.size(), current.total};
    std::vector<participation_week> weeks;
    for (const auto& key : keys) weeks.push_back(by_week[key]);
    bar_chart chart = participation_chart(weeks);
    chart.max = static_cast<double>(current.total);
    // The alt text says what the picture shows, in words.
    m.image(chart.title + " (" + team.name + "). " + chart.description, render_bar_chart(chart));
}

void add_kr_progress_chart(const team_config& team, const std::string& period,
                           const std::vector<objective_view>& objectives, message& m) {
    bar_chart chart;
    chart.id = "kr-progress-chart";
    // Short enough for the chart's width; the period is in the alt text and the table.
    std::string name = team.name;
    if (name.size() > 24) {
        std::size_t cut = 23;
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        name = name.substr(0, cut) + "\u2026";
    }
    chart.title = name + " key results: progress in % (dashed: expected today)";
    chart.max = 100;
    std::string words;
    for (const auto& o : objectives)
        for (const auto& v : o.key_results) {
            chart.bars.push_back({v.kr.id_text(), v.progress * 100, format_percent(v.progress), tone_of(v.status),
                                  v.expected * 100});
            words += (words.empty() ? "" : "; ") + v.kr.id_text() + " " + format_percent(v.progress) + " (expected " +
                     format_percent(v.expected) + ", " + to_string(v.status) + ")";
        }
    if (chart.bars.empty()) return;
    chart.description = "Progress of each key result toward its target: " + words + ".";
    m.image("Key results of " + team.name + ", " + period + ". " + chart.description, render_bar_chart(chart));
}

}  // namespace ritualbot
