#!/usr/bin/env bash
# Builds the .deb from build/, installs it with apt as a user would, and uses it: report,
# a bundled note, man, and bash completion. Then removes it. Needs root (or sudo).
# scripts/test.sh runs this in CI; by hand: bash scripts/try-deb.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -qq --no-install-recommends bash-completion >/dev/null
pkg=$(mktemp -d)
trap 'rm -rf "$pkg"' EXIT
(cd "$root/build" && cpack -G DEB -B "$pkg" >/dev/null)
deb=$(ls "$pkg"/leasecalc_*.deb)
chmod -R a+rX "$pkg"  # apt's sandbox user reads the file
"${sudo[@]}" apt-get install -y -qq "$deb" >/dev/null
cd "$pkg"
leasecalc report --wide | grep -qx "file /usr/share/leasecalc/scenarios/colossus1-lease.json, as of 2026-05-09, basis bf16 (dense BF16 TFLOPS relative to H100 SXM), capex sunk"
leasecalc check /usr/share/leasecalc/notes/*.json >/dev/null
man -w leasecalc | grep -qx /usr/share/man/man1/leasecalc.1.gz
# bash completion, loaded on demand by bash-completion as in an interactive shell
words=$(bash --norc -c 'source /usr/share/bash-completion/bash_completion
  _completion_loader leasecalc
  COMP_WORDS=(leasecalc sweep --vary lease.); COMP_CWORD=3
  _leasecalc; printf "%s\n" "${COMPREPLY[@]}"' | sort | tr '\n' ' ')
[[ $words == "lease.hours_per_year= lease.occupancy= lease.price_per_gpu_hour= " ]] ||
  { echo "try-deb: completion gave: $words" >&2; exit 1; }
"${sudo[@]}" apt-get remove -y -qq leasecalc >/dev/null
echo "try-deb: $(basename "$deb") installs with apt; report, check, man and completion work"
