"""What leasecalc's --help says, for the documentation and completion tests."""

import re
import subprocess


def help_text(binary, command=None):
    """The --help of leasecalc, or of one command."""
    out = subprocess.run([binary, *([command] if command else []), "--help"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


def help_options(text):
    """The long and short options a --help lists, without -h."""
    block = text.split("Options:\n", 1)[1].split("\n\n", 1)[0]
    names = set()
    for line in block.splitlines():
        m = re.match(r"\s{2}(-[\w-]+(?:,--[\w-]+)?)", line)
        if m:
            names.update(m.group(1).split(","))
    return names - {"-h"}
