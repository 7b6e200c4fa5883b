#pragma once
// The Slack Web API (protocols.md A9, A10) on one keep-alive HTTPS client:
// JSON bodies for write methods, GET with a query for read methods, the
// token in the Authorization header only. Every call's outcome is a value:
// ok with the response body, or an error that says whether it is worth
// retrying. HTTP 429 waits Retry-After; 5xx and network errors back off and
// retry; `ok:false` is logged with the method and Slack's error code, never
// with a token.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace boost::asio {
class io_context;
}

namespace ritualbot::slack {

// What the HTTP layer gives back for one request.
struct http_reply {
    int status = 0;                    // 0: no response (network error, timeout)
    std::string body;
    std::chrono::seconds retry_after{-1};  // from a Retry-After header, -1 when absent
    std::string network_error;
};

struct http_request {
    std::string method = "POST";  // GET or POST
    std::string target;           // "/api/chat.postMessage" or "/api/users.info?user=U1"
    std::string content_type;     // empty for GET
    std::string body;
    std::string bearer_token;
};

// One request on the shared HTTP client; calls `done` exactly once.
using http_send = std::function<void(http_request, std::function<void(http_reply)> done)>;
// A POST of raw bytes to an absolute URL elsewhere (the upload_url that
// files.getUploadURLExternal gives, on files.slack.com), without the token.
using http_upload = std::function<void(const std::string& url, const std::string& content_type, std::string body,
                                       std::function<void(http_reply)> done)>;

struct api_result {
    bool ok = false;
    nlohmann::json body;                 // the response object (also on ok:false)
    std::string error;                   // Slack's error code, "http 500", or the network error
    bool retryable = false;              // worth trying again later
    std::chrono::seconds retry_after{0};
    int attempts = 0;
    // post_once only: there was no clear answer (network error, 5xx, Slack's
    // internal_error), so the call may have taken effect.
    bool uncertain = false;
};

struct web_api_options {
    std::string base_path = "/api/";  // path part of SLACK_API_BASE_URL
    int max_attempts = 5;              // per call, 429s included
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds max_backoff{30000};
    std::chrono::seconds max_retry_after{120};  // a longer Retry-After is reported to the caller instead
};

class web_api {
public:
    web_api(boost::asio::io_context& io, http_send send, std::string bot_token, web_api_options options = {});
    ~web_api();

    using callback = std::function<void(api_result)>;

    // POST with a JSON body and the bot token.
    void post(const std::string& method, const nlohmann::json& args, callback done);
    // The same for a call that must not be repeated blindly (chat.postMessage
    // has no idempotency key): only a 429, which Slack did not act on, is
    // tried again; an unclear outcome comes back as `uncertain` for the
    // caller to look before trying again. `reader` as for get() below.
    using body_reader = std::function<bool(const std::string& body, api_result& r)>;
    void post_once(const std::string& method, const nlohmann::json& args, callback done, body_reader reader = {});
    // POST form-encoded (files.getUploadURLExternal, files.completeUploadExternal:
    // the content type every method accepts) with the bot token.
    void post_form(const std::string& method, const std::map<std::string, std::string>& fields, callback done);
    // GET with a query string (users.info, conversations.members) and the bot token.
    void get(const std::string& method, const std::map<std::string, std::string>& query, callback done);
    // Reads an answer's body instead of building its JSON tree (users.list
    // pages): says whether the body is one JSON object, and sets `ok` and
    // `error` (Slack's code, or "unknown_error"); `body` stays empty.
    void get(const std::string& method, const std::map<std::string, std::string>& query, callback done,
             body_reader reader);
    // apps.connections.open with the app-level token (empty form body).
    void open_connection(const std::string& app_token, callback done);

    // Slack error codes after which retrying cannot help (a token problem, a
    // missing scope, a bad argument) vs. those that may pass later.
    static bool is_retryable_error(const std::string& code);

    // A body_reader for a caller that needs only `ok` and `error`
    // (chat.postMessage, whose answer echoes the whole message): the body is
    // checked to be one JSON object, and no tree is built.
    static bool read_status(const std::string& body, api_result& r);

private:
    struct call_state;
    void post_json(const std::string& method, const nlohmann::json& args, callback done, bool once,
                   body_reader reader = {});
    void attempt(std::shared_ptr<call_state> call);
    void finish(std::shared_ptr<call_state> call, http_reply reply);

    boost::asio::io_context& io_;
    http_send send_;
    std::string bot_token_;
    web_api_options options_;
    std::shared_ptr<bool> alive_;
};

std::string url_encode(const std::string& s);

}  // namespace ritualbot::slack
