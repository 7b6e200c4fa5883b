// ritualbot-chart: a drawing's input on standard input, the drawing on
// standard output (exit 0), or why not as text (exit 2). The bot starts one
// per drawing (bot/chart_helper.cpp) and reads the answer without waiting on it.
//   ritualbot-chart           a chart's SVG in, its PNG out (bot/chart_png)
//   ritualbot-chart --graph   a graph as JSON in, its SVG laid out by Graphviz
//                             out (bot/web/dependency_graph)
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "bot/chart/graph_layout.hpp"
#include "bot/chart/rasterize.hpp"

namespace {

[[noreturn]] void answer(const std::string& out, int code) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    // _exit: GLib's and Graphviz's one-time allocations are not leaks worth a
    // report, and nothing here needs its destructors.
    _exit(code);
}

}  // namespace

int main(int argc, char** argv) {
    const bool graph = argc > 1 && std::string_view(argv[1]) == "--graph";
    if (argc > 2 || (argc == 2 && !graph)) answer("usage: ritualbot-chart [--graph] < input > output", 2);
    constexpr std::size_t max_input = 4 << 20;
    std::string input;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0) return 3;
        if (n == 0) break;
        input.append(buf, static_cast<std::size_t>(n));
        if (input.size() > max_input) answer("the input is larger than 4 MiB", 2);
    }
    if (graph) {
        try {
            answer(ritualbot::layout_graph_svg(input), 0);
        } catch (const std::exception& e) {
            answer(e.what(), 2);
        }
    }
    const ritualbot::chart_png png = ritualbot::rasterize_svg(input);
    answer(png.ok() ? png.bytes : png.error, png.ok() ? 0 : 2);
}
