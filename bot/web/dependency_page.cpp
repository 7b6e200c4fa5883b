// The dependencies page: the graph of teams (open dependencies, edges
// coloured by risk, laid out by Graphviz) and the register as a table, as
// /dep graph and /dep list show them in chat (everyone may read them).
#include "bot/web/dependency_graph.hpp"
#include "bot/web/html.hpp"
#include "bot/web/page.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"
#include "handlers/dependency_view.hpp"

namespace ritualbot::web {
namespace {

std::string tone_of(dep_risk r) {
    switch (r) {
        case dep_risk::high: return "bad";
        case dep_risk::medium: return "warn";
        case dep_risk::low: return "good";
        case dep_risk::none: return "neutral";
    }
    return "neutral";
}

}  // namespace

page_content dependency_page(const page_request& r) {
    const auto items = dependency_register(r.ctx);
    page_content page;
    page.title = "Dependencies";
    page.html += "<h1>Dependencies</h1>";
    std::vector<std::string> teams;
    for (const auto& t : r.ctx.cfg.teams) teams.push_back(t.name);
    std::vector<graph_edge> edges;
    std::string words;
    for (const auto& it : items) {
        if (!it.dep.open()) continue;
        edges.push_back({it.dep.provider, it.dep.consumer, "#" + std::to_string(it.dep.id) + " " + it.dep.what,
                         tone_of(it.risk), it.dep.type == dep_type::soft});
        words += (words.empty() ? "" : "; ") + it.dep.provider + " " +
                 (it.dep.type == dep_type::blocking ? "blocks" : it.dep.type == dep_type::soft ? "helps" : "feeds") +
                 " " + it.dep.consumer + " (#" + std::to_string(it.dep.id) + ", risk " + to_string(it.risk) + ")";
    }
    page.html += "<section><h2>Who blocks whom</h2><figure>" +
                 render_dependency_graph(teams, edges, "Who blocks whom",
                                         edges.empty() ? "No open dependencies." : "Open dependencies: " + words + ".") +
                 "<figcaption>Open dependencies; red high risk, amber medium, green low; dashed: soft. The register "
                 "below has every one.</figcaption></figure></section>";
    data_table reg{"register", "The dependency register",
                   {{"id", "provider", "consumer", "what", "type", "status", "due", "owner", "risk", "when"}}};
    for (const auto& it : items)
        reg.rows.push_back({std::to_string(it.dep.id), it.dep.provider, it.dep.consumer, it.dep.what,
                            to_string(it.dep.type), to_string(it.dep.status), it.dep.due,
                            it.dep.owner.empty() ? "" : "@" + it.dep.owner, to_string(it.risk), it.due});
    page.html += "<section><h2>Register</h2>";
    add_table(r, page, std::move(reg));
    page.html += "</section>";
    return page;
}

}  // namespace ritualbot::web
