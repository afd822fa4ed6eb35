# Warnings and sanitizers live in INTERFACE targets that are linked PRIVATE,
# so they apply to our own code only, never to consumers or to dependencies.
add_library(leasecalc_warnings INTERFACE)
target_compile_options(leasecalc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict inside libstdc++'s std::string at -O3 (GCC bug 105329),
# a false positive that -Werror would turn into a build failure.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(leasecalc_warnings INTERFACE -Wno-restrict)
endif()
if(LEASECALC_WERROR)
  target_compile_options(leasecalc_warnings INTERFACE -Werror)
endif()

add_library(leasecalc_sanitizers INTERFACE)
if(LEASECALC_SANITIZE)
  target_compile_options(leasecalc_sanitizers INTERFACE
    -fsanitize=${LEASECALC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(leasecalc_sanitizers INTERFACE -fsanitize=${LEASECALC_SANITIZE})
endif()
