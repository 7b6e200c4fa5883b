// ritualbot-chart: a chart's SVG on standard input, its PNG on standard
// output (exit 0), or why not as text (exit 2). The bot starts one per chart
// (bot/chart_png.cpp) and reads the answer without waiting on it.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "bot/chart/rasterize.hpp"

int main() {
    constexpr std::size_t max_svg = 4 << 20;
    std::string svg;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0) return 3;
        if (n == 0) break;
        svg.append(buf, static_cast<std::size_t>(n));
        if (svg.size() > max_svg) {
            std::fputs("the SVG is larger than 4 MiB", stdout);
            std::fflush(stdout);
            _exit(2);
        }
    }
    const ritualbot::chart_png png = ritualbot::rasterize_svg(svg);
    const std::string& out = png.ok() ? png.bytes : png.error;
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    // _exit: GLib's one-time allocations are not leaks worth a report, and
    // nothing here needs its destructors.
    _exit(png.ok() ? 0 : 2);
}
