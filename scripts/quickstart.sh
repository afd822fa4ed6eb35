#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build Release, and run
# `leasecalc report` on the bundled Colossus 1 scenario.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
"$root/build/leasecalc" report "$@"
