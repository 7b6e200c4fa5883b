// CSV fields for `ritualbot export` and the mention redaction of `forget`.
#include <gtest/gtest.h>

#include "bot/export_format.hpp"
#include "storage/forget_store.hpp"

using namespace ritualbot;

TEST(ExportCsv, QuotesOnlyWhatNeedsIt) {
    EXPECT_EQ(csv_field(std::string("plain text")), "plain text");
    EXPECT_EQ(csv_field(std::string("a, b")), "\"a, b\"");
    EXPECT_EQ(csv_field(std::string("say \"hi\"")), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field(std::string("two\nlines")), "\"two\nlines\"");
    EXPECT_EQ(csv_field(std::string("cr\rhere")), "\"cr\rhere\"");
    EXPECT_EQ(csv_field(std::string("Ünïcödé ✓")), "Ünïcödé ✓");
    EXPECT_EQ(csv_field(export_value{}), "");
    EXPECT_EQ(csv_field(std::int64_t{-42}), "-42");
    EXPECT_EQ(csv_field(-3.5), "-3.5");
    EXPECT_EQ(csv_field(99.95), "99.95");
}

TEST(ExportCsv, FormulaStartsAreNeutralised) {
    EXPECT_EQ(csv_field(std::string("=HYPERLINK(\"http://x\")")), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_EQ(csv_field(std::string("+1")), "'+1");
    EXPECT_EQ(csv_field(std::string("-1")), "'-1");
    EXPECT_EQ(csv_field(std::string("@SUM(A1)")), "'@SUM(A1)");
    EXPECT_EQ(csv_field(std::string("\tx")), "'\tx");
    EXPECT_EQ(csv_field(std::string("a=b")), "a=b");
}

TEST(ExportCsv, TableHasAHeaderAndCrlfLines) {
    export_table t;
    t.name = "x";
    t.columns = {"id", "text"};
    t.rows = {{std::int64_t{1}, std::string("a,b")}, {std::int64_t{2}, export_value{}}};
    EXPECT_EQ(csv_table(t), "id,text\r\n1,\"a,b\"\r\n2,\r\n");
}

TEST(ForgetRedaction, ReplacesWholeNamesOnly) {
    EXPECT_EQ(redact_mentions("waiting on bob", "bob"), "waiting on [removed]");
    EXPECT_EQ(redact_mentions("@bob and <@bob>, bob.", "bob"), "@[removed] and <@[removed]>, [removed].");
    EXPECT_EQ(redact_mentions("bobby and kbob and bob_2", "bob"), "bobby and kbob and bob_2");
    EXPECT_EQ(redact_mentions("bob-bob", "bob"), "bob-bob");
    EXPECT_EQ(redact_mentions("bobbob bob", "bob"), "bobbob [removed]");
    EXPECT_EQ(redact_mentions("U0123ABC", "U0123ABC"), "[removed]");
    EXPECT_EQ(redact_mentions("{\"text\":\"ask U0123ABC\"}", "U0123ABC"), "{\"text\":\"ask [removed]\"}");
    EXPECT_EQ(redact_mentions("nothing here", "bob"), "nothing here");
}
