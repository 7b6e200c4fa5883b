#include "bot/web/link_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace ritualbot::web {
namespace {

std::string base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    if (text.size() % 4 == 1 || text.size() > 4096) return std::nullopt;
    std::string b64(text);
    for (char& c : b64) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return std::nullopt;
    }
    const std::size_t pad = (4 - b64.size() % 4) % 4;
    b64.append(pad, '=');
    std::string out(b64.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
    if (n < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - pad);  // EVP_DecodeBlock counts the padding as zero bytes
    // Only the canonical spelling: the last character's unused bits must be
    // zero, or two links would differ and mean the same.
    if (base64url(out) != text) return std::nullopt;
    return out;
}

std::string mac(std::string_view payload, const std::string& key) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(out), len);
}

std::optional<std::int64_t> integer(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 19) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

}  // namespace

std::string new_link_key() {
    std::string key(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
        throw std::runtime_error("OpenSSL's random generator gave no bytes for the dashboard key");
    return key;
}

std::string sign_link(const link_claims& c, const std::string& key) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(c.expires.time_since_epoch()).count();
    const std::string payload = base64url(c.user) + "." + std::to_string(seconds) + "." +
                                std::to_string(c.user_generation) + "." + std::to_string(c.global_generation);
    return payload + "." + base64url(mac(payload, key));
}

std::optional<link_claims> read_link(std::string_view token, const std::string& key) {
    if (token.size() > 2048 || key.empty()) return std::nullopt;
    const auto last = token.rfind('.');
    if (last == std::string_view::npos) return std::nullopt;
    const std::string_view payload = token.substr(0, last);
    const auto given = from_base64url(token.substr(last + 1));
    const std::string expected = mac(payload, key);
    if (!given || given->size() != expected.size() || CRYPTO_memcmp(given->data(), expected.data(), expected.size()) != 0)
        return std::nullopt;
    std::vector<std::string_view> parts;
    for (std::size_t from = 0;;) {
        const auto dot = payload.find('.', from);
        parts.push_back(payload.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from));
        if (dot == std::string_view::npos) break;
        from = dot + 1;
    }
    if (parts.size() != 4) return std::nullopt;
    auto user = from_base64url(parts[0]);
    auto expires = integer(parts[1]);
    auto user_gen = integer(parts[2]);
    auto global_gen = integer(parts[3]);
    if (!user || user->empty() || !expires || !user_gen || !global_gen) return std::nullopt;
    return link_claims{*user, instant(std::chrono::seconds(*expires)), *user_gen, *global_gen};
}

}  // namespace ritualbot::web
