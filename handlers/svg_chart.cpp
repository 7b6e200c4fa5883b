#include "handlers/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "handlers/text.hpp"

namespace ritualbot {
namespace {

constexpr double width = chart_width, height = chart_height;
constexpr double left = 48, right = 16, top = 36, bottom = 44;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string open_svg(const std::string& id, const std::string& title, const std::string& description) {
    const std::string t = escape_html(id) + "-title", d = escape_html(id) + "-desc";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + escape_html(id) +
           "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" width=\"" + num(width) + "\" height=\"" +
           num(height) + "\" role=\"img\" aria-labelledby=\"" + t + " " + d + "\">" + "<title id=\"" + t + "\">" +
           escape_html(title) + "</title><desc id=\"" + d + "\">" + escape_html(description) + "</desc>" +
           "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) +
           "\" fill=\"#ffffff\"/><text x=\"" + num(left) + "\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\" "
           "font-weight=\"bold\" fill=\"#222222\">" + escape_html(title) + "</text>";
}

std::string text_at(double x, double y, const std::string& s, const char* anchor = "middle", int size = 11) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor +
           "\" font-family=\"sans-serif\" font-size=\"" + std::to_string(size) + "\" fill=\"#333333\">" +
           escape_html(s) + "</text>";
}

std::string axes(double y_lo, double y_hi) {
    std::string out;
    const double plot_bottom = height - bottom;
    for (int i = 0; i <= 4; ++i) {
        const double v = y_lo + (y_hi - y_lo) * i / 4.0;
        const double y = plot_bottom - (plot_bottom - top) * i / 4.0;
        out += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(width - right) + "\" y2=\"" +
               num(y) + "\" stroke=\"#dddddd\" stroke-width=\"1\"/>";
        out += text_at(left - 6, y + 4, axis_number(v), "end", 10);
    }
    return out;
}

// A label that fits under a column: "2026-W47" becomes "W47".
std::string short_label(const std::string& label, std::size_t columns) {
    if (columns > 8 && label.size() == 8 && label[4] == '-' && label[5] == 'W') return label.substr(5);
    return label;
}

}  // namespace

std::string tone_colour(const std::string& tone) {
    if (tone == "good") return "#2e7d32";
    if (tone == "warn") return "#b26a00";
    if (tone == "bad") return "#c62828";
    if (tone == "done") return "#1565c0";
    return "#546e7a";
}

std::string axis_number(double v) {
    if (!std::isfinite(v)) return "?";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

std::string render_bar_chart(const bar_chart& c) {
    std::string out = open_svg(c.id, c.title, c.description);
    double max = c.max;
    for (const auto& b : c.bars)
        if (std::isfinite(b.value)) max = std::max(max, b.value);
    if (max <= 0) max = 1;
    out += axes(0, max);
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    const std::size_t n = std::max<std::size_t>(c.bars.size(), 1);
    const double slot = plot_w / static_cast<double>(n);
    const double bar_w = std::max(2.0, slot * 0.6);
    for (std::size_t i = 0; i < c.bars.size(); ++i) {
        const auto& b = c.bars[i];
        const double v = std::isfinite(b.value) ? std::clamp(b.value, 0.0, max) : 0.0;
        const double h = plot_h * v / max;
        const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
        const double y = top + plot_h - h;
        out += "<rect class=\"bar\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(bar_w) + "\" height=\"" +
               num(h) + "\" fill=\"" + tone_colour(b.tone) + "\"><title>" + escape_html(b.label + ": " + b.text) +
               "</title></rect>";
        if (b.mark && std::isfinite(*b.mark)) {
            const double my = top + plot_h - plot_h * std::clamp(*b.mark, 0.0, max) / max;
            out += "<line class=\"mark\" x1=\"" + num(x - 4) + "\" y1=\"" + num(my) + "\" x2=\"" + num(x + bar_w + 4) +
                   "\" y2=\"" + num(my) + "\" stroke=\"#222222\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>";
        }
        if (!b.text.empty()) out += text_at(x + bar_w / 2, y - 4, b.text, "middle", 10);
        out += text_at(x + bar_w / 2, height - bottom + 16, short_label(b.label, c.bars.size()), "middle", 10);
    }
    out += "</svg>";
    return out;
}

std::string render_line_chart(const line_chart& c) {
    std::string out = open_svg(c.id, c.title, c.description);
    double lo = 0, hi = 0;
    bool any = false;
    for (const auto& s : c.lines)
        for (const auto& p : s.points) {
            if (!std::isfinite(p.y)) continue;
            lo = any ? std::min(lo, p.y) : p.y;
            hi = any ? std::max(hi, p.y) : p.y;
            any = true;
        }
    if (c.y_min) lo = *c.y_min;
    if (c.y_max) hi = *c.y_max;
    if (!(hi > lo)) {
        lo -= 1;
        hi += 1;
    }
    out += axes(lo, hi);
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    const std::size_t n = std::max<std::size_t>(c.x_labels.size(), 1);
    const double slot = plot_w / static_cast<double>(n);
    auto px = [&](std::size_t x) { return left + slot * (static_cast<double>(x) + 0.5); };
    auto py = [&](double y) { return top + plot_h - plot_h * (std::clamp(y, lo, hi) - lo) / (hi - lo); };
    for (std::size_t i = 0; i < c.x_labels.size(); ++i)
        out += text_at(px(i), height - bottom + 16, short_label(c.x_labels[i], c.x_labels.size()), "middle", 10);
    double legend_x = width - right;
    for (auto s = c.lines.rbegin(); s != c.lines.rend(); ++s) {
        legend_x -= 8.0 * static_cast<double>(s->name.size()) + 24;
        out += "<line x1=\"" + num(legend_x) + "\" y1=\"16\" x2=\"" + num(legend_x + 14) + "\" y2=\"16\" stroke=\"" +
               tone_colour(s->tone) + "\" stroke-width=\"2\"" + (s->dashed ? " stroke-dasharray=\"5 4\"" : "") +
               "/>" + text_at(legend_x + 18, 20, s->name, "start", 10);
    }
    for (const auto& s : c.lines) {
        std::string points;
        for (const auto& p : s.points)
            if (std::isfinite(p.y) && p.x < n) points += (points.empty() ? "" : " ") + num(px(p.x)) + "," + num(py(p.y));
        if (points.empty()) continue;
        out += "<polyline class=\"series\" data-series=\"" + escape_html(s.name) + "\" points=\"" + points +
               "\" fill=\"none\" stroke=\"" + tone_colour(s.tone) + "\" stroke-width=\"2\"" +
               (s.dashed ? " stroke-dasharray=\"5 4\"" : "") + "/>";
        if (s.dashed) continue;
        for (const auto& p : s.points) {
            if (!std::isfinite(p.y) || p.x >= n) continue;
            out += "<circle class=\"point\" cx=\"" + num(px(p.x)) + "\" cy=\"" + num(py(p.y)) + "\" r=\"4\" fill=\"" +
                   tone_colour(p.tone) + "\"><title>" + escape_html(p.label) + "</title></circle>";
        }
    }
    out += "</svg>";
    return out;
}

}  // namespace ritualbot
