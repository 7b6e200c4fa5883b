// The labelled corpus of risk answers (tests/data/dep_corpus_*.tsv) as a
// regression guard: the goal of issue 14 on both parts. The figures and the
// lists of misses come from bench/dep_detection_bench.cpp.
#include <gtest/gtest.h>

#include "bench/dep_corpus.hpp"

using namespace ritualbot;

namespace {

corpus::score score_of(const std::string& part) {
    const std::string dir = std::string(RITUALBOT_SOURCE_DIR) + "/tests/data/";
    auto loaded = load_config_file(dir + "dep_corpus_teams.toml");
    EXPECT_TRUE(loaded.cfg.has_value());
    if (!loaded.cfg) return {};
    return corpus::run(corpus::read_corpus(dir + "dep_corpus_" + part + ".tsv"), *loaded.cfg);
}

}  // namespace

TEST(DepCorpus, TuningPartMeetsTheGoal) {
    const auto s = score_of("tuning");
    EXPECT_GE(s.answers, 190);
    EXPECT_GE(s.precision(), 0.95);
    EXPECT_GE(s.recall(), 0.90);
}

TEST(DepCorpus, HeldOutPartMeetsTheGoal) {
    const auto s = score_of("heldout");
    EXPECT_GE(s.answers, 100);
    EXPECT_GE(s.precision(), 0.95);
    EXPECT_GE(s.recall(), 0.90);
}
