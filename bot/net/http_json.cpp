#include "bot/net/http_json.hpp"

#include <nlohmann/json.hpp>

namespace ritualbot::net {

http_request json_request(std::string method, std::string target, const nlohmann::json& body) {
    http_request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return req;
}

std::optional<nlohmann::json> json_body(const http_response& r) {
    if (r.body.empty()) return std::nullopt;
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

}  // namespace ritualbot::net
