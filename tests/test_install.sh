#!/usr/bin/env bash
# Installs leasecalc into a temporary prefix with `cmake --install`, and builds the .deb
# with CPack and unpacks it, and runs each installed binary: it must read the installed
# data, fall back to the embedded copy without it, and ship the man page, the bash
# completion and the schemas.
# Usage: bash tests/test_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_install: $*" >&2; exit 1; }
expect_line() {  # expect_line TEXT FILE: FILE has a line equal to TEXT
  grep -qxF -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "no line \"$1\""; }
}

# --- cmake --install into a prefix ---
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/leasecalc share/leasecalc/gpus.json share/leasecalc/scenarios/colossus1-lease.json \
         share/leasecalc/notes/yk-2026-05-09.json share/leasecalc/schema/scenario.schema.json \
         share/man/man1/leasecalc.1.gz share/bash-completion/completions/leasecalc \
         share/doc/leasecalc/copyright share/doc/leasecalc/tutorial.md; do
  [[ -f $prefix/$f ]] || fail "cmake --install did not install $f"
done
(cd "$tmp" && "$prefix/bin/leasecalc" report --wide >report.txt)
expect_line "file $prefix/share/leasecalc/scenarios/colossus1-lease.json, as of 2026-05-09, basis bf16 (dense BF16 TFLOPS relative to H100 SXM), capex sunk" "$tmp/report.txt"
# 220,000 x 2.60 x 8,760 = 5,010,720,000, on the row of lease.annual_revenue
grep -qE '^  Annual lease revenue +~\$5\.01B/yr +5,010,720,000 +estimate\* +lease\.annual_revenue ' \
  "$tmp/report.txt" || fail "no revenue row in the installed binary's report"

# It reads the installed files: a changed installed scenario changes the report.
sed -i 's/"name": "Colossus 1 lease to Anthropic"/"name": "Installed copy"/' \
  "$prefix/share/leasecalc/scenarios/colossus1-lease.json"
"$prefix/bin/leasecalc" report --wide >"$tmp/report.txt"
expect_line "Installed copy" "$tmp/report.txt"
# The installed notes find their scenario by a relative path.
"$prefix/bin/leasecalc" check "$prefix/share/leasecalc/notes/note-2026-05-31.json" >"$tmp/check.txt"
# LEASECALC_DATA_DIR overrides, and must hold the files.
LEASECALC_DATA_DIR=$tmp/nowhere "$prefix/bin/leasecalc" report --wide >"$tmp/out.txt" 2>"$tmp/err.txt" &&
  fail "a missing LEASECALC_DATA_DIR was ignored"
expect_line "leasecalc: error: $tmp/nowhere/gpus.json: cannot read: No such file or directory" "$tmp/err.txt"
[[ -s $tmp/out.txt ]] && fail "an error printed to stdout"
# Without the data directory, the embedded copy.
rm -r "$prefix/share/leasecalc"
"$prefix/bin/leasecalc" report --wide >"$tmp/report.txt"
expect_line "file (bundled) data/scenarios/colossus1-lease.json, as of 2026-05-09, basis bf16 (dense BF16 TFLOPS relative to H100 SXM), capex sunk" "$tmp/report.txt"
# The man page is a man page.
MANWIDTH=200 man -l "$prefix/share/man/man1/leasecalc.1.gz" >"$tmp/man.txt" 2>/dev/null
grep -qE "leasecalc +- +GPU lease economics" "$tmp/man.txt" || fail "man -l does not render the page"

# --- the .deb ---
(cd "$build" && cpack -G DEB -B "$tmp/pkg" >/dev/null)
deb=$(ls "$tmp"/pkg/leasecalc_*_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libfmt9; do
  [[ $depends == *"$lib "* ]] || fail "Depends lacks $lib: $depends"
done
[[ $(dpkg-deb -f "$deb" Package) == leasecalc ]] || fail "wrong package name"
dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/contents.txt"
for f in ./usr/bin/leasecalc ./usr/share/man/man1/leasecalc.1.gz \
         ./usr/share/bash-completion/completions/leasecalc ./usr/share/doc/leasecalc/copyright \
         ./usr/share/leasecalc/gpus.json ./usr/share/leasecalc/schema/note.schema.json; do
  expect_line "$f" "$tmp/contents.txt"
done
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/leasecalc" report --wide >"$tmp/report.txt"
expect_line "file $tmp/root/usr/share/leasecalc/scenarios/colossus1-lease.json, as of 2026-05-09, basis bf16 (dense BF16 TFLOPS relative to H100 SXM), capex sunk" "$tmp/report.txt"
echo "test_install: cmake --install and the .deb ($(basename "$deb")) work"
