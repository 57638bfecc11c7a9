"""Bring your own attacker: average the per-question DP count over fresh sessions.

A budget per session limits nothing when a new session is free. This asks `within500 ask` the
same question once per session, opening a new session each time, and compares the average with
the exact count the deployed list gives. Synthetic data only.

    python3 docs/examples/average_sessions.py [path/to/within500]
"""
import json
import subprocess
import sys

CLI = sys.argv[1] if len(sys.argv) > 1 else "target/release/within500"
HERE = {"lat": 38.04, "lng": 114.51, "radius": 500}


def session(*args):
    return subprocess.Popen([CLI, "ask", "--seed", "7", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def ask(proc, line):
    proc.stdin.write(json.dumps(line) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


dp = session("--design", "dp-session", "--epsilon", "1", "--epsilon-budget", "1")
counts = []
for _ in range(400):
    counts.append(ask(dp, HERE)["answer"]["noisy_count"])
    ask(dp, {"new_session": True})
exact = ask(session("--design", "exposed"), HERE)["answer"]["count"]
print(f"one session: {counts[0]}; mean of {len(counts)} sessions: {sum(counts) / len(counts):.2f}; exact: {exact}")
