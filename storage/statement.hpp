#pragma once
// What every storage/*.cpp needs around SQLiteCpp: instants as integer
// seconds in the database, and cached statements reset however the caller
// leaves. storage/ only.
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstdint>

#include "bot/clock.hpp"

namespace ritualbot {

inline std::int64_t to_db(instant t) { return t.time_since_epoch().count(); }
inline instant from_db(std::int64_t v) { return instant(std::chrono::seconds(v)); }

// Resets a cached statement (store::prepared) whatever way the caller leaves.
struct statement_guard {
    SQLite::Statement& st;
    ~statement_guard() {
        try {
            st.reset();
            st.clearBindings();
        } catch (...) {
        }
    }
};

}  // namespace ritualbot
