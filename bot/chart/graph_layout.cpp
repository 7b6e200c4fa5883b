#include "bot/chart/graph_layout.hpp"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ritualbot {
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

std::string text(const nlohmann::json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string layout_graph_svg(std::string_view request) {
    const auto in = nlohmann::json::parse(request, nullptr, false);
    if (!in.is_object()) throw std::runtime_error("the graph request is not a JSON object");
    // One context for the process (it draws one graph, then exits).
    GVC_t* const gvc = gvContext();
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
    if (auto nodes = in.find("nodes"); nodes != in.end() && nodes->is_array())
        for (const auto& n : *nodes)
            if (n.is_string()) node(n.get<std::string>());
    int i = 0;
    if (auto edges = in.find("edges"); edges != in.end() && edges->is_array())
        for (const auto& e : *edges) {
            if (!e.is_object()) continue;
            Agedge_t* edge = agedge(g.get(), node(text(e, "from")), node(text(e, "to")),
                                    const_cast<char*>(("e" + std::to_string(i++)).c_str()), 1);
            const std::string color = text(e, "color");
            set(edge, "label", literal(text(e, "label")));
            set(edge, "color", color);
            set(edge, "fontcolor", color);
            set(edge, "fontname", "sans-serif");
            set(edge, "fontsize", "10");
            set(edge, "penwidth", text(e, "penwidth"));
            if (e.value("dashed", false)) set(edge, "style", "dashed");
        }
    if (gvLayout(gvc, g.get(), "dot") != 0) throw std::runtime_error("Graphviz: the dot layout failed");
    char* data = nullptr;
    unsigned int length = 0;
    const int rendered = gvRenderData(gvc, g.get(), "svg", &data, &length);
    std::string svg = rendered == 0 && data ? std::string(data, length) : std::string();
    if (data) gvFreeRenderData(data);
    gvFreeLayout(gvc, g.get());
    if (svg.empty()) throw std::runtime_error("Graphviz: rendering SVG failed");
    return svg;
}

}  // namespace ritualbot
