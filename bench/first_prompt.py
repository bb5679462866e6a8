#!/usr/bin/env python3
"""Time from starting `recbook` on a pseudo-terminal to its first prompt.

Usage: python3 bench/first_prompt.py [--bin .build/release/recbook] [--runs 20]
Prints one JSON line with the median and the 90th percentile in milliseconds.
"""
import argparse, json, os, pty, select, statistics, time

def once(binary):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, HOME="/tmp/recbook-first-prompt", NO_COLOR="1", TERM="xterm")
        os.makedirs(env["HOME"], exist_ok=True)
        os.execve(binary, [binary], env)
    seen = b""
    while b"recbook>" not in seen:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            raise SystemExit("no prompt within 5 s")
        seen += os.read(fd, 4096)
    elapsed = time.perf_counter() - start
    os.write(fd, b"\x04")  # Ctrl-D
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed * 1000

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/recbook")
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    times = sorted(once(a.bin) for _ in range(a.runs))
    print(json.dumps({"bench": "first-prompt", "runs": a.runs, "median_ms": round(statistics.median(times), 2),
                      "p90_ms": round(times[int(len(times) * 0.9) - 1], 2), "load": os.getloadavg()[0]}))

if __name__ == "__main__":
    main()
