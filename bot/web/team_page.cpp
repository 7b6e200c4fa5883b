// The team page: participation per week (chart and table), this week's
// updates, who is missing or skipped, the risks raised.
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "handlers/chat_charts.hpp"
#include "handlers/dashboard_data.hpp"
#include "handlers/weekly_update.hpp"

namespace ritualbot::web {
namespace {

std::string status_word(const weekly_update_row& row, const question_set& qs) {
    return row.status == update_status::done ? "complete"
                                             : std::to_string(answered_of(row, qs)) + " of " +
                                                   std::to_string(qs.questions.size()) + " answered";
}

}  // namespace

page_content team_page(const page_request& r, const team_config& team) {
    const team_dashboard d = team_dashboard_of(r.ctx, team);
    page_content page;
    page.title = team.name + " \u2014 weekly updates";
    page.html += "<h1>" + escape_html(team.name) + "</h1>";
    page.html += "<p class=\"lead\">Week " + escape_html(d.week) + ": " + std::to_string(d.current.answered) +
                 " of " + std::to_string(d.current.total) + " answered.</p>";

    bar_chart chart = participation_chart(d.history);  // the digest carries the same chart
    chart.max = static_cast<double>(d.current.total);
    data_table table{"participation", "Participation per week", {{"week", "answered", "skipped", "members"}}};
    for (const auto& w : d.history)
        table.rows.push_back({w.week, std::to_string(w.answered), std::to_string(w.skipped), std::to_string(w.total)});
    page.html += "<section><h2>Participation</h2><figure>" + render_bar_chart(chart) +
                 "<figcaption>The same numbers are in the table below.</figcaption></figure>";
    add_table(r, page, std::move(table));
    page.html += "</section>";

    page.html += "<section><h2>This week's updates</h2>";
    // The team's questions, one column each (a team may have its own, 2 to 8).
    const question_set& qs = r.ctx.cfg.questions_of(team);
    std::vector<std::string> header{"member", "status"};
    for (const auto& q : qs.questions) header.push_back(q.label);
    data_table updates{"updates", "Updates of week " + d.week, {std::move(header)}};
    for (const auto& [member, row] : d.current.written) {
        std::vector<std::string> cells{member, status_word(row, qs)};
        for (const auto& q : qs.questions) cells.push_back(row.text_of(q.label));
        updates.rows.push_back(std::move(cells));
    }
    add_table(r, page, std::move(updates));
    data_table absent{"absent", "Missing or skipped", {{"member", "state"}}};
    for (const auto& m : d.current.missing) absent.rows.push_back({m, "missing"});
    for (const auto& s : d.current.skipped) absent.rows.push_back({s, "skipped"});
    add_table(r, page, std::move(absent));
    page.html += "</section>";

    page.html += "<section><h2>Risks raised</h2>";
    data_table risks{"risks", "Risks raised in week " + d.week, {{"member", "risk"}}};
    for (const auto& [member, row] : d.current.written)  // the digest's rule: "none", "n/a"... is no risk
        if (const std::string risk = risk_answer(row, r.ctx.cfg.questions_for(row.team, member));
            row.status != update_status::skipped && !risk.empty() && !is_no_risk(risk))
            risks.rows.push_back({member, risk});
    add_table(r, page, std::move(risks));
    page.html += "</section>";
    return page;
}

}  // namespace ritualbot::web
