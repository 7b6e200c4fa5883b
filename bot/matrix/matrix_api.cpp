#include "bot/matrix/matrix_api.hpp"

#include "bot/net/http_json.hpp"
#include "bot/net/url.hpp"

namespace ritualbot::matrix {

api_result classify(const net::http_result& r, std::chrono::system_clock::time_point now) {
    api_result out;
    if (!r.ok()) {
        out.what = api_result::outcome::retryable;
        out.error = r.error;
        return out;
    }
    const net::http_response& res = *r.response;
    out.status = res.status;
    auto json = net::json_body(res);
    if (json && json->is_object()) {
        out.body = std::move(*json);
        if (auto it = out.body.find("errcode"); it != out.body.end() && it->is_string()) out.errcode = it->get<std::string>();
        if (auto it = out.body.find("error"); it != out.body.end() && it->is_string()) out.error = it->get<std::string>();
        if (auto it = out.body.find("soft_logout"); it != out.body.end() && it->is_boolean()) out.soft_logout = it->get<bool>();
    }
    if (res.status >= 200 && res.status < 300) {
        if (!out.body.is_object()) {
            // A proxy's HTML page or a truncated body: log it, try again later.
            out.what = api_result::outcome::retryable;
            out.error = "the homeserver answered HTTP " + std::to_string(res.status) + " without a JSON object";
            return out;
        }
        out.what = api_result::outcome::ok;
        return out;
    }
    if (out.error.empty()) out.error = "HTTP " + std::to_string(res.status);
    if (!out.errcode.empty()) out.error = out.errcode + ": " + out.error;
    if (res.status == 429 || out.errcode == "M_LIMIT_EXCEEDED") {
        out.what = api_result::outcome::rate_limited;
        // Retry-After first (spec 1.10), else the deprecated retry_after_ms, else a default.
        if (auto wait = net::retry_after(res, now)) {
            out.retry_after = *wait;
        } else if (auto it = out.body.find("retry_after_ms"); it != out.body.end() && it->is_number_integer()) {
            out.retry_after = std::chrono::milliseconds(std::max<std::int64_t>(0, it->get<std::int64_t>()));
        } else {
            out.retry_after = std::chrono::seconds(5);
        }
        out.retry_after = std::min<std::chrono::milliseconds>(out.retry_after, std::chrono::minutes(10));
        return out;
    }
    if (out.errcode == "M_UNKNOWN_TOKEN" || out.errcode == "M_MISSING_TOKEN" ||
        (res.status == 401 && out.errcode.empty())) {
        out.what = api_result::outcome::unknown_token;
        return out;
    }
    out.what = res.status >= 500 ? api_result::outcome::retryable : api_result::outcome::failed;
    return out;
}

void matrix_api::call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body,
                      std::chrono::milliseconds timeout, callback done) {
    net::http_request req = body ? net::json_request(method, "/_matrix/client/v3" + path, *body)
                                 : net::http_request{method, "/_matrix/client/v3" + path, {}, {}, timeout};
    req.timeout = timeout;
    if (!token_.empty()) req.headers.push_back({"Authorization", "Bearer " + token_});
    http_->request(std::move(req), [done = std::move(done)](net::http_result r) {
        done(classify(r, std::chrono::system_clock::now()));
    });
}

void matrix_api::upload_media(const std::string& content_type, const std::string& filename, std::string bytes,
                              std::chrono::milliseconds timeout, callback done) {
    net::http_request req{"POST", "/_matrix/media/v3/upload?filename=" + net::percent_encode(filename), {},
                          std::move(bytes), timeout};
    req.headers.push_back({"Content-Type", content_type});
    if (!token_.empty()) req.headers.push_back({"Authorization", "Bearer " + token_});
    http_->request(std::move(req), [done = std::move(done)](net::http_result r) {
        done(classify(r, std::chrono::system_clock::now()));
    });
}

}  // namespace ritualbot::matrix
