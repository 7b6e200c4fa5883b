#pragma once
// The Graphviz half of bot/web/dependency_graph: a directed graph laid out by
// dot (its gvc/cgraph C API) and drawn as SVG. Only the ritualbot-chart
// executable links it, so the bot never maps Graphviz, its plugins (dlopened
// at the first layout: pango, cairo, fontconfig) and their libraries, and a
// fault in them on a hostile team name cannot take the bot down.
#include <string>
#include <string_view>

namespace ritualbot {

// `request` is JSON: {"nodes": ["name", ...], "edges": [{"from", "to",
// "label", "color", "penwidth", "dashed"}, ...]}; an edge's ends are nodes
// even when not listed. Names and labels show as written (Graphviz's own
// escapes such as \n are not read). Returns Graphviz's SVG document; throws
// std::runtime_error with a message when the request or Graphviz fails.
std::string layout_graph_svg(std::string_view request);

}  // namespace ritualbot
