#pragma once
// Scores find_blocker_mentions on a labelled corpus of risk answers
// (tests/data/dep_corpus_*.tsv: label, writer team, blocking team, text).
// Shared by bench/dep_detection_bench.cpp and tests/dep_corpus_test.cpp.
//
// Every suggestion the detector makes is counted: it is right when the answer
// is labelled 1 and the team is the labelled blocker, wrong otherwise.
// Precision = right suggestions / all suggestions; recall = answers labelled 1
// whose blocker was suggested / answers labelled 1.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "handlers/dependency_detection.hpp"

namespace ritualbot::corpus {

struct labelled_answer {
    int line = 0;
    bool blocker = false;
    std::string writer;
    std::string team;  // "-" when there is none
    std::string text;
};

inline std::vector<labelled_answer> read_corpus(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<labelled_answer> out;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        if (cols.size() != 4 || (cols[0] != "0" && cols[0] != "1"))
            throw std::runtime_error(path + ":" + std::to_string(n) + ": expected label<TAB>writer<TAB>team<TAB>text");
        out.push_back({n, cols[0] == "1", cols[1], cols[2], cols[3]});
    }
    return out;
}

struct score {
    int answers = 0, positives = 0, found = 0;      // recall: found / positives
    int suggestions = 0, right = 0;                 // precision: right / suggestions
    std::vector<std::string> misses, false_alarms;  // "line: text [-> team]"

    double precision() const { return suggestions ? double(right) / suggestions : 1.0; }
    double recall() const { return positives ? double(found) / positives : 1.0; }
};

inline score run(const std::vector<labelled_answer>& answers, const config& cfg) {
    score s;
    for (const auto& a : answers) {
        ++s.answers;
        if (a.blocker) ++s.positives;
        bool hit = false;
        for (const auto& m : find_blocker_mentions(a.text, cfg, a.writer)) {
            ++s.suggestions;
            if (a.blocker && m.team == a.team) {
                ++s.right;
                hit = true;
            } else {
                s.false_alarms.push_back(std::to_string(a.line) + ": " + a.text + "  -> " + m.team + " (\"" +
                                         m.excerpt + "\")");
            }
        }
        if (hit) ++s.found;
        else if (a.blocker) s.misses.push_back(std::to_string(a.line) + ": " + a.text + "  [" + a.team + "]");
    }
    return s;
}

}  // namespace ritualbot::corpus
