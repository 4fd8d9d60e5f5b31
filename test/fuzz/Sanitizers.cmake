# Sanitizer and fuzzing flags for every target (docs/robustness.md,
# "Fuzzing and sanitizers"). Included by the top-level CMakeLists.txt before
# any target is defined.
#
#   -DTESSEL_SANITIZE=ON  ASan+UBSan everywhere (scripts/sanitize.sh).
#   -DTESSEL_FUZZ=ON      the same plus libFuzzer coverage in every object
#                         (-fsanitize=fuzzer-no-link) and the harnesses in
#                         test/fuzz (linked with -fsanitize=fuzzer); clang only
#                         (scripts/fuzz.sh).
if(TESSEL_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "TESSEL_FUZZ needs clang (libFuzzer): configure with "
    "-DCMAKE_CXX_COMPILER=clang++-19 (Debian: clang-19 libclang-rt-19-dev)")
endif()
if(TESSEL_FUZZ OR TESSEL_SANITIZE)
  # Signed overflow, shifts, bad enum/bool loads, misaligned or null access
  # are errors that stop the program (no recovery), like ASan's reports.
  set(TESSEL_SANITIZER_FLAGS -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  if(TESSEL_FUZZ)
    list(APPEND TESSEL_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
  endif()
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # One false vptr report on an object of libLLVM (see the file).
    list(APPEND TESSEL_SANITIZER_FLAGS
      -fsanitize-ignorelist=${CMAKE_CURRENT_LIST_DIR}/ubsan.ignorelist)
  endif()
  add_compile_options(${TESSEL_SANITIZER_FLAGS})
  # LLVM's allocator poisoning off in our objects as it is in Debian's
  # uninstrumented libMLIR (false use-after-poison in StringAttr::get):
  # see the header.
  add_compile_options(
    "SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/NoLlvmPoisoning.h")
  add_link_options(-fsanitize=address,undefined)
endif()
