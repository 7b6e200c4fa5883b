// A chart's SVG as a PNG (bot/chart_png, drawn by the ritualbot-chart
// process with librsvg + cairo): a valid PNG of twice the SVG's size, with
// the chart drawn in it, the same bytes for the same SVG, and an error value
// (no crash) for what is not an SVG or a renderer that is missing or broken.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "bot/chart_helper.hpp"
#include "bot/chart_png.hpp"
#include "handlers/svg_chart.hpp"

using namespace ritualbot;

namespace {

std::string participation_svg(int offset = 0) {
    bar_chart c;
    c.id = "participation-chart";
    c.title = "Participation, last 12 weeks";
    c.description = "Updates answered per week.";
    c.max = 5;
    for (int i = 0; i < 12; ++i)
        c.bars.push_back({"2026-W" + std::to_string(36 + i), static_cast<double>((i + offset) % 6),
                          std::to_string((i + offset) % 6) + "/5", (i + offset) % 6 >= 4 ? "good" : "warn"});
    return render_bar_chart(c);
}

// The same size, white, nothing on it.
std::string blank_svg() {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 260\" width=\"640\" height=\"260\">"
           "<rect x=\"0\" y=\"0\" width=\"640\" height=\"260\" fill=\"#ffffff\"/></svg>";
}

}  // namespace

TEST(ChartPng, AChartBecomesAPngOfTwiceItsSize) {
    const chart_png png = render_chart_png(participation_svg());
    ASSERT_TRUE(png.ok()) << png.error;
    // The PNG signature, then IHDR with the size.
    ASSERT_GE(png.bytes.size(), 24u);
    EXPECT_EQ(png.bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.bytes.substr(12, 4), "IHDR");
    auto size = png_size(png.bytes);
    ASSERT_TRUE(size);
    EXPECT_EQ(size->first, 2 * chart_width);
    EXPECT_EQ(size->second, 2 * chart_height);
    EXPECT_EQ(png.width, size->first);
    EXPECT_EQ(png.height, size->second);
}

TEST(ChartPng, TheChartIsDrawnNotABlankImage) {
    const chart_png chart = render_chart_png(participation_svg());
    const chart_png blank = render_chart_png(blank_svg());
    ASSERT_TRUE(chart.ok() && blank.ok());
    EXPECT_EQ(png_size(blank.bytes), png_size(chart.bytes));
    // Bars, grid and labels compress far worse than a white page.
    EXPECT_GT(chart.bytes.size(), 4 * blank.bytes.size()) << chart.bytes.size() << " vs " << blank.bytes.size();
    // Other numbers, other pixels; the same SVG, the same bytes (a retry uploads the same picture).
    const chart_png other = render_chart_png(participation_svg(3));
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other.bytes, chart.bytes);
    EXPECT_EQ(render_chart_png(participation_svg()).bytes, chart.bytes);
}

TEST(ChartPng, AWideSvgIsCappedKeepingItsShape) {
    const std::string wide =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4000 1000\" width=\"4000\" height=\"1000\">"
        "<rect x=\"10\" y=\"10\" width=\"300\" height=\"300\" fill=\"#c62828\"/></svg>";
    const chart_png png = render_chart_png(wide);
    ASSERT_TRUE(png.ok()) << png.error;
    EXPECT_EQ(png.width, chart_png_max_width);
    EXPECT_EQ(png.height, chart_png_max_width / 4);
    EXPECT_EQ(png_size(png.bytes), std::make_pair(png.width, png.height));
}

TEST(ChartPng, WhatIsNotAnSvgIsAnErrorValue) {
    EXPECT_FALSE(render_chart_png("").ok());
    EXPECT_FALSE(render_chart_png("not an svg <<<").ok());
    EXPECT_FALSE(render_chart_png("not an svg <<<").error.empty());
    EXPECT_FALSE(png_size("GIF89a"));
}

namespace {

// Points the renderer somewhere else for one test.
class renderer_override {
public:
    explicit renderer_override(const char* path) : saved_(std::getenv("RITUALBOT_CHART_RENDERER")) {
        setenv("RITUALBOT_CHART_RENDERER", path, 1);
    }
    ~renderer_override() {
        if (saved_) setenv("RITUALBOT_CHART_RENDERER", saved_->c_str(), 1);
        else unsetenv("RITUALBOT_CHART_RENDERER");
    }

private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST(ChartPng, AMissingOrFailingRendererIsAnErrorNotACrash) {
    {
        renderer_override none("/nonexistent/ritualbot-chart");
        const chart_png png = render_chart_png(participation_svg());
        EXPECT_FALSE(png.ok());
        EXPECT_NE(png.error.find("is not installed"), std::string::npos) << png.error;
    }
    {
        renderer_override broken("/bin/false");
        const chart_png png = render_chart_png(participation_svg());
        EXPECT_FALSE(png.ok());
        EXPECT_NE(png.error.find("exit 1"), std::string::npos) << png.error;
    }
    {
        renderer_override not_png("/bin/cat");  // answers with the SVG itself
        const chart_png png = render_chart_png(participation_svg());
        EXPECT_FALSE(png.ok());
        EXPECT_NE(png.error.find("not a PNG"), std::string::npos) << png.error;
    }
    EXPECT_TRUE(render_chart_png(participation_svg()).ok());  // and the real one again
}

TEST(ChartPng, ManyChartsAtOnceRunAtMostTwoRenderersAndAllArrive) {
    // A renderer that notes when it starts and ends around the real one.
    const std::string dir = ::testing::TempDir() + "chart_renderers";
    std::filesystem::create_directories(dir);
    const std::string log = dir + "/log", script = dir + "/renderer.sh";
    std::filesystem::remove(log);
    {
        std::ofstream out(script);
        out << "#!/bin/sh\necho start >> " << log << "\nsleep 0.1\necho end >> " << log << "\nexec "
            << chart_renderer_path() << "\n";
    }
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    renderer_override logged(script.c_str());

    boost::asio::io_context io;
    std::vector<chart_png> drawn;
    for (int i = 0; i < 6; ++i)
        render_chart_png_async(io, participation_svg(i), [&drawn](chart_png png) { drawn.push_back(std::move(png)); });
    io.run();
    ASSERT_EQ(drawn.size(), 6u);
    for (const auto& png : drawn) EXPECT_TRUE(png.ok()) << png.error;
    std::ifstream in(log);
    int running = 0, most = 0;
    for (std::string line; std::getline(in, line);) {
        running += line == "start" ? 1 : -1;
        most = std::max(most, running);
    }
    EXPECT_EQ(running, 0);
    EXPECT_EQ(most, 2);
}
