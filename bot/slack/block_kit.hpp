#pragma once
// Renders the platform-neutral message as Slack Block Kit (protocols.md A11,
// A12): header, section, context, divider and actions blocks, lists and
// tables as sections, charts as image blocks of an uploaded file, each Slack message with a plain-text fallback. Split
// to Slack's limits: at most 50 blocks and about 11 000 characters of block
// text per message, 3000 per section. All text is escaped (&, <, >), so
// nothing a user typed can become a mention, <!channel> or a link.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/message.hpp"

namespace ritualbot::slack {

// A chart in a rendered message: its image block waits for the file id
// (blocks[block]["slack_file"]["id"] is empty) until the transport has
// rasterised `svg` and uploaded it.
struct pending_image {
    std::size_t block = 0;
    std::string svg;
    std::string alt_text;  // as written, not escaped (plain text)
};

struct rendered_message {
    std::string text;       // notification fallback, escaped
    nlohmann::json blocks;  // array
    std::vector<pending_image> images;
};

// An image block for a file uploaded to Slack, and what stands in its place
// when there is no picture to show (the alt text, as a context block).
nlohmann::json image_block(const std::string& file_id, const std::string& alt_text);
nlohmann::json image_stand_in(const std::string& alt_text);

inline constexpr std::size_t max_blocks_per_message = 50;
inline constexpr std::size_t max_section_chars = 3000;
inline constexpr std::size_t max_header_chars = 150;
inline constexpr std::size_t max_message_block_chars = 11000;
inline constexpr std::size_t max_fallback_chars = 3000;
inline constexpr std::size_t max_alt_text_chars = 2000;

std::vector<rendered_message> render(const message& m);

// & < > as entities; nothing else changes.
std::string escape(std::string_view text);
// The inverse, for text Slack sends us.
std::string unescape(std::string_view text);

// Cuts `text` into pieces of at most `limit` bytes, preferring line breaks,
// then spaces; never inside a UTF-8 sequence or an &entity;.
std::vector<std::string> split_text(std::string_view text, std::size_t limit);

}  // namespace ritualbot::slack
