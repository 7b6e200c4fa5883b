#include "bot/web/dependency_graph.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "bot/chart_helper.hpp"
#include "bot/web/html.hpp"
#include "handlers/svg_chart.hpp"

namespace ritualbot::web {

std::string render_dependency_graph(const std::vector<std::string>& teams, const std::vector<graph_edge>& edges,
                                    const std::string& title, const std::string& description) {
    nlohmann::json request{{"nodes", teams}, {"edges", nlohmann::json::array()}};
    for (const auto& e : edges)
        request["edges"].push_back({{"from", e.from},
                                    {"to", e.to},
                                    {"label", e.label},
                                    {"color", tone_colour(e.tone)},
                                    {"penwidth", e.tone == "bad" ? "2.5" : "1.5"},
                                    {"dashed", e.dashed}});
    // Laid out by Graphviz in the chart helper (bot/chart/graph_layout). The
    // dashboard answers on the bot's event loop, which waits for it (about
    // 40 ms: the helper's start and Graphviz's plugins), as it waited for
    // Graphviz in-process before.
    constexpr std::size_t max_svg = 4 << 20;
    chart_helper_result r = run_chart_helper(
        {"--graph"}, request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), max_svg);
    if (!r.ok) throw std::runtime_error("the dependency graph: " + r.error);
    std::string& svg = r.output;
    // Only the <svg> element, with our text alternative first.
    const auto start = svg.find("<svg");
    const auto open_end = start == std::string::npos ? std::string::npos : svg.find('>', start);
    if (open_end == std::string::npos) throw std::runtime_error("Graphviz: no <svg> in its output");
    return svg.substr(start, open_end - start) +
           " class=\"graph\" role=\"img\" aria-labelledby=\"dependency-graph-title dependency-graph-desc\">" +
           "<title id=\"dependency-graph-title\">" + escape_html(title) + "</title><desc id=\"dependency-graph-desc\">" +
           escape_html(description) + "</desc>" + svg.substr(open_end + 1);
}

}  // namespace ritualbot::web
