"""Runs every command of docs/tutorial.md and compares its output with what the tutorial
shows, so that the tutorial cannot rot.

In the tutorial:
- a ```console block holds commands ("$ " lines; a trailing backslash continues one) each
  followed by its output (standard output and standard error, as a terminal shows them);
- "<!-- write: NAME -->" before a ```json block saves that block as NAME first;
- an image ![...](NAME.svg) must be what the commands wrote to NAME.svg, byte for byte,
  and the copy beside the tutorial (docs/NAME.svg) must be the same.

Commands run in order, in a scratch directory laid out like the source tree (data/ and
tests/ are there), with the binary under test first on PATH.

Usage: python3 tests/test_tutorial.py LEASECALC_BINARY SOURCE_DIR [--update]
  --update rewrites the tutorial's outputs and images from a fresh run; review the diff.
"""

import os
import re
import subprocess
import sys
import tempfile

UPDATE = "--update" in sys.argv
args = [a for a in sys.argv[1:] if a != "--update"]
BIN = os.path.abspath(args[0])
ROOT = os.path.abspath(args[1])
TUTORIAL = os.path.join(ROOT, "docs", "tutorial.md")


def parse(lines):
    """Yields ("write", name, text), ("run", command, expected, (first, last)) and
    ("image", name) in document order; (first, last) are the output's line numbers."""
    i = 0
    pending_write = None
    while i < len(lines):
        line = lines[i]
        m = re.match(r"<!-- write: (\S+) -->", line)
        if m:
            pending_write = m.group(1)
        for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.svg)\)", line):
            yield ("image", image)
        if line.startswith("```json") and pending_write:
            end = lines.index("```", i + 1)
            yield ("write", pending_write, "\n".join(lines[i + 1:end]) + "\n")
            pending_write = None
            i = end + 1
            continue
        if line.startswith("```console"):
            end = lines.index("```", i + 1)
            j = i + 1
            while j < end:
                if not lines[j].startswith("$ "):
                    raise SystemExit(f"{TUTORIAL}:{j + 1}: expected a '$ ' command line")
                command = lines[j][2:]
                while command.endswith("\\"):
                    j += 1
                    command += "\n" + lines[j]
                j += 1
                first = j
                while j < end and not lines[j].startswith("$ "):
                    j += 1
                yield ("run", command, lines[first:j], (first, j))
            i = end + 1
            continue
        i += 1


def main():
    lines = open(TUTORIAL, encoding="utf-8").read().split("\n")
    failures = []
    replacements = []  # (first, last, new lines), for --update
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sub in ("data", "tests"):
            os.symlink(os.path.join(ROOT, sub), os.path.join(tmp, sub))
        env = dict(os.environ, PATH=os.path.dirname(BIN) + os.pathsep + os.environ["PATH"])
        env.pop("NO_COLOR", None)
        for item in parse(lines):
            if item[0] == "write":
                with open(os.path.join(tmp, item[1]), "w", encoding="utf-8") as f:
                    f.write(item[2])
            elif item[0] == "run":
                _, command, expected, (first, last) = item
                runs += 1
                out = subprocess.run(["bash", "-c", command], cwd=tmp, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     check=False)
                got = out.stdout.rstrip("\n").split("\n") if out.stdout.strip() else []
                # A blank line separates a command's output from the next command.
                shown = expected[:-1] if expected and expected[-1] == "" else expected
                if out.returncode != 0:
                    failures.append(f"line {first}: `{command}` exited {out.returncode}:\n"
                                    + out.stdout)
                elif got != shown:
                    failures.append(f"line {first}: `{command}` printed:\n" + "\n".join(got)
                                    + "\n--- but the tutorial shows:\n" + "\n".join(shown))
                blank = [""] if got and last < len(lines) and lines[last].startswith("$ ") else []
                replacements.append((first, last, got + blank))
            elif item[0] == "image":
                name = item[1]
                made = os.path.join(tmp, name)
                kept = os.path.join(ROOT, "docs", name)
                if not os.path.exists(made):
                    failures.append(f"{name}: no command of the tutorial writes it")
                    continue
                new = open(made, "rb").read()
                if UPDATE:
                    with open(kept, "wb") as f:
                        f.write(new)
                elif not os.path.exists(kept) or open(kept, "rb").read() != new:
                    failures.append(f"docs/{name} differs from what the tutorial's commands write")
    if UPDATE:
        for first, last, new in reversed(replacements):
            lines[first:last] = new
        with open(TUTORIAL, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"updated {TUTORIAL} from {runs} commands")
        return 0
    for failure in failures:
        print(f"{TUTORIAL}: {failure}\n", file=sys.stderr)
    print(f"{runs} commands run, {len(failures)} differences")
    return 1 if failures or runs < 10 else 0


if __name__ == "__main__":
    sys.exit(main())
