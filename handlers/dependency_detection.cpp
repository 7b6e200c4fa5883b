#include "handlers/dependency_detection.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace ritualbot {
namespace {

enum class token_kind { word, mention, channel, user, brk };

struct token {
    token_kind kind;
    std::string text;  // lower-case; a mention without '@'; a channel as "#beta" or a Slack id "c0123"
};

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '\'' || c >= 0x80; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Typographic apostrophes become '\''; other punctuation of the U+2000 block
// (curly quotes, dashes, ellipsis) becomes a space. Anything else non-ASCII
// stays part of its word, so "platformé" is not "platform".
std::string normalise(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (static_cast<unsigned char>(in[i]) == 0xE2 && i + 2 < in.size() &&
            static_cast<unsigned char>(in[i + 1]) == 0x80) {
            const unsigned char c = static_cast<unsigned char>(in[i + 2]);
            out += (c == 0x98 || c == 0x99) ? '\'' : ' ';
            i += 2;
            continue;
        }
        out += in[i];
    }
    return out;
}

void push_word(std::vector<token>& out, token_kind kind, std::string w) {
    // Trim quotes and dashes around the word; split a possessive "'s" off.
    while (!w.empty() && (w.front() == '\'' || w.front() == '-')) w.erase(w.begin());
    while (!w.empty() && (w.back() == '\'' || w.back() == '-')) w.pop_back();
    bool possessive = false;
    if (w.size() > 2 && w.compare(w.size() - 2, 2, "'s") == 0) {
        w.resize(w.size() - 2);
        possessive = true;
    }
    if (w.empty()) return;
    out.push_back({kind, lower(w)});
    if (possessive) out.push_back({token_kind::word, "'s"});
}

std::vector<token> tokenize(std::string_view raw) {
    const std::string s = normalise(raw);
    std::vector<token> out;
    std::size_t i = 0;
    auto read_word = [&](std::size_t from) {
        std::size_t j = from;
        while (j < s.size() && word_char(static_cast<unsigned char>(s[j]))) ++j;
        return j;
    };
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '<') {
            // Slack's encoded mentions: <#C0123|beta>, <@U0123>, <!subteam^S1|@beta>.
            const std::size_t end = s.find('>', i);
            if (end != std::string::npos && end - i < 200) {
                const std::string inner = s.substr(i + 1, end - i - 1);
                const std::size_t bar = inner.find('|');
                if (!inner.empty() && inner[0] == '#') {
                    out.push_back({token_kind::channel, lower(inner.substr(1, bar == std::string::npos ? bar : bar - 1))});
                } else if (!inner.empty() && inner[0] == '@') {
                    out.push_back({token_kind::user, lower(inner.substr(1))});
                } else if (inner.rfind("!subteam^", 0) == 0 && bar != std::string::npos) {
                    std::string label = inner.substr(bar + 1);
                    if (!label.empty() && label[0] == '@') label.erase(0, 1);
                    push_word(out, token_kind::mention, label);
                }
                i = end + 1;
                continue;
            }
            out.push_back({token_kind::brk, "<"});
            ++i;
        } else if ((c == '@' || c == '#') && i + 1 < s.size() && word_char(static_cast<unsigned char>(s[i + 1])) &&
                   (i == 0 || !word_char(static_cast<unsigned char>(s[i - 1])))) {
            const std::size_t j = read_word(i + 1);
            if (c == '@') push_word(out, token_kind::mention, s.substr(i + 1, j - i - 1));
            else out.push_back({token_kind::channel, lower(s.substr(i, j - i))});
            i = j;
        } else if (word_char(c)) {
            const std::size_t j = read_word(i);
            push_word(out, token_kind::word, s.substr(i, j - i));
            i = j;
        } else {
            // Sentence and clause punctuation ends a phrase; spaces do not.
            if (std::string_view(".,;:!?()[]{}\n\"/|").find(static_cast<char>(c)) != std::string_view::npos)
                out.push_back({token_kind::brk, std::string(1, static_cast<char>(c))});
            ++i;
        }
    }
    return out;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : tokenize(text))
        if (t.kind == token_kind::word) out.push_back(t.text);
    return out;
}

std::vector<std::vector<std::string>> phrase_list(std::initializer_list<const char*> phrases) {
    std::vector<std::vector<std::string>> out;
    for (const char* p : phrases) out.push_back(words_of(p));
    // Longest first, so "still hasn't" wins over a shorter overlap.
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
}

// Phrases after which the blocking team is named.
const std::vector<std::vector<std::string>>& before_team() {
    static const auto list = phrase_list({
        "blocked by", "blocked on", "blocked until", "blocked waiting on", "blocked waiting for", "waiting on",
        "waiting for", "wait on", "wait for", "waiting to hear from", "waiting to hear back from", "depends on",
        "depend on", "depending on", "dependent on", "dependency on", "stuck on", "stuck waiting on",
        "stuck waiting for", "held up by", "held back by", "held up on", "blocker is", "awaiting", "pending",
    });
    return list;
}

// Phrases right after the team's name (or after "<team>'s <thing>").
const std::vector<std::vector<std::string>>& after_team() {
    static const auto list = phrase_list({
        "hasn't",      "has not",     "haven't",          "have not",          "didn't",        "did not",
        "won't",       "will not",    "can't",            "cannot",            "is late",       "are late",
        "is running late", "are running late", "is behind", "are behind",     "is blocking",   "are blocking",
        "blocks us",   "blocked us",  "is holding us",    "are holding us",    "is delaying",   "are delaying",
        "is delayed",  "are delayed", "slipped",          "is slipping",       "are slipping",  "keeps slipping",
        "is a blocker", "is the blocker", "is our blocker", "owes us",
    });
    return list;
}

// Words that may sit between a phrase and the team, or after the team.
bool filler_before(const std::string& w) { return w == "the" || w == "a" || w == "an" || w == "team"; }
bool filler_after(const std::string& w) {
    return w == "team" || w == "teams" || w == "folks" || w == "people" || w == "guys" || w == "still" ||
           w == "also";
}

bool phrase_at(const std::vector<token>& toks, std::size_t i, const std::vector<std::string>& phrase) {
    if (i + phrase.size() > toks.size()) return false;
    for (std::size_t k = 0; k < phrase.size(); ++k)
        if (toks[i + k].kind != token_kind::word || toks[i + k].text != phrase[k]) return false;
    return true;
}

struct team_names {
    const team_config* team;
    std::vector<std::vector<std::string>> word_forms;  // name and aliases as words
    std::vector<std::string> mention_forms;            // "beta", "b-team"
    std::string channel;                               // lower-case
};

struct team_match {
    const team_config* team;
    std::size_t length;  // tokens consumed
};

std::optional<team_match> team_at(const std::vector<token>& toks, std::size_t i, const std::vector<team_names>& names) {
    if (i >= toks.size()) return std::nullopt;
    const token& t = toks[i];
    std::optional<team_match> best;
    for (const auto& n : names) {
        if (t.kind == token_kind::mention) {
            for (const auto& m : n.mention_forms)
                if (m == t.text) return team_match{n.team, 1};
        } else if (t.kind == token_kind::channel) {
            if (!n.channel.empty() && (n.channel == t.text || "#" + n.channel == t.text)) return team_match{n.team, 1};
        } else if (t.kind == token_kind::word) {
            for (const auto& form : n.word_forms)
                if (!form.empty() && phrase_at(toks, i, form) && (!best || form.size() > best->length))
                    best = team_match{n.team, form.size()};
        }
    }
    return best;
}

bool negated(const std::vector<token>& toks, std::size_t i) {
    if (i == 0 || toks[i - 1].kind != token_kind::word) return false;
    const std::string& w = toks[i - 1].text;
    return w == "not" || w == "longer" || w == "never" || w == "unblocked" || w == "isn't" || w == "aren't";
}

std::string excerpt(const std::vector<token>& toks, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t k = from; k < to && k < toks.size(); ++k) {
        if (toks[k].kind == token_kind::brk) continue;
        const std::string& w = toks[k].text;
        if (w == "'s") {
            out += w;
            continue;
        }
        if (!out.empty()) out += ' ';
        if (toks[k].kind == token_kind::mention) out += '@';
        out += w;
    }
    return out;
}

}  // namespace

std::vector<blocker_mention> find_blocker_mentions(std::string_view text, const config& cfg,
                                                   std::string_view own_team) {
    std::vector<team_names> names;
    for (const auto& team : cfg.teams) {
        team_names n{&team, {}, {}, lower(team.channel)};
        auto add = [&](const std::string& form) {
            auto words = words_of(form);
            if (words.empty()) return;
            n.word_forms.push_back(words);
            if (words.size() == 1) n.mention_forms.push_back(words[0]);
        };
        add(team.name);
        for (const auto& alias : team.aliases) add(alias);
        names.push_back(std::move(n));
    }

    const std::vector<token> toks = tokenize(text);
    std::vector<blocker_mention> out;
    auto found = [&](const team_config* team, std::size_t from, std::size_t to) {
        if (!team || team->name == own_team) return;
        for (const auto& m : out)
            if (m.team == team->name) return;
        out.push_back({team->name, excerpt(toks, from, to)});
    };

    for (std::size_t i = 0; i < toks.size(); ++i) {
        // "blocked by [the] platform", "waiting on the API from platform"
        for (const auto& phrase : before_team()) {
            if (!phrase_at(toks, i, phrase) || negated(toks, i)) continue;
            std::size_t j = i + phrase.size();
            while (j < toks.size() && toks[j].kind == token_kind::word && filler_before(toks[j].text)) ++j;
            // Try before and after each filler: an alias may start with "the".
            std::optional<team_match> m;
            std::size_t at = i + phrase.size();
            for (; at <= j && !m; ++at) m = team_at(toks, at, names);
            if (m) {
                std::size_t end = at - 1 + m->length;
                found(m->team, i, end);
                // "blocked by platform and the ML team", "waiting on beta, platform"
                while (end < toks.size() && ((toks[end].kind == token_kind::word &&
                                              (toks[end].text == "and" || toks[end].text == "or")) ||
                                             (toks[end].kind == token_kind::brk && toks[end].text == ","))) {
                    std::size_t next = end + 1;
                    while (next < toks.size() && toks[next].kind == token_kind::word && filler_before(toks[next].text))
                        ++next;
                    auto more = team_at(toks, next, names);
                    if (!more) break;
                    end = next + more->length;
                    found(more->team, next, end);
                }
            } else {
                for (std::size_t k = j; k < toks.size() && k < j + 6 && toks[k].kind != token_kind::brk; ++k) {
                    if (toks[k].kind != token_kind::word || (toks[k].text != "from" && toks[k].text != "by")) continue;
                    std::size_t l = k + 1;
                    while (l < toks.size() && toks[l].kind == token_kind::word && filler_before(toks[l].text)) ++l;
                    if (auto m2 = team_at(toks, l, names)) {
                        found(m2->team, i, l + m2->length);
                        break;
                    }
                }
            }
            break;
        }
        // "@beta hasn't shipped", "the platform team is late", "platform's API is late"
        if (auto m = team_at(toks, i, names)) {
            std::size_t j = i + m->length;
            while (j < toks.size() && toks[j].kind == token_kind::word && filler_after(toks[j].text)) ++j;
            std::size_t last = j;
            if (j < toks.size() && toks[j].text == "'s") last = j + 4;  // "<team>'s new API is late"
            for (std::size_t k = j; k <= last && k < toks.size() && toks[k].kind != token_kind::brk; ++k) {
                bool hit = false;
                for (const auto& phrase : after_team()) {
                    if (phrase_at(toks, k, phrase)) {
                        found(m->team, i, k + phrase.size());
                        hit = true;
                        break;
                    }
                }
                if (hit) break;
            }
        }
    }
    return out;
}

}  // namespace ritualbot
