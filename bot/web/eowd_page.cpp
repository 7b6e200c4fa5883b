// The EOWD and learning page: the coming agenda and its waitlist, past
// presenters and talks, the next learning session and the proposals.
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"
#include "handlers/week.hpp"

namespace ritualbot::web {

page_content eowd_page(const page_request& r, const team_config& team) {
    const eowd_dashboard d = eowd_dashboard_of(r.ctx, team);
    page_content page;
    page.title = team.name + " \u2014 EOWD and learning";
    page.html += "<h1>" + escape_html(team.name) + ": EOWD and learning sessions</h1>";
    page.html += "<section><h2>End of Week Debrief</h2>";
    if (!d.eowd_enabled) {
        page.html += "<p class=\"empty\">The EOWD is not enabled for this team.</p>";
    } else {
        page.html += "<p class=\"lead\">Week " + escape_html(d.coming.week) + ", " +
                     escape_html(format_local(d.coming.starts, team.timezone)) + ".</p>";
        data_table agenda{"agenda", "Coming agenda", {{"slot", "member", "topic", "kind", "input wanted"}}};
        for (std::size_t i = 0; i < d.coming.lineup.presenters.size(); ++i) {
            const auto& p = d.coming.lineup.presenters[i];
            agenda.rows.push_back({d.coming.agenda[i].substr(0, d.coming.agenda[i].find(' ')), p.member, p.topic,
                                   p.kind, p.input_wanted});
        }
        add_table(r, page, std::move(agenda));
        data_table waiting{"waitlist", "Waiting for a slot", {{"member", "topic"}}};
        for (const auto& p : d.coming.lineup.waitlist) waiting.rows.push_back({p.member, p.topic});
        add_table(r, page, std::move(waiting));
        data_table past{"past-presenters", "Past presenters", {{"week", "member", "topic", "kind"}}};
        for (const auto& w : d.past)
            for (const auto& p : w.lineup.presenters) past.rows.push_back({w.week, p.member, p.topic, p.kind});
        add_table(r, page, std::move(past));
    }
    page.html += "</section><section><h2>Learning sessions</h2>";
    if (!d.learning) {
        page.html += "<p class=\"empty\">Learning sessions are not enabled for this team.</p>";
    } else {
        if (d.next_session)
            page.html += "<p class=\"lead\">Next: " + escape_html(d.next_session->when) + (d.next_session->speaker
                             ? ", " + escape_html(d.next_session->speaker->proposer) + " on \u201C" +
                                   escape_html(d.next_session->speaker->topic) + "\u201D."
                             : "; no speaker yet.") + "</p>";
        data_table talks{"past-talks", "Past talks", {{"month", "speaker", "topic"}}};
        for (const auto& s : d.past_sessions)
            talks.rows.push_back({s.month, s.speaker ? s.speaker->proposer : "", s.speaker ? s.speaker->topic : ""});
        add_table(r, page, std::move(talks));
        data_table proposals{"proposals", "Proposed talks not yet picked", {{"id", "proposer", "topic", "proposed"}}};
        for (const auto& p : d.open_proposals)
            proposals.rows.push_back({std::to_string(p.id), p.proposer, p.topic, format_iso_instant(p.created_at)});
        add_table(r, page, std::move(proposals));
    }
    page.html += "</section>";
    return page;
}

}  // namespace ritualbot::web
