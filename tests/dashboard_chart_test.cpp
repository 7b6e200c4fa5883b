// The dashboard's SVG charts and Graphviz drawing: well-formed XML (parsed
// by Boost.PropertyTree), the expected marks and labels, the text
// alternative, and user text escaped.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <chrono>
#include <cmath>
#include <future>
#include <sstream>
#include <thread>

#include "bot/chart_helper.hpp"
#include "bot/chart_png.hpp"
#include "bot/web/dependency_graph.hpp"
#include "bot/web/html.hpp"
#include "handlers/svg_chart.hpp"

using namespace ritualbot;
using namespace ritualbot::web;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
    return n;
}

// Throws unless `svg` is well-formed XML; returns its root element.
boost::property_tree::ptree parse(const std::string& svg) {
    std::istringstream in(svg);
    boost::property_tree::ptree tree;
    boost::property_tree::read_xml(in, tree);
    return tree;
}

bar_chart participation() {
    bar_chart c;
    c.id = "p";
    c.title = "Participation <last 3 weeks>";
    c.description = "W45: 3 of 4; W46: 2 of 4; W47: 0 of 4";
    c.max = 4;
    c.bars = {{"2026-W45", 3, "3/4", "good"}, {"2026-W46", 2, "2/4", "warn"}, {"2026-W47", 0, "0/4", "bad"}};
    return c;
}

}  // namespace

TEST(DashboardChart, ABarChartIsWellFormedWithOneBarPerWeekAndItsTextAlternative) {
    const std::string svg = render_bar_chart(participation());
    auto tree = parse(svg);
    const auto& root = tree.get_child("svg");
    EXPECT_EQ(root.get<std::string>("<xmlattr>.role"), "img");
    EXPECT_EQ(root.get<std::string>("<xmlattr>.aria-labelledby"), "p-title p-desc");
    EXPECT_EQ(root.get<std::string>("title"), "Participation <last 3 weeks>");  // escaped in the text, read back whole
    EXPECT_EQ(root.get<std::string>("desc"), "W45: 3 of 4; W46: 2 of 4; W47: 0 of 4");
    EXPECT_EQ(count(svg, "<rect class=\"bar\""), 3u);
    EXPECT_TRUE(has(svg, "&lt;last 3 weeks&gt;"));
    EXPECT_TRUE(has(svg, ">3/4</text>"));
    EXPECT_TRUE(has(svg, ">2026-W46</text>"));  // three columns: the whole week
    // Heights in proportion to the scale: 3 of 4 is three times 1 of 4's worth, 0 is flat.
    EXPECT_TRUE(has(svg, "height=\"135.0\" fill=\"#2e7d32\"")) << svg;  // 180 * 3/4
    EXPECT_TRUE(has(svg, "height=\"90.0\" fill=\"#b26a00\"")) << svg;
    EXPECT_TRUE(has(svg, "height=\"0.0\" fill=\"#c62828\"")) << svg;
}

TEST(DashboardChart, ManyWeeksGetShortLabelsAndOddValuesStayInTheFrame) {
    bar_chart c;
    c.id = "many";
    c.title = "t";
    for (int i = 0; i < 12; ++i)
        c.bars.push_back({"2026-W" + std::to_string(36 + i), i == 3 ? -5.0 : i == 4 ? 1e300 : 1.0, "", "good"});
    c.bars.push_back({"nan", std::nan(""), "", "good"});
    const std::string svg = render_bar_chart(c);
    parse(svg);
    EXPECT_TRUE(has(svg, ">W36</text>"));
    EXPECT_FALSE(has(svg, ">2026-W36</text>"));
    EXPECT_FALSE(has(svg, "nan\"")) << svg;
    EXPECT_FALSE(has(svg, "height=\"-")) << svg;
}

TEST(DashboardChart, ALineChartDrawsTheValuesAndTheDashedExpectedLine) {
    line_chart c;
    c.id = "kr";
    c.title = "KR1.1 Cut CI time & \"flakes\"";
    c.description = "from 12 to 5 min";
    c.x_labels = {"2026-W45", "2026-W46", "2026-W47"};
    c.lines = {{"expected", {{0, 12, "", "neutral"}, {1, 10, "", "neutral"}, {2, 8, "", "neutral"}}, true, "neutral"},
               {"value", {{0, 12, "W45: 12 min", "good"}, {2, 9, "W47: 9 min <ok>", "warn"}}, false, "warn"}};
    c.y_min = 5;
    c.y_max = 12;
    const std::string svg = render_line_chart(c);
    auto tree = parse(svg);
    EXPECT_EQ(tree.get_child("svg").get<std::string>("title"), "KR1.1 Cut CI time & \"flakes\"");
    EXPECT_EQ(count(svg, "<polyline"), 2u);
    EXPECT_EQ(count(svg, "stroke-dasharray"), 2u);  // the expected line and its legend
    EXPECT_EQ(count(svg, "<circle class=\"point\""), 2u);  // only weeks with a value
    EXPECT_TRUE(has(svg, "<title>W47: 9 min &lt;ok&gt;</title>"));
    // y = 12 is the top of the plot (36), y = 5 its bottom (216); x of column 0 of 3 is 48 + 192 / 2.
    EXPECT_TRUE(has(svg, "points=\"144.0,36.0 528.0,113.1\"")) << svg;
    EXPECT_TRUE(has(svg, ">12</text>"));
    EXPECT_TRUE(has(svg, ">5</text>"));
}

TEST(DashboardChart, AnEmptyChartIsStillAWellFormedPicture) {
    line_chart c;
    c.id = "empty";
    c.title = "nothing";
    parse(render_line_chart(c));
    bar_chart b;
    b.id = "empty-bars";
    b.title = "nothing";
    parse(render_bar_chart(b));
}

TEST(DashboardGraph, GraphvizLaysOutTheTeamsWithEdgesColouredByRisk) {
    const std::string svg = render_dependency_graph(
        {"platform", "alpha", "beta <b>", "lonely"},
        {{"platform", "alpha", "#1 Auth v2 & \"SSO\"", "bad", false}, {"beta <b>", "alpha", "#2 docs", "good", true}},
        "Who blocks whom", "platform blocks alpha (high)");
    auto tree = parse(svg);
    const auto& root = tree.get_child("svg");
    EXPECT_EQ(root.get<std::string>("<xmlattr>.role"), "img");
    EXPECT_EQ(root.get<std::string>("title"), "Who blocks whom");
    EXPECT_EQ(root.get<std::string>("desc"), "platform blocks alpha (high)");
    EXPECT_FALSE(has(svg, "<?xml"));
    EXPECT_TRUE(has(svg, ">lonely</text>")) << svg;
    EXPECT_TRUE(has(svg, "beta &lt;b&gt;")) << svg;
    EXPECT_TRUE(has(svg, "Auth v2 &amp; &quot;SSO&quot;")) << svg;
    EXPECT_TRUE(has(svg, "stroke=\"#c62828\"")) << svg;  // the high-risk edge
    EXPECT_TRUE(has(svg, "stroke=\"#2e7d32\"")) << svg;
    EXPECT_TRUE(has(svg, "stroke-dasharray")) << svg;  // the soft one
    EXPECT_EQ(count(svg, "class=\"edge\""), 2u);
    EXPECT_EQ(count(svg, "class=\"node\""), 4u);
}

// Graphviz runs in ritualbot-chart: odd names are drawn as written, and a
// request it cannot read is an error message, not a crash.
TEST(DashboardGraph, OddNamesAreDrawnAsWrittenAndABadRequestIsAnError) {
    const std::string backslash = "ops\\n team";  // a backslash Graphviz must not read as its \n
    const std::string svg = render_dependency_graph(
        {backslash, "two\nlines", "日本チーム", std::string(300, 'x')},
        {{backslash, "日本チーム", "#3 \"quoted\" \\N", "warn", false}, {"ghost", backslash, "#4", "neutral", false}},
        "Who blocks whom", "odd names");
    parse(svg);
    EXPECT_TRUE(has(svg, "ops\\n team")) << svg;  // one backslash, shown
    EXPECT_TRUE(has(svg, "two lines")) << svg;     // a line break is a space
    EXPECT_TRUE(has(svg, "日本チーム")) << svg;
    EXPECT_EQ(count(svg, "class=\"node\""), 5u);  // an edge's unknown end is drawn too
    EXPECT_EQ(count(svg, "class=\"edge\""), 2u);

    for (const std::string bad : {"not json", "[1, 2]", "", "{\"nodes\": 7, \"edges\": [\"x\"]}"}) {
        const chart_helper_result r = run_chart_helper({"--graph"}, bad, 1 << 20);
        if (bad.starts_with("{")) {  // the wrong kinds inside an object are skipped: an empty graph
            EXPECT_TRUE(r.ok) << r.error;
            EXPECT_TRUE(has(r.output, "<svg")) << r.output;
        } else {
            EXPECT_FALSE(r.ok) << bad;
            EXPECT_EQ(r.error, "the graph request is not a JSON object") << bad;
        }
    }
    const chart_helper_result usage = run_chart_helper({"--nonsense"}, "", 1 << 20);
    EXPECT_FALSE(usage.ok);
    EXPECT_TRUE(has(usage.error, "usage: ritualbot-chart")) << usage.error;
}

// The dashboard waits for the graph on the bot's event loop. Charts that
// loop started hold the two renderer places until it runs again, so the
// graph must not wait for a place (it would wait for ever).
TEST(DashboardGraph, TheGraphIsDrawnWhileChartsOfTheBlockedLoopHoldTheRendererPlaces) {
    boost::asio::io_context blocked;
    int charts = 0;
    const std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>)";
    for (int i = 0; i < 2; ++i) render_chart_png_async(blocked, svg, [&](chart_png) { ++charts; });
    // On a thread of its own, left behind if it hangs (the failure below says so).
    std::packaged_task<std::string()> draw([] {
        return render_dependency_graph({"alpha", "beta"}, {{"alpha", "beta", "#1", "bad", false}}, "t", "d");
    });
    auto graph = draw.get_future();
    std::thread(std::move(draw)).detach();
    ASSERT_EQ(graph.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    EXPECT_TRUE(has(graph.get(), "class=\"edge\""));
    blocked.run();  // the two charts finish and give their places back
    EXPECT_EQ(charts, 2);
}

TEST(DashboardHtml, EscapingCsvAndPathSegments) {
    EXPECT_EQ(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    EXPECT_EQ(csv_line({"a", "b,c", "say \"hi\"", "line\nbreak"}), "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n");
    EXPECT_EQ(csv_line({"=HYPERLINK(\"x\")", "-1.5", "-cmd", "@SUM"}),
              "\"'=HYPERLINK(\"\"x\"\")\",-1.5,'-cmd,'@SUM\r\n");
    // As chat shows people's text: no direction override, broken UTF-8 as U+FFFD.
    EXPECT_EQ(escape_html("a\u202Eb<\xff"), "ab&lt;\uFFFD");
    EXPECT_EQ(csv_line({"x\u200By", "\xff"}), "xy,\uFFFD\r\n");
    EXPECT_EQ(url_segment("ML team/ü"), "ML%20team%2F%C3%BC");
    std::string out;
    EXPECT_TRUE(decode_url_segment("ML%20team%2F%C3%BC", out));
    EXPECT_EQ(out, "ML team/ü");
    EXPECT_FALSE(decode_url_segment("bad%2", out));
    EXPECT_FALSE(decode_url_segment("bad%zz", out));
}
