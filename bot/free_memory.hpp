#pragma once
// Gives the heap's free pages back to the system after a start-up step that
// needed far more memory for a moment than it keeps: reading the config (at
// 20,000 members its TOML tree is 1.6 MB, freed once the config is built) and
// loading the stored users. glibc returns the top of the heap on its own, not
// the free pages below what is still in use; those stayed resident for the
// bot's life (bench/README.md, "Ninth session").
#include <malloc.h>

namespace ritualbot {

inline void give_back_free_memory() {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

}  // namespace ritualbot
