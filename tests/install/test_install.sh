#!/bin/sh
# Install libplace into a temporary prefix with `cmake --install`, check what
# is there, and build a consumer out of tree with pkg-config and with
# find_package (both spellings, shared and static), then run it.
#   test_install.sh BUILD_DIR SOURCE_DIR [CONFIG]
# Environment: CC (the compiler), PLACE_SANITIZE=1 when the build uses
# -fsanitize (then the consumers do too).
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
config=${3:-}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
examples="$src/examples/quickstart/federation.yaml $src/examples/quickstart/shop.yaml"
san=""
case "${PLACE_SANITIZE:-}" in
  ""|0|OFF|off) ;;
  *) san="-fsanitize=address,undefined" ;;
esac

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "cmake --install into $prefix"
if [ -n "$config" ]; then
  cmake --install "$build" --prefix "$prefix" --config "$config" >/dev/null
else
  cmake --install "$build" --prefix "$prefix" >/dev/null
fi

pc=$(find "$prefix" -name libplace.pc | head -n 1)
[ -n "$pc" ] || fail "no libplace.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in "$prefix/include/place.h" "$prefix/bin/place" "$libdir/libplace.a" \
         "$libdir/libplace.so" "$libdir/libplace.so.0" \
         "$libdir/cmake/place/placeConfig.cmake" \
         "$libdir/cmake/place/placeConfigVersion.cmake" \
         "$libdir/cmake/place/placeTargets.cmake" \
         "$libdir/cmake/place/FindGLPK.cmake" \
         "$libdir/cmake/libplace/libplaceConfig.cmake" \
         "$libdir/cmake/libplace/libplaceConfigVersion.cmake"; do
  [ -e "$f" ] || fail "missing $f"
  echo "ok $f"
done
[ -L "$libdir/libplace.so" ] || fail "libplace.so is not a symlink"
soname=$(objdump -p "$libdir/libplace.so.0" | awk '/SONAME/ {print $2}')
[ "$soname" = "libplace.so.0" ] || fail "soname is '$soname'"
echo "ok soname $soname"

step "the installed command"
"$prefix/bin/place" --version
"$prefix/bin/place" solve $examples >/dev/null || fail "place solve"


check_run() { # NAME EXE: runs, says OK, places replicas
  out=$("$2" $examples) || fail "$1 failed"
  echo "$out" | head -n 1 | grep -q "^consumer .* OK$" || fail "$1: $out"
  echo "$out" | grep -q -- "-> " || fail "$1 placed nothing: $out"
  echo "ok $1: $(echo "$out" | head -n 1), $(($(echo "$out" | wc -l) - 1)) assignments"
}
not_needed() { # EXE: does not load libplace.so
  if objdump -p "$1" | grep NEEDED | grep -q libplace; then
    fail "$1 needs libplace.so"
  fi
}

step "pkg-config, shared"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists libplace || fail "pkg-config does not find libplace"
[ "$(pkg-config --modversion libplace)" = "$("$prefix/bin/place" --version | cut -d' ' -f2)" ] \
  || fail "pkg-config version"
pkg-config --static --libs libplace | grep -q -- "-lglpk" || fail "Libs.private"
pkg-config --print-requires-private libplace | grep -q yaml-0.1 || fail "Requires.private"
# shellcheck disable=SC2046
$cc $san -o "$tmp/pc_shared" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags --libs libplace)
LD_LIBRARY_PATH="$libdir" check_run "pkg-config shared" "$tmp/pc_shared"
objdump -p "$tmp/pc_shared" | grep NEEDED | grep -q libplace.so.0 \
  || fail "pc_shared does not need libplace.so.0"

step "pkg-config, static"
# shellcheck disable=SC2046
$cc $san -DPLACE_STATIC -o "$tmp/pc_static" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags libplace) "$libdir/libplace.a" \
  $(pkg-config --static --libs libplace | sed -e 's/-lplace\( \|$\)//')
not_needed "$tmp/pc_static"
check_run "pkg-config static" "$tmp/pc_static"

for pkg in place libplace; do
  step "find_package($pkg)"
  b=$tmp/cmake-$pkg
  cmake -S "$src/tests/install/consumer" -B "$b" -DCMAKE_PREFIX_PATH="$prefix" \
    -DPLACE_PACKAGE=$pkg -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" >"$tmp/cmake.log" 2>&1 \
    || { cat "$tmp/cmake.log"; fail "find_package($pkg)"; }
  cmake --build "$b" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "build ($pkg)"; }
  [ -x "$b/consumer_static" ] || fail "find_package($pkg) gave no place::place_static"
  check_run "$pkg shared" "$b/consumer_shared"
  check_run "$pkg static" "$b/consumer_static"
  not_needed "$b/consumer_static"
done

step "find_package(place COMPONENTS shared)"
b=$tmp/cmake-shared
cmake -S "$src/tests/install/consumer" -B "$b" -DCMAKE_PREFIX_PATH="$prefix" \
  -DPLACE_COMPONENTS=shared -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" >"$tmp/cmake.log" 2>&1 \
  || { cat "$tmp/cmake.log"; fail "COMPONENTS shared"; }
cmake --build "$b" >/dev/null 2>&1 || fail "build (COMPONENTS shared)"
check_run "shared component" "$b/consumer_shared"

step "versions: 0.1 found, 1.0, 0.2 and 0.0 refused (SameMinorVersion)"
ver=$tmp/ver
mkdir -p "$ver"
cat >"$ver/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(v C)
foreach(v 0.1 1.0 0.2 0.0)
  find_package(place ${v} QUIET)
  set(p ${place_FOUND})
  find_package(libplace ${v} QUIET)
  message(STATUS "version ${v}: place=${p} libplace=${libplace_FOUND}")
endforeach()
CM
res=$(cmake -S "$ver" -B "$ver/b" -DCMAKE_PREFIX_PATH="$prefix" 2>&1 | grep "version ")
echo "$res"
echo "$res" | grep -q "0.1: place=1 libplace=1" || fail "0.1 not found"
for v in 1.0 0.2 0.0; do
  echo "$res" | grep -q "$v: place=0 libplace=0" || fail "$v accepted"
done

echo "install test passed"
