#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace ritualbot;

namespace {

const char* const matrix_team = R"(
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@ritualbot:example.org"

[[teams]]
name = "gamma"
platform = "matrix"
channel = "!AbCdEf:example.org"
timezone = "Europe/Berlin"
managers = ["@maria:example.org"]
members = ["@alice:example.org", "@maria:example.org"]

[org]
admins = ["@olga:example.org"]
)";

std::string all_errors(const config_load_result& r) {
    std::string s;
    for (const auto& e : r.errors) s += format_config_error("c.toml", e) + "\n";
    return s;
}

std::string errors_of(std::string toml, const std::string& from, const std::string& to) {
    toml.replace(toml.find(from), from.size(), to);
    auto r = load_config_string(toml);
    EXPECT_FALSE(r.cfg) << "should not load with " << to;
    return all_errors(r);
}

}  // namespace

TEST(MatrixConfig, AMatrixTeamLoads) {
    auto r = load_config_string(matrix_team);
    ASSERT_TRUE(r.cfg) << all_errors(r);
    ASSERT_TRUE(r.cfg->matrix);
    EXPECT_EQ(r.cfg->matrix->homeserver, "https://matrix.example.org");
    EXPECT_EQ(r.cfg->matrix->user_id, "@ritualbot:example.org");
    EXPECT_EQ(r.cfg->matrix->device_id, "RITUALBOT");
    EXPECT_EQ(r.cfg->matrix->sync_timeout, std::chrono::seconds(30));
    EXPECT_EQ(r.cfg->teams[0].platform, "matrix");
    EXPECT_TRUE(r.cfg->is_manager("@maria:example.org", r.cfg->teams[0]));
    EXPECT_TRUE(r.cfg->is_admin("@olga:example.org"));
    EXPECT_EQ(r.cfg->find_team_by_channel("matrix", "!AbCdEf:example.org"), &r.cfg->teams[0]);
}

TEST(MatrixConfig, MistakesAreExplained) {
    EXPECT_NE(errors_of(matrix_team, "!AbCdEf:example.org", "#gamma").find("room id"), std::string::npos);
    EXPECT_NE(errors_of(matrix_team, "\"@alice:example.org\"", "\"@alice\"").find("not a valid user id"), std::string::npos);
    EXPECT_NE(errors_of(matrix_team, "user_id = \"@ritualbot:example.org\"", "user_id = \"ritualbot\"").find("[matrix] user_id"),
              std::string::npos);
    EXPECT_NE(errors_of(matrix_team, "https://matrix.example.org", "matrix.example.org").find("https://"), std::string::npos);
    EXPECT_NE(errors_of(matrix_team, "[matrix]", "[matrix]\ntoken = \"secret\"").find("unknown key 'token'"), std::string::npos);
    EXPECT_NE(errors_of(matrix_team, "[matrix]\nhomeserver = \"https://matrix.example.org\"\nuser_id = \"@ritualbot:example.org\"", "")
                  .find("no [matrix] table"),
              std::string::npos);
}

TEST(MatrixConfig, OptionalKeys) {
    std::string toml = matrix_team;
    toml.replace(toml.find("[matrix]"), 8, "[matrix]\ndevice_id = \"BOT2\"\nca_file = \"/etc/ritualbot/ca.pem\"\nsync_timeout_seconds = 10");
    auto r = load_config_string(toml);
    ASSERT_TRUE(r.cfg) << all_errors(r);
    EXPECT_EQ(r.cfg->matrix->device_id, "BOT2");
    EXPECT_EQ(r.cfg->matrix->ca_file, "/etc/ritualbot/ca.pem");
    EXPECT_EQ(r.cfg->matrix->sync_timeout, std::chrono::seconds(10));
}
