#!/usr/bin/env bash
# Installs what is missing (Debian packages, idempotent) and builds leasecalc in Release
# into build/. Sourced by quickstart.sh and test.sh; runnable on its own.
#   LEASECALC_EXTRA_PACKAGES  more Debian packages to install (the tests add theirs)
#   CI=true                   build with -Werror
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(g++ cmake ninja-build pkg-config libcli11-dev libfmt-dev nlohmann-json3-dev catch2
          libxlsxwriter-dev libhwy-dev
          ${LEASECALC_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ -n "${LEASECALC_SETUP_ONLY_PACKAGES:-}" ]] && exit 0

werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DLEASECALC_WERROR="$werror" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
