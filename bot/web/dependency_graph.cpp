#include "bot/web/dependency_graph.hpp"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>
#include <stdexcept>

#include "bot/web/html.hpp"
#include "handlers/svg_chart.hpp"

namespace ritualbot::web {
namespace {

// Graphviz reads escapes (\n, \l, \N, ...) in labels; a name shows as written.
std::string literal(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

void set(void* obj, const char* name, const std::string& value) {
    agsafeset(obj, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

}  // namespace

std::string render_dependency_graph(const std::vector<std::string>& teams, const std::vector<graph_edge>& edges,
                                    const std::string& title, const std::string& description) {
    // One context for the process, made on first use and never freed:
    // Graphviz 2.42's pango plugin keeps the last font name across contexts,
    // so a second context reads freed memory (AddressSanitizer found it).
    // Only the web server's thread draws.
    static GVC_t* const gvc = gvContext();
    if (!gvc) throw std::runtime_error("Graphviz: no context");
    // Not strict: two dependencies between the same teams are two edges.
    std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> g(agopen(const_cast<char*>("dependencies"), Agdirected, nullptr),
                                                   agclose);
    set(g.get(), "rankdir", "LR");
    set(g.get(), "bgcolor", "white");
    set(g.get(), "fontname", "sans-serif");
    auto node = [&](const std::string& name) {
        Agnode_t* n = agnode(g.get(), const_cast<char*>(name.c_str()), 1);
        set(n, "label", literal(name));
        set(n, "shape", "box");
        set(n, "style", "rounded,filled");
        set(n, "fillcolor", "#eceff1");
        set(n, "fontname", "sans-serif");
        return n;
    };
    for (const auto& t : teams) node(t);
    int i = 0;
    for (const auto& e : edges) {
        Agedge_t* edge = agedge(g.get(), node(e.from), node(e.to), const_cast<char*>(("e" + std::to_string(i++)).c_str()), 1);
        set(edge, "label", literal(e.label));
        set(edge, "color", tone_colour(e.tone));
        set(edge, "fontcolor", tone_colour(e.tone));
        set(edge, "fontname", "sans-serif");
        set(edge, "fontsize", "10");
        set(edge, "penwidth", e.tone == "bad" ? "2.5" : "1.5");
        if (e.dashed) set(edge, "style", "dashed");
    }
    if (gvLayout(gvc, g.get(), "dot") != 0) throw std::runtime_error("Graphviz: the dot layout failed");
    char* data = nullptr;
    unsigned int length = 0;
    const int rendered = gvRenderData(gvc, g.get(), "svg", &data, &length);
    std::string svg = rendered == 0 && data ? std::string(data, length) : std::string();
    if (data) gvFreeRenderData(data);
    gvFreeLayout(gvc, g.get());
    if (svg.empty()) throw std::runtime_error("Graphviz: rendering SVG failed");
    // Only the <svg> element, with our text alternative first.
    const auto start = svg.find("<svg");
    const auto open_end = start == std::string::npos ? std::string::npos : svg.find('>', start);
    if (open_end == std::string::npos) throw std::runtime_error("Graphviz: no <svg> in its output");
    svg = svg.substr(start, open_end - start) +
          " class=\"graph\" role=\"img\" aria-labelledby=\"dependency-graph-title dependency-graph-desc\">" +
          "<title id=\"dependency-graph-title\">" + escape_html(title) + "</title><desc id=\"dependency-graph-desc\">" +
          escape_html(description) + "</desc>" + svg.substr(open_end + 1);
    return svg;
}

}  // namespace ritualbot::web
