// A main() for the fuzz targets when libFuzzer is not there (g++ builds):
// runs LLVMFuzzerTestOneInput over every file of the given corpus folders,
// then over --mutations N inputs made from them by a fixed-seed mutator (bit
// flips, byte changes, insertions, deletions, truncations, duplicated chunks,
// splices of two files, JSON/TOML tokens). The same inputs every run, so a
// failure in CTest reproduces: the input that failed is written to
// fuzz-failure-<target>.bin in the working directory, and `--only I` runs
// mutation I alone.
//
//   ritualbot_fuzz_config [--mutations N] [--seed S] [--only I] [--save DIR] corpus-dir|file...
#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// In the sanitizer runtimes (ASan, UBSan): called before a report ends the
// process, also when it exits without a signal (abort_on_error=0).
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

// UBSan's report ends the process by abort() (not _exit), so that the
// SIGABRT handler below keeps the input; UBSAN_OPTIONS can still say otherwise.
extern "C" const char* __ubsan_default_options() { return "abort_on_error=1"; }

namespace {

using bytes = std::vector<std::uint8_t>;

// splitmix64: fully specified, so the mutations are the same with any standard library.
struct rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// Tokens that matter to the parsers under test: JSON and TOML syntax, quotes,
// numbers at the edges, escapes, the command prefixes.
const char* const tokens[] = {
    "{",       "}",        "[",          "]",        "\"",      ",",       ":",        "null",    "true",
    "false",   "0",        "-1",         "1e309",    "-0",      "4294967296", "9223372036854775808",
    "\\u0000", "\\ud800",  "\"\":\"\"",  "{}",       "[]",      "=",       "[[",       "]]",      "'''",
    "\"\"\"",  "\n",       "\t",         " ",        "#",       "/",       "!",        "\xE2\x80\x9C",
    "\xE2\x80\x9D",        "\xE2",       "\xFF",     "&lt;",    "<@U",     "<#C",      "1979-01-01T00:00:00Z",
    "9999",    "GMT",      "99:99:99",   "%",        "://",     "[::1]",   ":65536",   "@",       "type",
    "payload", "event",    "view",       "rooms",    "join",    "timeline", "events",  "content", "next_batch",
};

std::string current_name;  // set before each input, for the failure message
const bytes* current_input = nullptr;
std::string failure_file;

// Only async-signal-safe calls: keep the input that took the process down.
extern "C" void save_failing_input() {
    if (current_input && !failure_file.empty()) {
        int fd = ::open(failure_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            ssize_t ignored = ::write(fd, current_input->data(), current_input->size());
            (void)ignored;
            ::close(fd);
        }
        const char msg[] = "\nfuzz replay: the failing input was written to ";
        ssize_t ignored = ::write(2, msg, sizeof msg - 1);
        ignored = ::write(2, failure_file.data(), failure_file.size());
        ignored = ::write(2, " (", 2);
        ignored = ::write(2, current_name.data(), current_name.size());
        ignored = ::write(2, ")\n", 2);
        (void)ignored;
        current_input = nullptr;
    }
}

extern "C" void on_fatal_signal(int sig) {
    save_failing_input();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

bytes read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void mutate_once(bytes& b, const std::vector<bytes>& corpus, rng& r) {
    switch (r.below(9)) {
        case 0:  // flip one bit
            if (!b.empty()) b[r.below(b.size())] ^= static_cast<std::uint8_t>(1u << r.below(8));
            break;
        case 1:  // set one byte to anything
            if (!b.empty()) b[r.below(b.size())] = static_cast<std::uint8_t>(r.next());
            break;
        case 2: {  // insert a few random bytes
            const std::size_t at = r.below(b.size() + 1), n = 1 + r.below(4);
            for (std::size_t i = 0; i < n; ++i) b.insert(b.begin() + at, static_cast<std::uint8_t>(r.next()));
            break;
        }
        case 3: {  // delete a range
            if (b.empty()) break;
            const std::size_t at = r.below(b.size()), n = 1 + r.below(std::min<std::size_t>(16, b.size() - at));
            b.erase(b.begin() + at, b.begin() + at + n);
            break;
        }
        case 4:  // truncate
            b.resize(r.below(b.size() + 1));
            break;
        case 5: {  // duplicate a chunk in place
            if (b.empty()) break;
            const std::size_t at = r.below(b.size()), n = 1 + r.below(std::min<std::size_t>(64, b.size() - at));
            const bytes chunk(b.begin() + at, b.begin() + at + n);
            b.insert(b.begin() + r.below(b.size() + 1), chunk.begin(), chunk.end());
            break;
        }
        case 6: {  // splice: our head, another file's tail
            const bytes& other = corpus[r.below(corpus.size())];
            const std::size_t cut = r.below(b.size() + 1), from = r.below(other.size() + 1);
            b.resize(cut);
            b.insert(b.end(), other.begin() + from, other.end());
            break;
        }
        case 7: {  // insert a token
            const char* t = tokens[r.below(std::size(tokens))];
            b.insert(b.begin() + r.below(b.size() + 1), t, t + std::strlen(t));
            break;
        }
        default: {  // replace a run of digits or letters with a token
            if (b.empty()) break;
            std::size_t at = r.below(b.size()), end = at;
            while (end < b.size() && std::isalnum(b[end])) ++end;
            const char* t = tokens[r.below(std::size(tokens))];
            b.erase(b.begin() + at, b.begin() + std::max(end, at + 1));
            b.insert(b.begin() + at, t, t + std::strlen(t));
            break;
        }
    }
    if (b.size() > 64 * 1024) b.resize(64 * 1024);
}

bytes mutation(const std::vector<bytes>& corpus, std::uint64_t seed, std::uint64_t index) {
    rng r{seed * 0x100000001B3ull + index};
    bytes b = corpus[r.below(corpus.size())];
    const std::size_t rounds = 1 + r.below(r.below(2) ? 3 : 12);
    for (std::size_t i = 0; i < rounds; ++i) mutate_once(b, corpus, r);
    return b;
}

int usage(const char* argv0) {
    std::cerr << "usage: " << argv0 << " [--mutations N] [--seed S] [--only I] [--save DIR] corpus-dir|file...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t mutations = 1000, seed = 17;
    long long only = -1;
    std::string save_dir;
    std::vector<std::filesystem::path> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--mutations" || a == "--seed" || a == "--only" || a == "--save") && i + 1 < argc) {
            const std::string v = argv[++i];
            if (a == "--mutations") mutations = std::stoull(v);
            else if (a == "--seed") seed = std::stoull(v);
            else if (a == "--only") only = std::stoll(v);
            else save_dir = v;
        } else if (!a.empty() && a[0] == '-') {
            return usage(argv[0]);
        } else {
            paths.emplace_back(a);
        }
    }
    if (paths.empty()) return usage(argv[0]);

    std::vector<std::filesystem::path> files;
    for (const auto& p : paths) {
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file()) files.push_back(e.path());
        } else {
            files.push_back(p);
        }
    }
    std::sort(files.begin(), files.end());  // directory order differs between machines
    std::vector<bytes> corpus;
    for (const auto& f : files) corpus.push_back(read_file(f));
    if (corpus.empty()) {
        std::cerr << "no corpus files in the given paths\n";
        return 2;
    }

    failure_file = "fuzz-failure-" + std::filesystem::path(argv[0]).filename().string() + ".bin";
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_failing_input);
    std::signal(SIGABRT, on_fatal_signal);
    std::signal(SIGSEGV, on_fatal_signal);
    std::signal(SIGFPE, on_fatal_signal);
    std::signal(SIGILL, on_fatal_signal);

    const auto start = std::chrono::steady_clock::now();
    auto run = [](const bytes& b, std::string name) {
        current_name = std::move(name);
        current_input = &b;
        LLVMFuzzerTestOneInput(b.data(), b.size());
        current_input = nullptr;
    };
    std::size_t ran = 0;
    if (only < 0) {
        for (std::size_t i = 0; i < corpus.size(); ++i, ++ran) run(corpus[i], files[i].string());
    }
    const std::uint64_t first = only < 0 ? 0 : static_cast<std::uint64_t>(only);
    const std::uint64_t end = only < 0 ? mutations : first + 1;
    for (std::uint64_t i = first; i < end; ++i) {
        const bytes b = mutation(corpus, seed, i);
        if (!save_dir.empty()) {
            std::ofstream(std::filesystem::path(save_dir) / ("mutation-" + std::to_string(i)), std::ios::binary)
                .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
        }
        run(b, "mutation " + std::to_string(i) + " of seed " + std::to_string(seed) + ": --only " +
                   std::to_string(i));
        ++ran;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::cout << ran << " inputs (" << (only < 0 ? corpus.size() : 0) << " corpus files, "
              << (only < 0 ? mutations : 1) << " mutations, seed " << seed << ") in " << ms << " ms\n";
    return 0;
}
