#pragma once
// The librsvg half of bot/chart_png: an SVG drawn onto a cairo image surface
// and encoded as PNG in memory. Only the ritualbot-chart executable links it,
// so the bot never maps librsvg, GLib, cairo and their fonts (about 8 MiB of
// resident pages) and a fault in them cannot take the bot down.
#include <string_view>

#include "bot/chart_png.hpp"

namespace ritualbot {

chart_png rasterize_svg(std::string_view svg);

}  // namespace ritualbot
