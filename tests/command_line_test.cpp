#include <gtest/gtest.h>

#include "handlers/command_line.hpp"

using namespace ritualbot;

TEST(CommandLine, SplitsWordsAndKeepsTheRest) {
    auto c = parse_command_line("/update skip on   holiday ");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "update");
    ASSERT_EQ(c->args.size(), 3u);
    EXPECT_EQ(c->arg(0), "skip");
    EXPECT_EQ(c->rest(1), "on   holiday");
    EXPECT_EQ(c->arg(7), "");
}

TEST(CommandLine, BangWorksLikeSlashAndNamesAreCaseInsensitive) {
    auto c = parse_command_line("!Ritual help");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "ritual");
}

TEST(CommandLine, QuotesGroupWordsStraightOrCurly) {
    auto c = parse_command_line("/okr add \"Ship the beta\" now");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->args.size(), 3u);
    EXPECT_EQ(c->arg(1), "Ship the beta");
    EXPECT_EQ(c->arg(2), "now");
    c = parse_command_line("/okr add \xE2\x80\x9CShip it\xE2\x80\x9D");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->arg(1), "Ship it");
}

TEST(CommandLine, UnclosedQuoteIsReported) {
    auto c = parse_command_line("/okr add \"Ship the beta");
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->error.empty());
}

TEST(CommandLine, PlainTextIsNotACommand) {
    EXPECT_FALSE(parse_command_line("Shipped the parser"));
    EXPECT_FALSE(parse_command_line("/"));
    EXPECT_FALSE(parse_command_line("/ 42"));
    EXPECT_FALSE(parse_command_line("1/2 done"));
}

TEST(CommandLine, AHugeCommandCostsItsOwnSizeNotItsSquare) {
    // 200,000 one-letter words: a copy of the rest per word would be 20 GB.
    std::string text = "/okr";
    for (int i = 0; i < 200000; ++i) text += " a";
    auto c = parse_command_line(text);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->args.size(), 200000u);
    EXPECT_EQ(c->rest(199999), "a");
    EXPECT_EQ(c->rest(0).size(), text.size() - 5);
    EXPECT_LE(c->text.capacity(), 2 * text.size());
}
