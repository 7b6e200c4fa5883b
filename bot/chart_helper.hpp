#pragma once
// The ritualbot-chart executable beside the bot (bot/chart/), run once per
// drawing: what it draws goes in on its standard input, the drawing (or why
// not) comes out on its standard output. Charts are rasterised there
// (bot/chart_png) and the dashboard's dependency graph is laid out there
// (bot/web/dependency_graph), so the bot never maps librsvg, GLib, cairo,
// Graphviz and their fonts and plugins, and a fault in them costs one
// drawing, not the bot.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace ritualbot {

struct chart_helper_result {
    bool ok = false;      // the helper exited 0
    std::string output;   // its standard output when ok
    std::string error;    // why not: its own message (exit 2), a crash, a timeout, not installed
};

inline constexpr int chart_render_timeout_seconds = 30;

// Runs `path args...` with `input` on its standard input; at most two
// helpers run at once (all io_contexts together), more wait their turn.
// Calls `done` on `io` (never from inside the call); not at all if `io`
// stops first. Output beyond max_output is an error.
void run_chart_helper_async(boost::asio::io_context& io, std::vector<std::string> args, std::string input,
                            std::size_t max_output, std::function<void(chart_helper_result)> done);
// The same, waiting for it (the dashboard's dependency graph, tests): blocks
// the calling thread, and is not counted against the two at once, since the
// caller's event loop may be what holds them.
chart_helper_result run_chart_helper(std::vector<std::string> args, std::string input, std::size_t max_output);

// The helper run: $RITUALBOT_CHART_RENDERER, else ritualbot-chart in the
// directory of the running executable.
std::string chart_renderer_path();

}  // namespace ritualbot
