#!/bin/sh
# The long property run of tests/test_fuzz.py under the "fuzz" hypothesis profile
# (tests/fuzz_profiles.py: random, 1000 examples per test, rendering and CLI tests a fixed share),
# then the examples run per test, in total, and the wall time. Extra arguments go to pytest
# (e.g. -k csv, -x). A failure prints its minimal example and a reproduction blob and is kept in
# .hypothesis/, so the next run tries it first. Exit status: pytest's.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
rc=$(mktemp)
trap 'rm -f "$log" "$rc"' EXIT
start=$(date +%s)
{ python3 -m pytest -q -m fuzz --hypothesis-profile=fuzz --hypothesis-show-statistics tests/test_fuzz.py "$@"
  echo $? > "$rc"; } 2>&1 | tee "$log"
seconds=$(( $(date +%s) - start ))
python3 - "$log" "$seconds" <<'PY'
import re, sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
text = text[text.find("Hypothesis Statistics"):]
counts = {}
for block in re.split(r"^(?=tests/\S+::\S+:$)", text, flags=re.M)[1:]:
    name = block.split("::", 1)[1].split(":\n", 1)[0]
    # "1000 passing examples, 0 failing examples" (hypothesis < 6.16x) or "1000 passing, 0 failing, and
    # 38 invalid test cases" (newer)
    counts[name] = sum(int(p) + int(f) for p, f in re.findall(r"(\d+) passing(?: examples)?, (\d+) failing", block))
for name, n in counts.items():
    print(f"{n:7d}  {name}")
print(f"fuzz profile: {sum(counts.values())} examples in {len(counts)} tests, wall time {sys.argv[2]} s")
PY
exit "$(cat "$rc")"
