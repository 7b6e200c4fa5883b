#include "bot/net/json_dom.hpp"

namespace ritualbot::net {

simdjson::dom::parser& kept_json_parser() {
    thread_local simdjson::dom::parser parser;
    return parser;
}

}  // namespace ritualbot::net
