#include "storage/message.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ritualbot {

message& message::header(std::string text) {
    blocks_.push_back({block_kind::header, std::move(text), {}, {}, {}, {}});
    return *this;
}
message& message::section(std::string text) {
    blocks_.push_back({block_kind::section, std::move(text), {}, {}, {}, {}});
    return *this;
}
message& message::list(std::vector<std::string> items) {
    blocks_.push_back({block_kind::list, {}, std::move(items), {}, {}, {}});
    return *this;
}
message& message::context(std::string text) {
    blocks_.push_back({block_kind::context, std::move(text), {}, {}, {}, {}});
    return *this;
}
message& message::divider() {
    blocks_.push_back({block_kind::divider, {}, {}, {}, {}, {}});
    return *this;
}
message& message::actions(std::vector<button> buttons) {
    blocks_.push_back({block_kind::actions, {}, {}, std::move(buttons), {}, {}});
    return *this;
}

message& message::table(std::vector<std::vector<std::string>> rows) {
    block b;
    b.kind = block_kind::table;
    b.rows = std::move(rows);
    blocks_.push_back(std::move(b));
    return *this;
}

message& message::image(std::string alt_text, std::string svg) {
    block b;
    b.kind = block_kind::image;
    b.text = std::move(alt_text);
    b.svg = std::move(svg);
    blocks_.push_back(std::move(b));
    return *this;
}

bool message::has_images() const {
    return std::any_of(blocks_.begin(), blocks_.end(), [](const block& b) { return b.kind == block_kind::image; });
}

message message::without_images() const {
    message m;
    for (const block& b : blocks_)
        if (b.kind != block_kind::image) m.blocks_.push_back(b);
    return m;
}

message message::only_images() const {
    message m;
    for (const block& b : blocks_)
        if (b.kind == block_kind::image) m.blocks_.push_back(b);
    return m;
}

message& message::append(const message& other) {
    blocks_.insert(blocks_.end(), other.blocks_.begin(), other.blocks_.end());
    return *this;
}

std::string message::plain_text() const {
    std::string out;
    auto line = [&](const std::string& s) {
        out += s;
        out += '\n';
    };
    for (const block& b : blocks_) {
        switch (b.kind) {
            case block_kind::header:
            case block_kind::section:
            case block_kind::context: line(b.text); break;
            case block_kind::list:
                for (const auto& item : b.items) line("  • " + item);
                break;
            case block_kind::divider: line(""); break;
            case block_kind::actions:
            case block_kind::unknown: break;
            case block_kind::image: line("[chart] " + b.text); break;
            case block_kind::table: {
                // Columns padded to their widest cell (counted in code points).
                std::vector<std::size_t> width;
                auto length = [](const std::string& s) {
                    std::size_t n = 0;
                    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
                    return n;
                };
                for (const auto& row : b.rows)
                    for (std::size_t i = 0; i < row.size(); ++i) {
                        if (width.size() <= i) width.push_back(0);
                        width[i] = std::max(width[i], length(row[i]));
                    }
                for (const auto& row : b.rows) {
                    std::string l;
                    for (std::size_t i = 0; i < row.size(); ++i) {
                        l += row[i];
                        if (i + 1 < row.size()) l += std::string(width[i] - length(row[i]) + 2, ' ');
                    }
                    line(l);
                }
                break;
            }
        }
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

namespace {
// In block_kind's order; `unknown` is never written.
constexpr const char* kind_names[] = {"header", "section", "list", "context", "divider", "actions", "table", "image"};
constexpr int known_kinds = sizeof kind_names / sizeof kind_names[0];
}

void to_json(nlohmann::json& j, const message& m) {
    j = nlohmann::json::array();
    for (const block& b : m.blocks_) {
        if (b.kind == block_kind::unknown) continue;
        nlohmann::json jb{{"kind", kind_names[static_cast<int>(b.kind)]}};
        if (!b.text.empty()) jb["text"] = b.text;
        if (!b.items.empty()) jb["items"] = b.items;
        if (!b.buttons.empty()) {
            nlohmann::json buttons = nlohmann::json::array();
            for (const auto& btn : b.buttons)
                buttons.push_back({{"action_id", btn.action_id}, {"label", btn.label}, {"value", btn.value}});
            jb["buttons"] = std::move(buttons);
        }
        if (!b.rows.empty()) jb["rows"] = b.rows;
        if (!b.svg.empty()) jb["svg"] = b.svg;
        j.push_back(std::move(jb));
    }
}

void from_json(const nlohmann::json& j, message& m) {
    m.blocks_.clear();
    for (const auto& jb : j) {
        block b;
        const std::string kind = jb.at("kind").get<std::string>();
        bool known = false;
        for (int i = 0; i < known_kinds; ++i) {
            if (kind == kind_names[i]) {
                b.kind = static_cast<block_kind>(i);
                known = true;
            }
        }
        // A row written by a newer build (a rollback after an upgrade): its
        // other blocks still go out; this one is left out, not fatal.
        if (!known) {
            b.kind = block_kind::unknown;
            m.blocks_.push_back(std::move(b));
            continue;
        }
        if (jb.contains("text")) b.text = jb["text"].get<std::string>();
        if (jb.contains("items")) b.items = jb["items"].get<std::vector<std::string>>();
        if (jb.contains("rows")) b.rows = jb["rows"].get<std::vector<std::vector<std::string>>>();
        if (jb.contains("svg")) b.svg = jb["svg"].get<std::string>();
        if (jb.contains("buttons"))
            for (const auto& btn : jb["buttons"])
                b.buttons.push_back({btn.at("action_id").get<std::string>(), btn.at("label").get<std::string>(),
                                     btn.value("value", std::string())});
        m.blocks_.push_back(std::move(b));
    }
}

std::string to_string(destination_kind k) {
    switch (k) {
        case destination_kind::direct: return "direct";
        case destination_kind::channel: return "channel";
        case destination_kind::private_reply: return "private";
    }
    return "direct";
}

destination_kind destination_kind_from_string(const std::string& s) {
    if (s == "channel") return destination_kind::channel;
    if (s == "private") return destination_kind::private_reply;
    if (s == "direct") return destination_kind::direct;
    throw std::runtime_error("unknown destination kind '" + s + "'");
}

}  // namespace ritualbot
