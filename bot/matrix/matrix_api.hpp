#pragma once
// Calls to the Matrix client-server API (/_matrix/client/v3, spec 1.1+) on
// one http_client, with the access token in the Authorization header only.
// Each answer is classified once, here (protocols.md B2): ok, rate limited
// (with the wait), unknown token, worth retrying (5xx, network, broken
// JSON), or failed for good.
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bot/net/http_client.hpp"

namespace ritualbot::matrix {

struct api_result {
    enum class outcome { ok, rate_limited, unknown_token, retryable, failed };
    outcome what = outcome::failed;
    int status = 0;
    nlohmann::json body;  // the JSON object answered (also for errors); null otherwise
    std::string errcode;  // M_FORBIDDEN, ...
    std::string error;    // human text for the log; never a token
    std::chrono::milliseconds retry_after{0};
    bool soft_logout = false;

    bool ok() const { return what == outcome::ok; }
};

// Pure: what an HTTP result means for a Matrix client.
api_result classify(const net::http_result& r, std::chrono::system_clock::time_point now);

class matrix_api {
public:
    explicit matrix_api(std::shared_ptr<net::http_client> http) : http_(std::move(http)) {}

    void set_access_token(std::string token) { token_ = std::move(token); }
    bool has_access_token() const { return !token_.empty(); }

    using callback = std::function<void(api_result)>;
    // `path` below /_matrix/client/v3, with its query: "/account/whoami".
    void call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body,
              std::chrono::milliseconds timeout, callback done);
    // POST /_matrix/media/v3/upload?filename=...: the bytes as they are; the
    // answer's content_uri is the mxc:// URI of the media.
    void upload_media(const std::string& content_type, const std::string& filename, std::string bytes,
                      std::chrono::milliseconds timeout, callback done);
    void shutdown() { http_->shutdown(); }

private:
    std::shared_ptr<net::http_client> http_;
    std::string token_;
};

}  // namespace ritualbot::matrix
