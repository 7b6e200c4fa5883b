#include "bot/web/stylesheet.hpp"

namespace ritualbot::web {

const char* const dashboard_css = R"css(
body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #f6f7f9; line-height: 1.4; }
header { background: #263238; color: #fff; padding: 0.6em 1.2em; }
header a { color: #fff; margin-right: 1.2em; text-decoration: none; }
header a:hover, header a:focus { text-decoration: underline; }
main { max-width: 60em; margin: 0 auto; padding: 1em 1.2em 3em; }
h1 { margin-top: 0.4em; }
section { background: #fff; border-radius: 6px; padding: 0.8em 1.2em; margin: 1em 0; box-shadow: 0 1px 2px #0002; }
figure { margin: 0.5em 0; }
figcaption, .empty, .download, .lead { color: #555; font-size: 0.9em; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eceff1; }
.tone-good { color: #2e7d32; } .tone-warn { color: #b26a00; } .tone-bad { color: #c62828; } .tone-done { color: #1565c0; }
.warning { background: #fff8e1; border-left: 4px solid #b26a00; padding: 0.3em 0.6em; }
ul.teams li { margin: 0.3em 0; }
ul.teams a { margin-right: 0.8em; }
.invalid { max-width: 30em; margin: 4em auto; text-align: center; }
)css";

}  // namespace ritualbot::web
