#include "bot/chart_png.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>

#include "bot/chart_helper.hpp"

namespace ritualbot {
namespace {

constexpr std::size_t max_png_bytes = 16 << 20;

}  // namespace

void render_chart_png_async(boost::asio::io_context& io, std::string svg, std::function<void(chart_png)> done) {
    if (svg.empty()) {
        boost::asio::post(io, [done = std::move(done)] {
            chart_png png;
            png.error = "no SVG";
            done(std::move(png));
        });
        return;
    }
    run_chart_helper_async(io, {}, std::move(svg), max_png_bytes, [done = std::move(done)](chart_helper_result r) {
        chart_png png;
        if (!r.ok) {
            png.error = std::move(r.error);
        } else if (auto size = png_size(r.output)) {
            png.bytes = std::move(r.output);
            png.width = size->first;
            png.height = size->second;
        } else {
            png.error = "the chart renderer's answer is not a PNG";
        }
        done(std::move(png));
    });
}

chart_png render_chart_png(std::string_view svg) {
    boost::asio::io_context io;
    chart_png out;
    render_chart_png_async(io, std::string(svg), [&out](chart_png png) { out = std::move(png); });
    io.run();
    return out;
}

std::optional<std::pair<int, int>> png_size(std::string_view png) {
    static constexpr unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    // Signature, then the IHDR chunk: length (13), "IHDR", width, height (big-endian).
    if (png.size() < 24 || !std::equal(signature, signature + 8, reinterpret_cast<const unsigned char*>(png.data())) ||
        png.substr(12, 4) != "IHDR")
        return std::nullopt;
    auto be32 = [&](std::size_t at) {
        const auto* p = reinterpret_cast<const unsigned char*>(png.data() + at);
        return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
               (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
    };
    const std::uint32_t w = be32(16), h = be32(20);
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) return std::nullopt;
    return std::make_pair(static_cast<int>(w), static_cast<int>(h));
}

}  // namespace ritualbot
