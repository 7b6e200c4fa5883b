#pragma once
// The platform-neutral message: handlers build it, the outbox (storage) keeps it as
// JSON, each transport renders it (console text, Slack Block Kit, Matrix HTML).
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace ritualbot {

// `image`: a chart. `text` is its alt text (what it shows, in words: every
// transport that cannot show it prints that), `svg` the SVG document the
// transports rasterise. Rendering is deterministic, so the row stores the
// SVG (a few KB) and a retry after a crash uploads the same picture.
// `unknown`: a kind this build does not know (a row written by a newer
// one); it is skipped, never rendered.
enum class block_kind { header, section, list, context, divider, actions, table, image, unknown };

struct button {
    std::string action_id;  // e.g. "update.start"
    std::string label;      // "Write my update"
    std::string value;      // opaque to the transport
    bool operator==(const button&) const = default;
};

struct block {
    block_kind kind = block_kind::section;
    std::string text;                 // header, section, context
    std::vector<std::string> items;   // list
    std::vector<button> buttons;      // actions; transports without buttons skip them
    std::vector<std::vector<std::string>> rows;  // table: rows[0] is the header row
    std::string svg;                  // image
    bool operator==(const block&) const = default;
};

class message {
public:
    message() = default;
    explicit message(std::string text) { section(std::move(text)); }

    message& header(std::string text);
    message& section(std::string text);
    message& list(std::vector<std::string> items);
    message& context(std::string text);
    message& divider();
    message& actions(std::vector<button> buttons);
    message& table(std::vector<std::vector<std::string>> rows);  // rows[0] is the header
    message& image(std::string alt_text, std::string svg);  // a chart; see block_kind
    message& append(const message& other);  // all of other's blocks, after ours

    const std::vector<block>& blocks() const { return blocks_; }
    bool empty() const { return blocks_.empty(); }
    bool has_images() const;
    // This message without its image blocks, and only its image blocks.
    message without_images() const;
    message only_images() const;

    // Every block as plain text lines: the console's rendering and every
    // platform's notification fallback.
    std::string plain_text() const;

    bool operator==(const message&) const = default;

    friend void to_json(nlohmann::json& j, const message& m);
    friend void from_json(const nlohmann::json& j, message& m);

private:
    std::vector<block> blocks_;
};

enum class destination_kind {
    direct,         // a DM to `user`
    channel,        // a post in `channel`, visible to all
    private_reply,  // seen only by `user` in `channel` (Slack ephemeral; a DM elsewhere)
};

struct destination {
    std::string platform;
    destination_kind kind = destination_kind::direct;
    std::string user;
    std::string channel;
};

struct outgoing {
    destination to;
    message body;
};

std::string to_string(destination_kind k);
destination_kind destination_kind_from_string(const std::string& s);

}  // namespace ritualbot
