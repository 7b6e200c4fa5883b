#pragma once
// Renders the platform-neutral message as a Matrix m.notice: a plain `body`
// (the same text the console prints) and an HTML `formatted_body` from the
// spec's safe tag set (h4, p, ul/li, table, em, hr). User text is escaped.
// Buttons have no Matrix equivalent and are left out; the texts around
// them already say which command does the same. Image blocks are left out
// too: the transport sends each as an m.image event after the notice.
#include <string>

#include "storage/message.hpp"

namespace ritualbot::matrix {

struct notice_content {
    std::string body;
    std::string formatted_body;
};

notice_content render_notice(const message& m);

}  // namespace ritualbot::matrix
