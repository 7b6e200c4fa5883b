#pragma once
// Reading JSON that comes by the thousand (Socket Mode frames, Web API
// answers) with simdjson's DOM: it validates the whole text, UTF-8 included,
// at a tenth of the cost of building a nlohmann tree. Readers walk the DOM
// and keep only what they use. Only the translation units that read this way
// include it (simdjson.h is large).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace ritualbot::net {

// Texts up to this size are read by one parser kept for the thread; a larger
// one gets a parser of its own, freed after it, so one big text does not keep
// its buffers (about 15 bytes per byte of text) for the life of the process.
inline constexpr std::size_t kept_json_parser_limit = 16 * 1024;

simdjson::dom::parser& kept_json_parser();

// Parses `text` and hands its root to `read`, whose result it returns;
// `if_broken` when the text is not JSON (and `read` is not called). The DOM
// lives only during `read`.
template <class Read, class Result>
Result read_json(std::string_view text, Read&& read, Result if_broken) {
    simdjson::dom::parser one_off;
    simdjson::dom::parser& parser = text.size() <= kept_json_parser_limit ? kept_json_parser() : one_off;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root) != simdjson::SUCCESS)
        return if_broken;
    return read(root);
}

// "" when not a string (as a tree reader's string_field).
inline std::string text_of(simdjson::dom::element e) {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS) return {};
    return std::string(s);
}

// 0 when not an integer (1.0 and "1" are not).
inline int int_of(simdjson::dom::element e) {
    std::int64_t i = 0;
    if (e.get(i) == simdjson::SUCCESS) return static_cast<int>(i);
    std::uint64_t u = 0;
    if (e.get(u) == simdjson::SUCCESS) return static_cast<int>(u);
    return 0;
}

// false when not the literal true or false.
inline bool true_of(simdjson::dom::element e) {
    bool b = false;
    return e.get(b) == simdjson::SUCCESS && b;
}

}  // namespace ritualbot::net
