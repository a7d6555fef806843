// Supplies std::ios_base_library_init() for a libLibTorchSharp.so built with GCC 13 on a system whose libstdc++
// is older (Debian 12: GCC 12). See docs/trainer.md, "TorchSharp on older libstdc++".
//
// GCC 13's <iostream> no longer puts a static std::ios_base::Init object in every translation unit; it emits a
// reference to this symbol instead, whose only purpose is to require GLIBCXX_3.4.32, the libstdc++ that constructs
// std::cout and friends itself. The build marks that version requirement weak, so an older libstdc++ satisfies the
// loader; this library then supplies the symbol, and - compiled with the machine's own (older) <iostream> - carries
// the static std::ios_base::Init object that constructs the standard streams, which is what the newer library would
// have guaranteed.
#include <iostream>

namespace std
{
    // Unversioned on purpose: the dynamic loader accepts an unversioned definition for a versioned reference.
    __attribute__((visibility("default"))) void ios_base_library_init() {}
}
