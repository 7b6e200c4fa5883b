#pragma once
// A chart's SVG (handlers/svg_chart) as a PNG for a chat message, drawn by
// librsvg onto a cairo image surface and encoded in memory. Its own
// translation unit: only the transports that upload images include it, and
// librsvg's GLib headers stay out of everything else.
//
//   auto png = render_chart_png(block.svg);
//   if (png.ok()) upload(png.bytes, png.width, png.height);
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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
chart_png render_chart_png(std::string_view svg);

// Width and height from a PNG's IHDR; nullopt when `png` is not a PNG.
std::optional<std::pair<int, int>> png_size(std::string_view png);

}  // namespace ritualbot
