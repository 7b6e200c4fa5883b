#pragma once
// The dashboard's personal links: a token that names its holder, when it
// expires and the revocation generations it was made under, signed with
// HMAC-SHA256. Signing and checking only; whether the generations are still
// current is the caller's question (bot/web/dashboard_access).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"

namespace ritualbot::web {

struct link_claims {
    std::string user;
    instant expires{};
    std::int64_t user_generation = 0;
    std::int64_t global_generation = 0;

    bool operator==(const link_claims&) const = default;
};

// 32 random bytes from OpenSSL's CSPRNG; throws when it cannot give them.
std::string new_link_key();

// "<user, base64url>.<expires, Unix seconds>.<user generation>.<global generation>.<HMAC, base64url>":
// only characters that need no escaping in a URL path.
std::string sign_link(const link_claims& claims, const std::string& key);

// The claims of a token signed with `key`; nullopt when it is malformed or
// its signature does not match (compared in constant time). Expiry is not checked here.
std::optional<link_claims> read_link(std::string_view token, const std::string& key);

}  // namespace ritualbot::web
