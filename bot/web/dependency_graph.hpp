#pragma once
// Who blocks whom as an SVG drawing, laid out by Graphviz (dot) in the chart
// helper process (bot/chart_helper, bot/chart/graph_layout). The same edges
// give the same SVG.
#include <string>
#include <vector>

namespace ritualbot::web {

struct graph_edge {
    std::string from;   // the providing team
    std::string to;     // the consuming team
    std::string label;  // "#3 Auth v2"
    std::string tone;   // see tone_colour: "bad" high, "warn" medium, "good" low, "neutral" none
    bool dashed = false;  // soft
};

// An <svg> element (no XML prolog) with role="img", a <title> and a <desc>;
// every team in `teams` is a node even without edges. Waits for the helper;
// throws std::runtime_error when it or Graphviz fails.
std::string render_dependency_graph(const std::vector<std::string>& teams, const std::vector<graph_edge>& edges,
                                    const std::string& title, const std::string& description);

}  // namespace ritualbot::web
