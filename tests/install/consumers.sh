#!/bin/sh
# install.consumers: install into a temporary prefix, then build
# examples/walkthrough.c out of tree as a user would, and run it:
#   1. a CMake project: find_package(tiergraph CONFIG), tiergraph::tiergraph
#      (and tiergraph::tiergraph_static, to check its plain-name link interface);
#   2. cc $(pkg-config --cflags --libs tiergraph).
#
#   consumers.sh CMAKE CC BUILD_DIR LIBDIR WALKTHROUGH_C [CFLAGS]
#
# LIBDIR is CMAKE_INSTALL_LIBDIR; CFLAGS are the library's own CMAKE_C_FLAGS (a
# sanitizer build needs its consumers built the same way). Exit 77 (skipped)
# after the CMake consumers when pkg-config is not installed.
set -eu

if [ "$#" -lt 5 ]; then
    echo "usage: $0 CMAKE CC BUILD_DIR LIBDIR WALKTHROUGH_C [CFLAGS]" >&2
    exit 2
fi
cmake=$1 cc=$2 build=$3 libdir=$4 walkthrough=$5 cflags=${6:-}
# Absolute paths: the consumers are configured and built elsewhere.
case $walkthrough in /*) ;; *) walkthrough=$(pwd)/$walkthrough ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
prefix=$tmp/prefix

step() { echo "install.consumers: $*"; }
# Run a command quietly; show its output only when it fails.
quiet() {
    if ! "$@" >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        echo "install.consumers: failed: $*" >&2
        exit 1
    fi
}
# Run a consumer binary against the installed library only.
run() {
    bin=$1
    # In the scratch directory: the walkthrough keeps its store in ./walkthrough.tg.
    if ! (cd "$tmp" && LD_LIBRARY_PATH=$prefix/$libdir "$bin") >"$tmp/run.log" 2>&1; then
        cat "$tmp/run.log" >&2
        echo "install.consumers: $bin failed" >&2
        exit 1
    fi
    tail -n 1 "$tmp/run.log"
}

step "cmake --install $build --prefix $prefix"
quiet "$cmake" --install "$build" --prefix "$prefix"
for f in include/tiergraph.h include/tiergraph/store.h "$libdir/libtiergraph.so" \
         "$libdir/libtiergraph.a" "$libdir/cmake/tiergraph/tiergraphConfig.cmake" \
         "$libdir/cmake/tiergraph/tiergraphConfigVersion.cmake" \
         "$libdir/cmake/tiergraph/tiergraphTargets.cmake" "$libdir/pkgconfig/tiergraph.pc"; do
    if [ ! -e "$prefix/$f" ]; then
        echo "install.consumers: not installed: $f" >&2
        exit 1
    fi
done

# --- 1. CMake: find_package(tiergraph CONFIG) --------------------------------
mkdir "$tmp/cmake-src"
cat >"$tmp/cmake-src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(tiergraph_consumer LANGUAGES C)
find_package(tiergraph 0.1 CONFIG REQUIRED)
if(NOT tiergraph_DIR STREQUAL "$prefix/$libdir/cmake/tiergraph")
  message(FATAL_ERROR "found the wrong tiergraph: \${tiergraph_DIR}")
endif()
add_executable(walkthrough_shared "$walkthrough")
target_link_libraries(walkthrough_shared PRIVATE tiergraph::tiergraph)
add_executable(walkthrough_static "$walkthrough")
target_link_libraries(walkthrough_static PRIVATE tiergraph::tiergraph_static)
CMAKE
step "find_package(tiergraph CONFIG) with CMAKE_PREFIX_PATH=$prefix"
quiet "$cmake" -S "$tmp/cmake-src" -B "$tmp/cmake-build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
quiet "$cmake" --build "$tmp/cmake-build"
run "$tmp/cmake-build/walkthrough_shared"
run "$tmp/cmake-build/walkthrough_static"

# --- 2. pkg-config ------------------------------------------------------------
pkg_config=${PKG_CONFIG:-pkg-config}
if ! command -v "$pkg_config" >/dev/null 2>&1; then
    echo "install.consumers: pkg-config not found: the pkg-config consumer is skipped"
    exit 77
fi
PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
export PKG_CONFIG_PATH
step "cc \$(pkg-config --cflags --libs tiergraph) with PKG_CONFIG_PATH=$PKG_CONFIG_PATH"
quiet "$pkg_config" --validate tiergraph
pcdir=$("$pkg_config" --variable=pcfiledir tiergraph)
if [ "$pcdir" != "$PKG_CONFIG_PATH" ]; then
    echo "install.consumers: pkg-config found the wrong tiergraph.pc: $pcdir" >&2
    exit 1
fi
flags=$("$pkg_config" --cflags --libs tiergraph)
# shellcheck disable=SC2086 # the flags are words
quiet "$cc" $cflags "$walkthrough" -o "$tmp/walkthrough_pc" $flags
run "$tmp/walkthrough_pc"
step "ok"
