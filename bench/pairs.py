"""Interleaved pairs: the one way every bench/ script times a peer beside leasecalc.

  python3 bench/pairs.py header TITLE
      the table's heading: the title, then the machine (nproc, CPU model), the date
      and the commit, and the table's column names.
  python3 bench/pairs.py row [--pairs N] [--scale S] [--job J] [--peer P] PEER... ::: LC...
      runs N pairs (default 5, at least 5), the peer then leasecalc each time, every
      command's stdout to /dev/null, and prints one Markdown row: each program's median
      wall and CPU time (user + system) and its greatest peak RSS, and how many times
      faster leasecalc is, as the median of the pairs' ratios with their least and
      greatest. S scales each ratio, for a peer that does 1/S of leasecalc's work (fewer
      samples): the ratio is then per sample.
  python3 bench/pairs.py solo [--runs N] [--job J] LC...
      leasecalc alone (its memory on a grid or a sample count): the same columns, no peer.

Times come from time.perf_counter around the child and its rusage (os.wait4), so they
resolve far below GNU time's 10 ms. A pair's programs run back to back, so both meet the
same machine: a slow moment shows in both, and the ratio, not the time, is what is kept.
"""
import os
import platform
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    """(wall seconds, CPU seconds, peak RSS in KB) of one run, its stdout discarded."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(cmd, stdout=null)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"pairs: {cmd[0]} exited {child.returncode}: {' '.join(cmd)[:200]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def commit():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


COLUMNS = ("| job | peer | peer wall | peer CPU | peer RSS | leasecalc wall | leasecalc CPU "
           "| leasecalc RSS | faster, wall (min-max) | faster, CPU (min-max) |\n"
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")


def header(title):
    print(f"#### {title}\n")
    print(f"{time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores "
          f"(nproc), {cpu_model()}, leasecalc {commit()}. Medians of interleaved pairs; "
          f"RSS is the greatest of the runs.\n")
    print(COLUMNS)


def seconds(x):
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def megabytes(kb):
    return f"{kb / 1024:.0f} MB" if kb >= 10 * 1024 else f"{kb / 1024:.1f} MB"


def times(x):
    if x < 1:  # slower than the peer: two digits, not 0.0x
        return f"{x:.2g}x"
    return f"{x:.1f}x" if x < 100 else f"{x:.0f}x"


def options(args):
    opts = {"pairs": 5, "scale": 1.0, "job": "", "peer": "", "runs": 3}
    while args and args[0].startswith("--"):
        name, value = args[0][2:], args[1]
        opts[name] = type(opts[name])(value)
        args = args[2:]
    return opts, args


def row(args):
    opts, args = options(args)
    if ":::" not in args:
        sys.exit("pairs row: PEER... ::: LEASECALC...")
    cut = args.index(":::")
    peer, lc = args[:cut], args[cut + 1:]
    pairs = max(5, opts["pairs"])
    p_runs, l_runs = [], []
    for _ in range(pairs):
        p_runs.append(run_once(peer))
        l_runs.append(run_once(lc))
    scale = opts["scale"]
    wall = [p[0] / l[0] * scale for p, l in zip(p_runs, l_runs)]
    cpu = [p[1] / l[1] * scale for p, l in zip(p_runs, l_runs)]
    med = statistics.median

    def ratio(r):
        return f"{times(med(r))} ({times(min(r))}-{times(max(r))})"

    print(f"| {opts['job']} | {opts['peer']} | {seconds(med(p[0] for p in p_runs))} "
          f"| {seconds(med(p[1] for p in p_runs))} | {megabytes(max(p[2] for p in p_runs))} "
          f"| {seconds(med(l[0] for l in l_runs))} | {seconds(med(l[1] for l in l_runs))} "
          f"| {megabytes(max(l[2] for l in l_runs))} | {ratio(wall)} | {ratio(cpu)} |",
          flush=True)


def solo(args):
    opts, lc = options(args)
    runs = [run_once(lc) for _ in range(max(1, opts["runs"]))]
    med = statistics.median
    print(f"| {opts['job']} | (none) | | | | {seconds(med(r[0] for r in runs))} "
          f"| {seconds(med(r[1] for r in runs))} | {megabytes(max(r[2] for r in runs))} | | |",
          flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("header", "row", "solo"):
        sys.exit(__doc__)
    {"header": lambda a: header(" ".join(a)), "row": row, "solo": solo}[sys.argv[1]](sys.argv[2:])
