#include "handlers/dependency_detection.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

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

// Phrases after which the blocking team is named. Most count as they stand;
// "until"/"before" only when the team then does something ("until data
// delivers", not "until the beta period"); "need" only as "need X to ...".
enum class lead_kind { plain, until, need };

struct lead_phrase {
    std::vector<std::string> words;
    lead_kind kind;
};

const std::vector<lead_phrase>& before_team() {
    static const auto list = [] {
        std::vector<lead_phrase> out;
        auto add = [&](lead_kind kind, std::initializer_list<const char*> phrases) {
            for (auto& words : phrase_list(phrases)) out.push_back({words, kind});
        };
        add(lead_kind::plain,
            {"blocked by", "blocked on", "blocked until", "blocked waiting on", "blocked waiting for", "waiting on",
             "waiting for", "wait on", "wait for", "waits for", "waits on", "waiting to hear from",
             "waiting to hear back from", "waiting for a reply from", "depends on", "depend on", "depending on",
             "dependent on", "dependency on", "stuck on", "stuck waiting on", "stuck waiting for", "held up by",
             "held back by", "held up on", "blocker is", "awaiting", "pending", "stuck behind", "sitting behind",
             "queued behind", "gated on", "gated by", "hinges on", "hinge on", "relies on", "rely on",
             "relying on", "counting on", "on hold for", "on hold waiting for"});
        add(lead_kind::until, {"until", "till", "before", "unless"});
        add(lead_kind::need, {"need", "needs", "needed", "we need", "we'll need", "we still need"});
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.words.size() > b.words.size(); });
        return out;
    }();
    return list;
}

// Phrases right after the team's name (or after "<team>'s <thing>").
const std::vector<std::vector<std::string>>& after_team() {
    static const auto list = phrase_list({
        "hasn't",      "has not",     "haven't",          "have not",          "didn't",        "did not",
        "doesn't",     "does not",    "don't",            "do not",            "won't",         "will not",
        "can't",       "cannot",      "is late",          "are late",          "is running late", "are running late",
        "is behind",   "are behind",  "is blocking",      "are blocking",      "blocks us",     "blocked us",
        "blocks our",  "is holding us", "are holding us", "is holding up",     "are holding up", "holds up",
        "is delaying", "are delaying", "is delayed",      "are delayed",       "slipped",       "is slipping",
        "are slipping", "keeps slipping", "keep slipping", "is a blocker",     "is the blocker", "is our blocker",
        "owes us",     "owe us",      "needs to",         "need to",           "has to",        "have to",
        "has yet to",  "have yet to", "must",             "is overdue",        "are overdue",   "is stuck",
        "may not",     "might not",   "may slip",         "might slip",        "could slip",    "is broken",
        "are broken",  "is slow",     "are slow",
    });
    return list;
}

// After "the <team> <thing>" (a compound, not a possessive) a lateness phrase
// only counts with a need in the same sentence: "the data pipeline is late and
// we need it", not "the beta release slipped because of our own bugs".
bool need_word(const std::string& w) {
    return w == "need" || w == "needs" || w == "needed" || w == "rely" || w == "depend" || w == "depends" ||
           w == "blocks" || w == "blocking" || w == "holds" || w == "holding" || w == "stuck" || w == "can't" ||
           w == "cannot" || w == "waits" || w == "waiting";
}

// A sentence that says the block is over: "we're unblocked", "resolved now".
bool resolution_word(const std::string& w) {
    return w == "unblocked" || w == "resolved" || w == "anymore" || w == "lifted" || w == "ended" || w == "solved";
}

// Words that may sit between a phrase and the team, or after the team.
bool filler_before(const std::string& w) { return w == "the" || w == "a" || w == "an" || w == "team"; }
bool group_noun(const std::string& w) {
    return w == "team" || w == "teams" || w == "folks" || w == "people" || w == "guys" || w == "squad" ||
           w == "crew" || w == "group" || w == "org" || w == "side" || w == "engineers" || w == "devs";
}
bool filler_after(const std::string& w) { return group_noun(w) || w == "still" || w == "also" || w == "finally"; }

// "until data delivers", "until @beta is done": the word after the team reads
// as a verb of the team (a third-person verb or an auxiliary).
bool verb_like(const std::string& w) {
    static const char* const aux[] = {"is",    "are",   "has",  "have", "does", "do",    "can",
                                      "will",  "gets",  "get",  "lets", "let",  "gives", "give",
                                      "ships", "ship",  "signs", "sign", "hands", "hand", "finish"};
    for (const char* a : aux)
        if (w == a) return true;
    if (w.size() < 4 || w.back() != 's') return false;
    const char before = w[w.size() - 2];
    return before != 's' && before != 'u' && before != 'i' && before != '\'';
}

bool phrase_at(const std::vector<token>& toks, std::size_t i, const std::vector<std::string>& phrase) {
    if (i + phrase.size() > toks.size()) return false;
    for (std::size_t k = 0; k < phrase.size(); ++k)
        if (toks[i + k].kind != token_kind::word || toks[i + k].text != phrase[k]) return false;
    return true;
}

// The teams' names and aliases, looked up by a token in O(1): before, each
// risk answer built every team's forms again and compared each of its
// tokens with all of them, a cost that grew with the number of teams
// (issue 12). Built once per config (config::teams_derived). Where two teams
// share a form, the first in the file wins, as the search in file order did.
struct team_name_index {
    struct form {
        std::vector<std::string> words;
        const team_config* team;
    };
    std::unordered_map<std::string, std::vector<form>> by_first_word;  // in file order
    std::unordered_map<std::string, const team_config*> mentions;      // "@beta", "@b-team": one-word forms
    std::unordered_map<std::string, const team_config*> channels;      // "platform", "#platform" (lower-case)
};

team_name_index index_team_names(const config& cfg) {
    team_name_index index;
    for (const auto& team : cfg.teams) {
        auto add = [&](const std::string& name) {
            auto words = words_of(name);
            if (words.empty()) return;
            if (words.size() == 1) index.mentions.try_emplace(words[0], &team);
            auto& forms = index.by_first_word[words[0]];
            forms.push_back({std::move(words), &team});
        };
        add(team.name);
        for (const auto& alias : team.aliases) add(alias);
        if (!team.channel.empty()) {
            const std::string channel = lower(team.channel);
            index.channels.try_emplace(channel, &team);
            index.channels.try_emplace("#" + channel, &team);
        }
    }
    return index;
}

struct team_match {
    const team_config* team;
    std::size_t length;  // tokens consumed
};

std::optional<team_match> team_at(const std::vector<token>& toks, std::size_t i, const team_name_index& names) {
    if (i >= toks.size()) return std::nullopt;
    const token& t = toks[i];
    if (t.kind == token_kind::mention) {
        if (auto m = names.mentions.find(t.text); m != names.mentions.end()) return team_match{m->second, 1};
    } else if (t.kind == token_kind::channel) {
        if (auto c = names.channels.find(t.text); c != names.channels.end()) return team_match{c->second, 1};
    } else if (t.kind == token_kind::word) {
        auto forms = names.by_first_word.find(t.text);
        if (forms == names.by_first_word.end()) return std::nullopt;
        // The longest form that matches: "data pipeline" over "data".
        std::optional<team_match> best;
        for (const auto& f : forms->second)
            if (phrase_at(toks, i, f.words) && (!best || f.words.size() > best->length))
                best = team_match{f.team, f.words.size()};
        return best;
    }
    return std::nullopt;
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
    static const char tag = 0;
    const team_name_index& names = cfg.teams_derived(&tag, &index_team_names);

    const std::vector<token> toks = tokenize(text);

    // Sentences: a block "resolved"/"unblocked" in the same sentence is over.
    std::vector<std::size_t> sentence(toks.size() + 1, 0);
    std::vector<bool> sentence_resolved(1, false), sentence_needs(1, false);
    for (std::size_t i = 0, n = 0; i < toks.size(); ++i) {
        sentence[i] = n;
        const token& t = toks[i];
        if (t.kind == token_kind::brk && std::string_view(".;!?\n").find(t.text[0]) != std::string_view::npos) {
            ++n;
            sentence_resolved.push_back(false);
            sentence_needs.push_back(false);
        } else if (t.kind == token_kind::word) {
            if (resolution_word(t.text) || (t.text == "no" && i + 1 < toks.size() &&
                                            (toks[i + 1].text == "longer" || toks[i + 1].text == "risk" ||
                                             toks[i + 1].text == "risks")))
                sentence_resolved[n] = true;
            if (need_word(t.text)) sentence_needs[n] = true;
        }
    }
    sentence[toks.size()] = sentence_resolved.size() - 1;

    std::vector<blocker_mention> out;
    auto found = [&](const team_config* team, std::size_t from, std::size_t to, std::size_t more = 0) {
        if (!team || team->name == own_team) return;
        if (sentence_resolved[sentence[from]]) return;
        for (const auto& m : out)
            if (m.team == team->name) return;
        // Quote `more` words more of the clause: "until data delivers the schema".
        std::size_t stop = to;
        while (stop < toks.size() && stop < to + more && toks[stop].kind != token_kind::brk) ++stop;
        out.push_back({team->name, excerpt(toks, from, stop)});
    };
    // "our platform", "my data pipeline": the writer's own thing, not a team.
    auto owned = [&](std::size_t i) {
        return i > 0 && toks[i - 1].kind == token_kind::word &&
               (toks[i - 1].text == "our" || toks[i - 1].text == "my" || toks[i - 1].text == "own");
    };
    auto skip_after = [&](std::size_t j) {
        while (j < toks.size() && toks[j].kind == token_kind::word && filler_after(toks[j].text)) ++j;
        return j;
    };
    auto is_word = [&](std::size_t k, const char* w) {
        return k < toks.size() && toks[k].kind == token_kind::word && toks[k].text == w;
    };

    static const std::vector<lead_phrase> no_leads;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        // "Blocked: platform ...", "Blocker: infra needs to ...": a label, then the team.
        if (toks[i].kind == token_kind::word && i + 2 < toks.size() && toks[i + 1].kind == token_kind::brk &&
            (toks[i + 1].text == ":" || toks[i + 1].text == "(") &&
            (toks[i].text == "blocked" || toks[i].text == "blocker" || toks[i].text == "blockers" ||
             toks[i].text == "waiting" || toks[i].text == "dependency" || toks[i].text == "dependencies") &&
            !negated(toks, i)) {
            std::size_t at = i + 2;
            while (at < toks.size() && toks[at].kind == token_kind::word && filler_before(toks[at].text)) ++at;
            if (auto m = team_at(toks, at, names)) {
                const std::size_t after = skip_after(at + m->length);
                // "Blocked: platform." or "Blocked: platform on ..." but not "Blocked: platform-wide outage"
                if (after >= toks.size() || toks[after].kind == token_kind::brk || is_word(after, "on") ||
                    is_word(after, "for") || is_word(after, "and") || toks[after].text == "'s")
                    found(m->team, i, at + m->length);
            }
        }
        // "blocked by [the] platform", "waiting on the API from platform",
        // "until data delivers", "need the ML team to ..."
        for (const auto& lead : toks[i].kind == token_kind::word ? before_team() : no_leads) {
            const auto& phrase = lead.words;
            if (phrase[0] != toks[i].text || !phrase_at(toks, i, phrase) || negated(toks, i)) continue;
            std::size_t j = i + phrase.size();
            while (j < toks.size() && toks[j].kind == token_kind::word && filler_before(toks[j].text)) ++j;
            // Try before and after each filler: an alias may start with "the".
            std::optional<team_match> m;
            std::size_t at = i + phrase.size();
            for (; at <= j && !m; ++at) m = team_at(toks, at, names);
            if (m) {
                --at;
                std::size_t end = at + m->length;
                const std::size_t after = skip_after(end);
                bool ok = !owned(at);
                if (lead.kind == lead_kind::until)
                    ok = ok && after < toks.size() && toks[after].kind == token_kind::word &&
                         verb_like(toks[after].text);
                if (lead.kind == lead_kind::need) ok = ok && is_word(after, "to");
                if (lead.kind != lead_kind::plain && ok) end = after + 1;
                if (ok) found(m->team, i, end, lead.kind == lead_kind::plain ? 0 : 2);
                // "blocked by platform and the ML team", "waiting on beta, platform"
                while (ok && lead.kind == lead_kind::plain && end < toks.size() &&
                       ((toks[end].kind == token_kind::word && (toks[end].text == "and" || toks[end].text == "or")) ||
                        (toks[end].kind == token_kind::brk && toks[end].text == ","))) {
                    std::size_t next = end + 1;
                    while (next < toks.size() && toks[next].kind == token_kind::word && filler_before(toks[next].text))
                        ++next;
                    auto more = team_at(toks, next, names);
                    if (!more) break;
                    end = next + more->length;
                    found(more->team, next, end);
                }
                if (ok) break;
            }
            // "waiting on a schema review from platform", "need a decision from the ML team"
            for (std::size_t k = j; k < toks.size() && k < j + 6 && toks[k].kind != token_kind::brk; ++k) {
                if (toks[k].kind != token_kind::word || (toks[k].text != "from" && toks[k].text != "by")) continue;
                std::size_t l = k + 1;
                while (l < toks.size() && toks[l].kind == token_kind::word && filler_before(toks[l].text)) ++l;
                if (auto m2 = team_at(toks, l, names)) {
                    found(m2->team, i, l + m2->length);
                    break;
                }
            }
            break;
        }
        // "@beta hasn't shipped", "the platform team is late", "platform's API is late",
        // "the data pipeline is late and we need it"
        if (auto m = team_at(toks, i, names); m && !owned(i)) {
            std::size_t j = skip_after(i + m->length);
            std::size_t last = j;
            const bool possessive = j < toks.size() && toks[j].text == "'s";
            bool compound = false;
            if (possessive) {
                last = j + 4;  // "<team>'s new API is late"
            } else if (i > 0 && toks[i - 1].kind == token_kind::word && filler_before(toks[i - 1].text) &&
                       sentence_needs[sentence[i]]) {
                last = j + 3;  // "the data pipeline is late and we need it"
                compound = true;
            }
            // "platform's freeze", "infra's change freeze", "the data freeze means we can't ...":
            // a freeze of another team is a blocker (a compound one with a need beside it).
            if (possessive || (i > 0 && filler_before(toks[i - 1].text) && sentence_needs[sentence[i]])) {
                const std::size_t f = possessive ? j + 1 : j;
                for (std::size_t k = f; k < f + 2 && k < toks.size() && toks[k].kind == token_kind::word; ++k)
                    if (toks[k].text == "freeze" || toks[k].text == "freezes") {
                        found(m->team, i > 0 && filler_before(toks[i - 1].text) ? i - 1 : i, k + 1);
                        break;
                    }
            }
            for (std::size_t k = j; k <= last && k < toks.size() && toks[k].kind != token_kind::brk; ++k) {
                if (k > j && toks[k].kind == token_kind::word &&
                    (toks[k].text == "we" || toks[k].text == "our" || toks[k].text == "i")) {
                    break;  // "the ML feature we own is late": ours
                }
                bool hit = false;
                for (const auto& phrase : after_team()) {
                    if (phrase_at(toks, k, phrase)) {
                        // In a compound only lateness counts, not "the web app needs to ..."
                        if (compound && k > j && (phrase[0] == "needs" || phrase[0] == "need" ||
                                                  phrase[0] == "has" || phrase[0] == "have" || phrase[0] == "must"))
                            break;
                        found(m->team, i > 0 && filler_before(toks[i - 1].text) ? i - 1 : i, k + phrase.size(), 2);
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
