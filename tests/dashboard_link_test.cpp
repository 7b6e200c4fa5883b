// The dashboard's links: signing and reading tokens, expiry, revocation by
// generation, the key kept in the database, the [web] config, who sees
// which team, and /ritual dashboard in chat.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "bot/web/dashboard_access.hpp"
#include "bot/web/link_token.hpp"
#include "handlers/context.hpp"
#include "handlers/dashboard_data.hpp"
#include "storage/dashboard_store.hpp"
#include "storage/store.hpp"

using namespace ritualbot;
using namespace ritualbot::web;

namespace {

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

instant at(const char* iso) { return *parse_iso_instant(iso); }

const std::string team = "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\nmembers = [\"alice\"]\n";

}  // namespace

TEST(DashboardLink, ATokenReadsBackOnlyWithItsKeyAndUnaltered) {
    const std::string key = new_link_key();
    ASSERT_EQ(key.size(), 32u);
    EXPECT_NE(key, new_link_key());
    const link_claims c{"@alice:example.org", at("2026-11-20T10:00:00Z"), 3, 1};
    const std::string token = sign_link(c, key);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
              std::string::npos)
        << token;
    EXPECT_EQ(read_link(token, key), c);
    EXPECT_FALSE(read_link(token, new_link_key()));
    // Every single changed character breaks it, in the claims and in the signature.
    for (std::size_t i = 0; i < token.size(); ++i) {
        std::string bad = token;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        if (bad == token) continue;
        EXPECT_FALSE(read_link(bad, key)) << i << " " << bad;
    }
    for (const char* junk : {"", ".", "....", "a.b.c.d.e", "YWxpY2U.1.0.0.", "YWxpY2U.-1.0.0.x"})
        EXPECT_FALSE(read_link(junk, key)) << junk;
    EXPECT_FALSE(read_link(token + "x", key));
    // The signature's last character holds 2 unused bits: flipping them gives no second valid spelling.
    for (int run = 0; run < 64; ++run) {
        const std::string k = new_link_key(), t = sign_link(c, k);
        for (char ch : std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) {
            std::string other = t;
            other.back() = ch;
            if (other != t) {
                EXPECT_FALSE(read_link(other, k)) << t << " -> " << other;
            }
        }
    }
    EXPECT_FALSE(read_link(std::string(5000, 'a'), key));
}

TEST(DashboardLink, AccessChecksExpiryAndTheRevocationGenerations) {
    ::unsetenv("RITUALBOT_WEB_SECRET");
    store db(":memory:");
    web_config w;
    w.public_url = "https://ritual.example.org";
    dashboard_access access(db, w);
    const instant now = at("2026-11-19T14:00:00Z");
    const std::string link = access.link_for("alice", now);
    ASSERT_TRUE(link.starts_with("https://ritual.example.org/d/")) << link;
    ASSERT_TRUE(link.ends_with("/"));
    const std::string token = link.substr(29, link.size() - 30);
    EXPECT_EQ(access.holder(token, now), "alice");
    EXPECT_EQ(access.holder(token, now + std::chrono::hours(24) - std::chrono::seconds(1)), "alice");
    EXPECT_FALSE(access.holder(token, now + std::chrono::hours(24)));

    // The key is kept: a second start reads the same links.
    dashboard_access again(db, w);
    EXPECT_EQ(again.holder(token, now), "alice");

    // Revoking bob's links leaves alice's; revoking hers or everyone's ends it.
    const std::string bob = access.link_for("bob", now);
    dashboard_store(db).revoke("bob");
    EXPECT_EQ(access.holder(token, now), "alice");
    EXPECT_FALSE(access.holder(bob.substr(29, bob.size() - 30), now));
    dashboard_store(db).revoke("alice");
    EXPECT_FALSE(access.holder(token, now));
    const std::string fresh = access.link_for("alice", now);
    EXPECT_EQ(access.holder(fresh.substr(29, fresh.size() - 30), now), "alice");
    EXPECT_EQ(dashboard_store(db).revoke(""), 1);
    EXPECT_FALSE(access.holder(fresh.substr(29, fresh.size() - 30), now));
}

TEST(DashboardLink, TheKeyFromTheEnvironmentWinsAndMustBeLongEnough) {
    store db(":memory:");
    web_config w;
    ::setenv("RITUALBOT_WEB_SECRET", "too short", 1);
    EXPECT_THROW(dashboard_access(db, w), std::runtime_error);
    ::setenv("RITUALBOT_WEB_SECRET", "0123456789abcdef0123456789abcdef", 1);
    dashboard_access from_env(db, w);
    const std::string link = from_env.link_for("alice", at("2026-11-19T14:00:00Z"));
    EXPECT_FALSE(dashboard_store(db).secret());  // nothing stored
    ::unsetenv("RITUALBOT_WEB_SECRET");
    dashboard_access from_db(db, w);
    EXPECT_FALSE(from_db.holder(link.substr(link.find("/d/") + 3, link.size() - link.find("/d/") - 4),
                                at("2026-11-19T14:00:00Z")));
}

TEST(DashboardConfig, WebHasAListenAddressAPublicUrlAndALinkLifetime) {
    auto none = load_config_string(team);
    ASSERT_TRUE(none.cfg);
    EXPECT_FALSE(none.cfg->web);
    auto plain = load_config_string(team + "[web]\nlisten = \"127.0.0.1:8080\"\n");
    ASSERT_TRUE(plain.cfg) << plain.errors[0].message;
    EXPECT_EQ(plain.cfg->web->port, 8080);
    EXPECT_EQ(plain.cfg->web->public_url, "http://127.0.0.1:8080");
    EXPECT_EQ(plain.cfg->web->link_lifetime, std::chrono::hours(24));
    auto full = load_config_string(team +
                                   "[web]\nlisten = \"[::1]:8080\"\npublic_url = \"https://ritual.example.org/team/\"\n"
                                   "link_hours = 8\n");
    ASSERT_TRUE(full.cfg) << full.errors[0].message;
    EXPECT_EQ(full.cfg->web->address, "::1");
    EXPECT_EQ(full.cfg->web->public_url, "https://ritual.example.org/team");
    EXPECT_EQ(full.cfg->web->link_lifetime, std::chrono::hours(8));
    for (const char* bad : {"listen = \"8080\"", "listen = \"127.0.0.1:8080\"\npublic_url = \"ritual.example.org\"",
                            "listen = \"127.0.0.1:8080\"\npublic_url = \"https://x.org/?a=1\"",
                            "listen = \"127.0.0.1:8080\"\nlink_hours = 0", "listen = \"127.0.0.1:8080\"\nport = 1",
                            "public_url = \"https://x.org\""}) {
        auto r = load_config_string(team + "[web]\n" + bad + "\n");
        EXPECT_FALSE(r.cfg) << bad;
        ASSERT_FALSE(r.errors.empty()) << bad;
        EXPECT_TRUE(has(r.errors[0].message, "[web]")) << r.errors[0].message;
    }
}

TEST(DashboardData, EachPersonSeesTheirTeamsAndAdminsSeeAll) {
    auto r = load_config_string(
        "[org]\nadmins = [\"olga\"]\n"
        "[[teams]]\nname = \"alpha\"\nchannel = \"#alpha\"\nmanagers = [\"maria\"]\nmembers = [\"alice\"]\n"
        "[[teams]]\nname = \"beta\"\nchannel = \"#beta\"\nmanagers = [\"maria\"]\nmembers = [\"bob\"]\n"
        "[[teams]]\nname = \"gamma\"\nchannel = \"#gamma\"\nmembers = [\"carl\"]\n");
    ASSERT_TRUE(r.cfg);
    auto names = [&](const std::string& user) {
        std::string out;
        for (const team_config* t : dashboard_teams(*r.cfg, user)) out += t->name + " ";
        return out;
    };
    EXPECT_EQ(names("alice"), "alpha ");
    EXPECT_EQ(names("maria"), "alpha beta ");
    EXPECT_EQ(names("olga"), "alpha beta gamma ");
    EXPECT_EQ(names("stranger"), "");
    EXPECT_TRUE(dashboard_team(*r.cfg, "alice", "alpha"));
    EXPECT_FALSE(dashboard_team(*r.cfg, "alice", "beta"));
    EXPECT_FALSE(dashboard_team(*r.cfg, "alice", "nonexistent"));
}

TEST(DashboardConfig, TheExampleConfigsCommentedWebTableWorksUncommented) {
    std::ifstream in(std::string(RITUALBOT_SOURCE_DIR) + "/config/example.toml");
    std::string text, line;
    bool in_web = false;
    int uncommented = 0;
    while (std::getline(in, line)) {
        if (line == "# [web]") in_web = true;
        else if (!line.starts_with("# ") || line.starts_with("# [")) in_web = false;
        if (in_web) {
            line = line.substr(2);
            ++uncommented;
        }
        text += line + "\n";
    }
    ASSERT_EQ(uncommented, 4);
    auto r = load_config_string(text);
    ASSERT_TRUE(r.cfg) << (r.errors.empty() ? "" : r.errors[0].message);
    ASSERT_TRUE(r.cfg->web);
    EXPECT_EQ(r.cfg->web->public_url, "https://ritual.example.org");
}
