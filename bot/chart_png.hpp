#pragma once
// A chart's SVG (handlers/svg_chart) as a PNG for a chat message. librsvg
// draws it in its own process (bot/chart_helper): the bot never maps librsvg
// and its GLib, cairo and font libraries, a fault in them costs one chart,
// and a Friday of 200 team digests does not stall the event loop while the
// pictures are drawn.
//
//   render_chart_png_async(io, block.svg, [](chart_png png) {
//       if (png.ok()) upload(png.bytes, png.width, png.height);
//   });
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace boost::asio {
class io_context;
}

namespace ritualbot {

struct chart_png {
    std::string bytes;  // the PNG file
    int width = 0, height = 0;
    std::string error;  // why there is none
    bool ok() const { return error.empty() && !bytes.empty(); }
};

// Twice the SVG's own size for crisp text on high-density screens, at most
// max_width pixels wide (the aspect ratio kept). Deterministic: the same
// SVG gives the same pixels.
inline constexpr double chart_png_scale = 2.0;
inline constexpr int chart_png_max_width = 2048;
// At most two renderers run at once; more charts wait their turn.
// Calls `done` on `io` with the picture, or with an error (no renderer
// installed, an unreadable SVG, a renderer that crashed or took longer than
// chart_render_timeout_seconds of bot/chart_helper). `done` is not called if
// `io` stops first.
void render_chart_png_async(boost::asio::io_context& io, std::string svg, std::function<void(chart_png)> done);
// The same, waiting for it (tests, the command line).
chart_png render_chart_png(std::string_view svg);

// Width and height from a PNG's IHDR; nullopt when `png` is not a PNG.
std::optional<std::pair<int, int>> png_size(std::string_view png);

}  // namespace ritualbot
