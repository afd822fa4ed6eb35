"""The man page and --help agree, and every --help example works when pasted.

Usage: python3 tests/test_docs.py LEASECALC_BINARY SOURCE_DIR
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import helptext

BIN = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 2 else "build/leasecalc"
ROOT = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "."
MAN = os.path.join(ROOT, "docs", "leasecalc.1")


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, check=False)


def help_text(command=None):
    return helptext.help_text(BIN, command)


def commands():
    """The subcommands the root --help lists."""
    text = help_text()
    block = text.split("Subcommands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def help_options(text):
    """Options of one --help, without -h/--help."""
    return helptext.help_options(text) - {"--help"}


def man_sections():
    """{command: man-page text of its subsection} for the COMMANDS section."""
    source = open(MAN, encoding="utf-8").read()
    commands_part = source.split(".SH COMMANDS\n", 1)[1].split("\n.SH ", 1)[0]
    out = {}
    for chunk in commands_part.split(".SS ")[1:]:
        name = chunk.split()[0].strip('"')
        out[name] = chunk
    return out


def man_options(chunk):
    # Options as written in roff: \-\-set, \-o; the shared ones are named in a sentence.
    return {o.replace("\\-", "-") for o in re.findall(r"(?<![\w\\])(?:\\-){1,2}[a-z][\w\\-]*", chunk)}


class ManPage(unittest.TestCase):
    def test_lists_every_command(self):
        self.assertEqual(sorted(man_sections()), sorted(commands()))

    def test_options_match_help(self):
        sections = man_sections()
        for command in commands():
            with self.subTest(command=command):
                self.assertEqual(man_options(sections[command]), help_options(help_text(command)))

    def test_exit_codes_match_help(self):
        source = open(MAN, encoding="utf-8").read()
        exit_part = source.split(".SH EXIT STATUS\n", 1)[1].split("\n.SH ", 1)[0]
        man_codes = re.findall(r"^\.B (\d+)$", exit_part, re.M)
        help_codes = re.findall(r"(\d) [a-z]", help_text().split("Exit codes:", 1)[1].split("\n")[0])
        self.assertEqual(man_codes, help_codes)
        self.assertEqual(man_codes, ["0", "1", "2", "3", "4"])

    def test_version_matches(self):
        source = open(MAN, encoding="utf-8").read()
        version = run("--version").stdout.strip()  # "leasecalc 0.1.0"
        self.assertIn(f'"{version}"', source.split("\n", 2)[1])

    def test_renders_without_warnings(self):
        groff = shutil.which("groff")
        self.assertIsNotNone(groff, "groff (groff-base) is needed to check the man page")
        out = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", MAN], capture_output=True,
                             text=True, check=False)
        self.assertEqual(out.returncode, 0)
        self.assertEqual(out.stderr, "")


class Help(unittest.TestCase):
    def test_every_command_has_description_defaults_and_examples(self):
        for command in commands():
            with self.subTest(command=command):
                text = help_text(command)
                self.assertTrue(text.splitlines()[0].strip(), "no description")
                examples = self.examples(text)
                self.assertGreaterEqual(len(examples), 2)
                self.assertLessEqual(len(examples), 3)
                block = text.split("Options:\n", 1)[1].split("\n\n", 1)[0]
                # Each option (continuation lines joined) shows its default, is required, or
                # is repeatable.
                entries = re.split(r"\n(?=  -)", block)
                for entry in entries:
                    if entry.strip().startswith("-h,--help"):
                        continue
                    self.assertTrue(
                        re.search(r"=\S|default|REQUIRED|\.\.\.", entry),
                        f"{command}: no default shown in: {entry.strip()}")

    @staticmethod
    def examples(text):
        block = text.split("Examples:\n", 1)[1]
        return [re.sub(r"\s+#.*", "", line).strip() for line in block.splitlines()
                if line.strip().startswith("leasecalc ")]

    def test_examples_work_when_pasted(self):
        # From a directory laid out like the source tree, so data/ and tests/ paths resolve.
        with tempfile.TemporaryDirectory() as tmp:
            for sub in ("data", "tests"):
                os.symlink(os.path.join(ROOT, sub), os.path.join(tmp, sub))
            env = dict(os.environ, PATH=os.path.dirname(BIN) + os.pathsep + os.environ["PATH"])
            for command in commands():
                for example in self.examples(help_text(command)):
                    with self.subTest(example=example):
                        out = subprocess.run(["bash", "-c", example], cwd=tmp, env=env,
                                             capture_output=True, text=True, check=False)
                        # check exits 1 when a claim fails: that is the example's point.
                        allowed = (0, 1) if " check " in f" {example} " and "--set" in example else (0,)
                        self.assertIn(out.returncode, allowed, out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
