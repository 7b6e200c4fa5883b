#pragma once
// The charts as standalone SVG documents: pure functions of their data (no
// clock, no storage, no CSS needed: colours are presentation attributes), so
// the dashboard inlines them and a chat message carries the same text, which
// the transports rasterise (bot/chart_png). Here, not in bot/web, because
// handlers build chat charts and must not include bot/.
// Each chart carries its text alternative: role="img", aria-labelledby, a
// <title> and a <desc>; the page puts a table of the same numbers beside it.
#include <optional>
#include <string>
#include <vector>

namespace ritualbot {

// Status colours: "good" (on track, low), "warn" (at risk, medium), "bad"
// (off track, high), "done", "neutral".
std::string tone_colour(const std::string& tone);

struct bar_chart {
    std::string id;           // unique on the page, for aria-labelledby
    std::string title;
    std::string description;  // what the chart says in words
    double max = 0;           // the top of the scale; 0: the largest value
    struct bar {
        std::string label;    // under the bar
        double value = 0;
        std::string text;     // the number written above the bar, e.g. "3/5"
        std::string tone = "good";
        std::optional<double> mark = std::nullopt;  // a dashed tick across the bar at this value (where it should be)
    };
    std::vector<bar> bars;
};

struct line_chart {
    std::string id;
    std::string title;
    std::string description;
    std::vector<std::string> x_labels;  // one per column, left to right
    struct point {
        std::size_t x = 0;  // column
        double y = 0;
        std::string label;  // a <title> on the marker, e.g. "2026-W47: 42"
        std::string tone = "neutral";
    };
    struct series {
        std::string name;
        std::vector<point> points;  // in column order
        bool dashed = false;        // the expected line
        std::string tone = "neutral";
    };
    std::vector<series> lines;
    std::optional<double> y_min, y_max;  // default: the data's range
};

std::string render_bar_chart(const bar_chart& chart);
std::string render_line_chart(const line_chart& chart);

// Every chart's size in SVG user units (its width and height attributes).
inline constexpr int chart_width = 640, chart_height = 260;

// A number as written on an axis: at most 2 decimals, trailing zeros dropped.
std::string axis_number(double v);

}  // namespace ritualbot
