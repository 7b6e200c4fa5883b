// Precision and recall of hidden-dependency detection on the labelled corpus.
//   ./build/bench/ritualbot_dep_detection_bench [--verbose] [--tuning-only]
// --verbose lists the misses and the false alarms (of the tuning part only
// unless --heldout-too: the held-out part is read for its figures, not tuned on).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench/dep_corpus.hpp"

using namespace ritualbot;

#ifndef RITUALBOT_SOURCE_DIR
#define RITUALBOT_SOURCE_DIR "."
#endif

int main(int argc, char** argv) {
    bool verbose = false, heldout_too = false, tuning_only = false;
    for (int i = 1; i < argc; ++i) {
        verbose = verbose || std::strcmp(argv[i], "--verbose") == 0;
        heldout_too = heldout_too || std::strcmp(argv[i], "--heldout-too") == 0;
        tuning_only = tuning_only || std::strcmp(argv[i], "--tuning-only") == 0;
    }
    const std::string dir = std::string(RITUALBOT_SOURCE_DIR) + "/tests/data/";
    auto loaded = load_config_file(dir + "dep_corpus_teams.toml");
    if (!loaded.cfg) {
        std::fprintf(stderr, "dep_corpus_teams.toml does not load\n");
        return 2;
    }
    const config& cfg = *loaded.cfg;
    int failed = 0;
    for (const char* part : {"tuning", "heldout"}) {
        if (tuning_only && std::string(part) == "heldout") continue;
        const auto answers = corpus::read_corpus(dir + "dep_corpus_" + part + ".tsv");
        const auto t0 = std::chrono::steady_clock::now();
        const auto s = corpus::run(answers, cfg);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%-8s answers %3d (blockers %3d)  precision %.3f (%d/%d)  recall %.3f (%d/%d)  %.2f ms\n", part,
                    s.answers, s.positives, s.precision(), s.right, s.suggestions, s.recall(), s.found, s.positives,
                    ms);
        if (s.precision() < 0.95 || s.recall() < 0.90) ++failed;
        if (verbose && (std::string(part) == "tuning" || heldout_too)) {
            for (const auto& m : s.misses) std::printf("  miss  %s\n", m.c_str());
            for (const auto& f : s.false_alarms) std::printf("  false %s\n", f.c_str());
        }
    }
    std::printf("goal: precision >= 0.95 and recall >= 0.90 on each part: %s\n", failed ? "NOT MET" : "met");
    return failed ? 1 : 0;
}
