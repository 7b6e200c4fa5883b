// The tests run from build/tests/, not beside ritualbot-chart: every chart
// they draw (bot/chart_png) uses the one this build made.
#include <cstdlib>

namespace {
const bool chart_renderer_set = [] { return setenv("RITUALBOT_CHART_RENDERER", RITUALBOT_CHART_BINARY, 0) == 0; }();
}  // namespace
