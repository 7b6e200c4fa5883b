#include "bot/slack/block_kit.hpp"

#include <algorithm>

namespace ritualbot::slack {
namespace {

using json = nlohmann::json;

// A rendered block and how much it counts against the message's text budget.
struct piece {
    json block;
    std::size_t chars = 0;
    std::string fallback;  // escaped plain text of this block
    std::string svg;       // an image: the chart to upload
    std::string alt;
};

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Largest cut <= limit that is not inside a UTF-8 sequence or an entity.
std::size_t safe_cut(std::string_view text, std::size_t limit) {
    std::size_t cut = std::min(limit, text.size());
    while (cut > 0 && cut < text.size() && is_continuation(static_cast<unsigned char>(text[cut]))) --cut;
    // "&amp;" is at most 5 bytes: an '&' among the last 4 without its ';' is cut.
    for (std::size_t back = 1; back <= 4 && back <= cut; ++back) {
        char c = text[cut - back];
        if (c == ';') break;
        if (c == '&') {
            cut -= back;
            break;
        }
    }
    return cut == 0 ? std::min(limit, text.size()) : cut;
}

std::string truncate(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    std::size_t cut = safe_cut(text, limit - 3);
    return std::string(text.substr(0, cut)) + "\u2026";
}

std::size_t length_in_code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += !is_continuation(c);
    return n;
}

json mrkdwn(std::string text) { return json{{"type", "mrkdwn"}, {"text", std::move(text)}, {"verbatim", true}}; }
json plain(std::string text) { return json{{"type", "plain_text"}, {"text", std::move(text)}, {"emoji", true}}; }

void add_sections(std::vector<piece>& out, const std::string& escaped) {
    if (escaped.empty()) return;
    for (auto& part : split_text(escaped, max_section_chars)) {
        std::size_t n = part.size();
        out.push_back({json{{"type", "section"}, {"text", mrkdwn(part)}}, n, part, "", ""});
    }
}

std::string table_text(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (width.size() <= i) width.push_back(0);
            width[i] = std::max(width[i], length_in_code_points(row[i]));
        }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - length_in_code_points(row[i]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    if (!out.empty()) out.pop_back();
    return out;
}

void render_block(const block& b, std::vector<piece>& out) {
    switch (b.kind) {
        case block_kind::header: {
            // plain_text is not parsed for mentions or links; no escaping needed.
            std::string text = truncate(b.text, max_header_chars);
            if (text.empty()) return;
            out.push_back({json{{"type", "header"}, {"text", plain(text)}}, text.size(), escape(text), "", ""});
            return;
        }
        case block_kind::section: add_sections(out, escape(b.text)); return;
        case block_kind::list: {
            std::string text;
            for (const auto& item : b.items) text += "\u2022 " + escape(item) + "\n";
            if (!text.empty()) text.pop_back();
            add_sections(out, text);
            return;
        }
        case block_kind::context: {
            for (auto& part : split_text(escape(b.text), max_section_chars)) {
                std::size_t n = part.size();
                out.push_back({json{{"type", "context"}, {"elements", json::array({mrkdwn(part)})}}, n, part, "", ""});
            }
            return;
        }
        case block_kind::divider: out.push_back({json{{"type", "divider"}}, 0, "", "", ""}); return;
        case block_kind::unknown: return;
        case block_kind::image: {
            if (b.svg.empty()) return;
            // The file id is filled in once the PNG is uploaded (slack_transport).
            piece p{image_block("", b.text), std::min(b.text.size(), max_alt_text_chars), escape("[chart] " + b.text),
                    b.svg, b.text};
            out.push_back(std::move(p));
            return;
        }
        case block_kind::actions: {
            json elements = json::array();
            std::size_t n = 0;
            for (const auto& btn : b.buttons) {
                if (elements.size() == 25) break;
                json e{{"type", "button"},
                       {"text", plain(truncate(btn.label, 75))},
                       {"action_id", truncate(btn.action_id, 255)}};
                if (!btn.value.empty()) e["value"] = truncate(btn.value, 2000);
                n += btn.label.size();
                elements.push_back(std::move(e));
            }
            if (!elements.empty())
                out.push_back({json{{"type", "actions"}, {"elements", std::move(elements)}}, n, "", "", ""});
            return;
        }
        case block_kind::table: {
            // A code block keeps the columns aligned; a long table becomes several.
            std::string text = escape(table_text(b.rows));
            std::size_t budget = max_section_chars - 8;
            for (auto& part : split_text(text, budget)) {
                std::string body = "```\n" + part + "\n```";
                std::size_t n = body.size();
                out.push_back({json{{"type", "section"}, {"text", mrkdwn(body)}}, n, part, "", ""});
            }
            return;
        }
    }
}

}  // namespace

json image_block(const std::string& file_id, const std::string& alt_text) {
    // alt_text is plain text (no markup, so nothing to escape), at most 2000 characters.
    std::string alt = truncate(alt_text, max_alt_text_chars);
    if (alt.empty()) alt = "chart";
    return json{{"type", "image"}, {"slack_file", {{"id", file_id}}}, {"alt_text", std::move(alt)}};
}

json image_stand_in(const std::string& alt_text) {
    return json{{"type", "context"},
                {"elements", json::array({mrkdwn(truncate(escape("[chart] " + alt_text), max_section_chars))})}};
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&') {
            auto rest = text.substr(i);
            if (rest.starts_with("&amp;")) { out += '&'; i += 4; continue; }
            if (rest.starts_with("&lt;")) { out += '<'; i += 3; continue; }
            if (rest.starts_with("&gt;")) { out += '>'; i += 3; continue; }
        }
        out += text[i];
    }
    return out;
}

std::vector<std::string> split_text(std::string_view text, std::size_t limit) {
    std::vector<std::string> out;
    while (text.size() > limit) {
        std::size_t cut = safe_cut(text, limit);
        std::string_view head = text.substr(0, cut);
        std::size_t nl = head.rfind('\n');
        std::size_t sp = head.rfind(' ');
        std::size_t at = cut;
        if (nl != std::string_view::npos && nl > cut / 2) at = nl;
        else if (sp != std::string_view::npos && sp > cut / 2) at = sp;
        out.emplace_back(text.substr(0, at));
        text.remove_prefix(at);
        if (!text.empty() && (text.front() == '\n' || text.front() == ' ') && at != cut) text.remove_prefix(1);
    }
    if (!text.empty() || out.empty()) out.emplace_back(text);
    return out;
}

std::vector<rendered_message> render(const message& m) {
    std::vector<piece> pieces;
    for (const block& b : m.blocks()) render_block(b, pieces);

    std::vector<rendered_message> out;
    rendered_message current{"", json::array(), {}};
    std::size_t chars = 0;
    auto finish = [&] {
        if (current.blocks.empty()) return;
        current.text = truncate(current.text, max_fallback_chars);
        while (!current.text.empty() && current.text.back() == '\n') current.text.pop_back();
        if (current.text.empty()) current.text = " ";
        out.push_back(std::move(current));
        current = rendered_message{"", json::array(), {}};
        chars = 0;
    };
    for (auto& p : pieces) {
        if (current.blocks.size() >= max_blocks_per_message || (chars + p.chars > max_message_block_chars && chars > 0))
            finish();
        chars += p.chars;
        if (!p.fallback.empty()) current.text += p.fallback + "\n";
        if (!p.svg.empty()) current.images.push_back({current.blocks.size(), std::move(p.svg), std::move(p.alt)});
        current.blocks.push_back(std::move(p.block));
    }
    finish();
    return out;
}

}  // namespace ritualbot::slack
