// The link's first page: the teams its holder may see, each with its pages.
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"

namespace ritualbot::web {

page_content overview_page(const page_request& r) {
    page_content page;
    page.title = "Dashboard";
    const auto teams = dashboard_teams(r.ctx.cfg, r.user);
    page.html += "<h1>Dashboard</h1><p class=\"lead\">Signed in as " + escape_html(r.user) +
                 (r.ctx.cfg.is_admin(r.user) ? " (org admin: every team)" : "") + ".</p>";
    page.html += "<ul class=\"teams\">";
    for (const team_config* t : teams) {
        page.html += "<li><strong>" + escape_html(t->name) + "</strong>: <a href=\"" + link_to(r, "team", t->name) +
                     "\">weekly updates</a> <a href=\"" + link_to(r, "okr", t->name) + "\">OKRs</a> <a href=\"" +
                     link_to(r, "eowd", t->name) + "\">EOWD and learning</a></li>";
    }
    page.html += "</ul><p><a href=\"" + link_to(r, "deps") + "\">Dependencies between teams</a></p>";
    return page;
}

}  // namespace ritualbot::web
