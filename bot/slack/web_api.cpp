#include "bot/slack/web_api.hpp"

#include "bot/net/backoff.hpp"
#include "bot/net/json_dom.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace ritualbot::slack {

namespace asio = boost::asio;
using json = nlohmann::json;

struct web_api::call_state {
    std::string method;
    http_request request;
    callback done;
    int attempts = 0;
    bool once = false;  // post_once
    body_reader reader;  // instead of parsing the body into api_result::body
    std::unique_ptr<asio::steady_timer> timer;
};

namespace {

std::chrono::milliseconds jittered_backoff(const web_api_options& o, int attempt) {
    net::backoff b(net::backoff_options{o.first_backoff, o.max_backoff, 0.5});
    std::chrono::milliseconds wait{0};
    for (int i = 0; i < attempt; ++i) wait = b.next();
    return wait;
}

}  // namespace

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

bool web_api::is_retryable_error(const std::string& code) {
    return code == "ratelimited" || code == "rate_limited" || code == "internal_error" || code == "fatal_error" ||
           code == "service_unavailable" || code == "request_timeout" || code == "team_added_to_org";
}

web_api::web_api(asio::io_context& io, http_send send, std::string bot_token, web_api_options options)
    : io_(io),
      send_(std::move(send)),
      bot_token_(std::move(bot_token)),
      options_(std::move(options)),
      alive_(std::make_shared<bool>(true)) {}

web_api::~web_api() { *alive_ = false; }

void web_api::post(const std::string& method, const json& args, callback done) {
    post_json(method, args, std::move(done), false);
}

void web_api::post_once(const std::string& method, const json& args, callback done, body_reader reader) {
    post_json(method, args, std::move(done), true, std::move(reader));
}

void web_api::post_json(const std::string& method, const json& args, callback done, bool once, body_reader reader) {
    auto call = std::make_shared<call_state>();
    call->method = method;
    call->once = once;
    call->reader = std::move(reader);
    call->request.method = "POST";
    call->request.target = options_.base_path + method;
    call->request.content_type = "application/json; charset=utf-8";
    call->request.body = args.dump(-1, ' ', false, json::error_handler_t::replace);
    call->request.bearer_token = bot_token_;
    call->done = std::move(done);
    attempt(std::move(call));
}

void web_api::post_form(const std::string& method, const std::map<std::string, std::string>& fields, callback done) {
    auto call = std::make_shared<call_state>();
    call->method = method;
    call->request.method = "POST";
    call->request.target = options_.base_path + method;
    call->request.content_type = "application/x-www-form-urlencoded";
    for (const auto& [k, v] : fields)
        call->request.body += (call->request.body.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
    call->request.bearer_token = bot_token_;
    call->done = std::move(done);
    attempt(std::move(call));
}

void web_api::get(const std::string& method, const std::map<std::string, std::string>& query, callback done) {
    get(method, query, std::move(done), {});
}

void web_api::get(const std::string& method, const std::map<std::string, std::string>& query, callback done,
                  body_reader reader) {
    auto call = std::make_shared<call_state>();
    call->method = method;
    call->request.method = "GET";
    std::string target = options_.base_path + method;
    char sep = '?';
    for (const auto& [k, v] : query) {
        target += sep + url_encode(k) + "=" + url_encode(v);
        sep = '&';
    }
    call->request.target = std::move(target);
    call->request.bearer_token = bot_token_;
    call->done = std::move(done);
    call->reader = std::move(reader);
    attempt(std::move(call));
}

void web_api::open_connection(const std::string& app_token, callback done) {
    auto call = std::make_shared<call_state>();
    call->method = "apps.connections.open";
    call->request.method = "POST";
    call->request.target = options_.base_path + call->method;
    call->request.content_type = "application/x-www-form-urlencoded";
    call->request.bearer_token = app_token;
    call->done = std::move(done);
    attempt(std::move(call));
}

void web_api::attempt(std::shared_ptr<call_state> call) {
    ++call->attempts;
    std::weak_ptr<bool> alive = alive_;
    send_(call->request, [this, alive, call](http_reply reply) {
        if (alive.expired() || !*alive.lock()) return;
        finish(call, std::move(reply));
    });
}

namespace {

bool read_json_body(const std::string& text, api_result& r) {
    json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return false;
    r.body = std::move(body);
    auto ok = r.body.find("ok");
    r.ok = ok != r.body.end() && ok->is_boolean() && ok->get<bool>();
    if (!r.ok) {
        auto e = r.body.find("error");
        r.error = e != r.body.end() && e->is_string() ? e->get<std::string>() : "unknown_error";
    }
    return true;
}

}  // namespace

bool web_api::read_status(const std::string& body, api_result& r) {
    std::string error;
    const bool object = net::read_json(
        body,
        [&](simdjson::dom::element root) {
            simdjson::dom::object answer;
            if (root.get(answer) != simdjson::SUCCESS) return false;
            for (auto [key, value] : answer) {  // a repeated key counts with its last value, as in a tree
                if (key == "ok") r.ok = net::true_of(value);
                else if (key == "error") error = net::text_of(value);
            }
            return true;
        },
        false);
    if (!object) return false;
    if (!r.ok) r.error = error.empty() ? "unknown_error" : std::move(error);
    return true;
}

void web_api::finish(std::shared_ptr<call_state> call, http_reply reply) {
    api_result r;
    r.attempts = call->attempts;
    std::chrono::milliseconds wait{0};
    bool retry = false;

    if (reply.status == 429) {
        r.error = "ratelimited";
        r.retryable = true;
        r.retry_after = reply.retry_after.count() >= 0 ? reply.retry_after : std::chrono::seconds(1);
        wait = r.retry_after;
        retry = r.retry_after <= options_.max_retry_after;
        spdlog::info("slack {}: rate limited, retrying in {} s", call->method, r.retry_after.count());
    } else if (reply.status == 0 || reply.status >= 500) {
        r.error = reply.status == 0 ? reply.network_error : "http " + std::to_string(reply.status);
        r.retryable = true;
        wait = jittered_backoff(options_, call->attempts);
        retry = !call->once;
        r.uncertain = call->once;
        spdlog::warn("slack {}: {} (attempt {})", call->method, r.error, call->attempts);
    } else {
        if (!(call->reader ? call->reader(reply.body, r) : read_json_body(reply.body, r))) {
            r.error = "http " + std::to_string(reply.status) + " without a JSON object";
            r.retryable = true;
            wait = jittered_backoff(options_, call->attempts);
            retry = !call->once;
            r.uncertain = call->once;
            spdlog::warn("slack {}: {}", call->method, r.error);
        } else if (!r.ok) {
            r.retryable = is_retryable_error(r.error);
            if (r.retryable) {
                wait = jittered_backoff(options_, call->attempts);
                const bool refused = r.error == "ratelimited" || r.error == "rate_limited";
                // Slack: internal_error "is possible some aspect of the operation succeeded".
                retry = !call->once || refused;
                r.uncertain = call->once && !refused;
            }
            spdlog::warn("slack {} failed: {}", call->method, r.error);
        }
    }
    // The body is read: let it go before the caller works on what was read (a
    // users.list page is 1.6 MB that would otherwise sit beside the rows).
    std::string().swap(reply.body);
    if (!r.ok && retry && call->attempts < options_.max_attempts) {
        call->timer = std::make_unique<asio::steady_timer>(io_, wait);
        std::weak_ptr<bool> alive = alive_;
        call->timer->async_wait([this, alive, call](boost::system::error_code ec) {
            if (ec || alive.expired() || !*alive.lock()) return;
            attempt(call);
        });
        return;
    }
    auto done = std::move(call->done);
    if (done) done(std::move(r));
}

}  // namespace ritualbot::slack
