// The OKR page: per objective, each key result's value week by week against
// the expected line (chart and table), its status in chat's words and
// colours, the warnings /okr status gives, and the history of check-ins.
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "handlers/svg_chart.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"

namespace ritualbot::web {
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

// Each week's point in the colour of the status it had that week.
std::string kr_chart(const kr_dashboard& k, const std::string& team, const okr_config& cfg) {
    const auto& kr = k.view.kr;
    line_chart c;
    c.id = "chart-" + kr.id_text();
    c.title = kr.id_text() + " " + kr.title;
    line_chart::series actual{"value", {}, false, tone_of(k.view.status)};
    line_chart::series expected{"expected", {}, true, "neutral"};
    std::string words;
    for (std::size_t i = 0; i < k.weeks.size(); ++i) {
        const auto& w = k.weeks[i];
        c.x_labels.push_back(w.week);
        expected.points.push_back({i, w.expected, w.week + ": expected " + value_with_unit(w.expected, kr.unit)});
        if (w.value) {
            const kr_status then = classify(kr_progress(kr.baseline, kr.target, *w.value), w.expected_share, cfg);
            actual.points.push_back({i, *w.value, w.week + ": " + value_with_unit(*w.value, kr.unit) + ", " +
                                                      to_string(then), tone_of(then)});
            words += (words.empty() ? "" : "; ") + w.week + " " + format_number(*w.value);
        }
    }
    c.lines = {expected, actual};
    c.y_min = std::min(kr.baseline, kr.target);
    c.y_max = std::max(kr.baseline, kr.target);
    for (const auto& w : k.weeks)
        if (w.value) {
            c.y_min = std::min(*c.y_min, *w.value);
            c.y_max = std::max(*c.y_max, *w.value);
        }
    c.description = team + " " + kr.id_text() + ", from " + value_with_unit(kr.baseline, kr.unit) + " to " +
                    value_with_unit(kr.target, kr.unit) + "; now " + value_with_unit(kr.current, kr.unit) + ", " +
                    to_string(k.view.status) + ". Week by week: " + (words.empty() ? "no values yet" : words) + ".";
    return render_line_chart(c);
}

}  // namespace

page_content okr_page(const page_request& r, const team_config& team) {
    const okr_dashboard d = okr_dashboard_of(r.ctx, team);
    page_content page;
    page.title = team.name + " \u2014 OKRs";
    page.html += "<h1>" + escape_html(team.name) + " OKRs</h1><p class=\"lead\">" +
                 escape_html(period_label(d.period)) + "</p>";
    if (!d.warnings.empty()) {
        page.html += "<section class=\"warning\"><h2>Warnings</h2><ul>";
        for (const auto& w : d.warnings) page.html += "<li>" + escape_html(w) + "</li>";
        page.html += "</ul></section>";
    }
    if (d.objectives.empty()) page.html += "<section><p class=\"empty\">No objectives in this period.</p></section>";
    data_table krs{"key-results", "Key results",
                   {{"key result", "title", "baseline", "current", "target", "unit", "progress", "expected", "status",
                     "owner", "last check-in"}}};
    data_table weeks{"weeks", "Key results week by week", {{"key result", "week", "value", "expected", "status"}}};
    data_table checkins{"checkins", "Check-ins", {{"key result", "at", "value", "previous", "who", "comment"}}};
    for (const auto& o : d.objectives) {
        page.html += "<section><h2>O" + std::to_string(o.objective.number) + " " + escape_html(o.objective.title) +
                     "</h2>";
        for (const auto& k : o.key_results) {
            const auto& v = k.view;
            page.html += "<h3>" + escape_html(v.kr.id_text() + " " + v.kr.title) + " <span class=\"tone-" +
                         tone_of(v.status) + "\">" + escape_html(to_string(v.status)) + "</span></h3><p>" +
                         escape_html(kr_summary_line(v)) + "</p><figure>" + kr_chart(k, team.name, r.ctx.cfg.okr) + "</figure>";
            krs.rows.push_back({v.kr.id_text(), v.kr.title, format_number(v.kr.baseline), format_number(v.kr.current),
                                format_number(v.kr.target), v.kr.unit, format_percent(clamp_progress(v.progress)),
                                format_percent(v.expected), to_string(v.status), owner_label(v.kr.owner),
                                checkin_age(v, r.ctx.now())});
            for (const auto& w : k.weeks)
                weeks.rows.push_back(
                    {v.kr.id_text(), w.week, w.value ? format_number(*w.value) : "", format_number(w.expected),
                     w.value ? to_string(classify(kr_progress(v.kr.baseline, v.kr.target, *w.value), w.expected_share,
                                                  r.ctx.cfg.okr))
                             : ""});
            for (const auto& c : k.checkins)
                checkins.rows.push_back({v.kr.id_text(), format_iso_instant(c.at), format_number(c.value),
                                         format_number(c.previous), c.who, c.comment});
        }
        page.html += "</section>";
    }
    page.html += "<section><h2>Numbers</h2>";
    add_table(r, page, std::move(krs));
    add_table(r, page, std::move(weeks));
    page.html += "</section><section><h2>History of check-ins</h2>";
    add_table(r, page, std::move(checkins));
    page.html += "</section>";
    return page;
}

}  // namespace ritualbot::web
