//===- test/fuzz/NoLlvmPoisoning.h - ASan builds against Debian's MLIR ----===//
//
// Force-included (-include) into every object of the ASan builds
// (test/fuzz/Sanitizers.cmake; docs/robustness.md, "Fuzzing and
// sanitizers"). It turns the manual poisoning calls of LLVM's headers into
// no-ops, which is what they are in Debian's libLLVM/libMLIR (built without
// ASan).
//
// Why: LLVM's BumpPtrAllocator (llvm/Support/Allocator.h), inlined into our
// instrumented code, poisons each new slab of an MLIRContext's storage
// allocator and unpoisons only the pieces it hands out. Uninstrumented
// libMLIR allocates from the same slabs through its own inlined copy, which
// does not unpoison, so the string that mlir::StringAttr::get copies there
// sits in "poisoned" memory: ASan reports use-after-poison in memmove inside
// StringAttr::get, and again wherever instrumented code later reads the
// string (printing a name, comparing it). The memory is allocated and owned:
// the reports are false. A runtime suppression cannot be narrow here (the
// later reads are in our own code, with no MLIR frame to match), and
// ASAN_OPTIONS=allow_user_poisoning=0 would do the same as this file but for
// every binary and every caller. Nothing in Tessel calls the poisoning
// interface itself; instrumented loads, stores, bounds of every heap, stack
// and global object are all still checked.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TEST_FUZZ_NOLLVMPOISONING_H
#define TESSEL_TEST_FUZZ_NOLLVMPOISONING_H

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESSEL_ASAN_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TESSEL_ASAN_BUILD 1
#endif

#ifdef TESSEL_ASAN_BUILD
// Declared first (include guard), so that LLVM's Compiler.h, which includes
// it again, sees the macros below.
#include <sanitizer/asan_interface.h>
#define __asan_poison_memory_region(addr, size) ((void)(addr), (void)(size))
#define __asan_unpoison_memory_region(addr, size) ((void)(addr), (void)(size))
#endif

#endif
