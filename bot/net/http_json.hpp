#pragma once
// JSON bodies on http_client requests and responses.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "bot/net/http_client.hpp"

namespace ritualbot::net {

// A request with `body` serialised and Content-Type: application/json.
http_request json_request(std::string method, std::string target, const nlohmann::json& body);

// The response body parsed as JSON; nullopt when it is empty or not JSON.
std::optional<nlohmann::json> json_body(const http_response& r);

}  // namespace ritualbot::net
