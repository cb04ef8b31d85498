#!/usr/bin/env bash
# Install libplace's build and test dependencies from Debian, if missing.
# usage: scripts/install-deps.sh [--ci]
#   --ci  also what CI's extra checks need: valgrind, and clang with its
#         libFuzzer runtime (scripts/valgrind.sh, scripts/fuzz.sh)
set -euo pipefail
pkgs=(build-essential cmake pkg-config libglpk-dev glpk-utils libyaml-dev
      libcjson-dev libcriterion-dev)
if [ "${1:-}" = --ci ]; then
  pkgs+=(valgrind clang libclang-rt-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
