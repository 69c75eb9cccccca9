#!/bin/bash
# Two or more builds of tribute side by side on one corpus (docs/performance.md): five rounds, in
# each `perf stat -r 10` of every binary in turn, so that all meet the same load; prints the
# median and minimum over the rounds of each binary's mean wall time and CPU time (task-clock), ms.
#
# Usage: bash crates/cli/benches/peers/ab.sh DIR OLD_BINARY NEW_BINARY...
#        (DIR: a corpus folder, read with --no-builtin; `ledger --format csv` is timed)
# Needs: perf (Debian's linux-perf).
dir=$1; shift
declare -A el cpu
for r in 1 2 3 4 5; do
  for b in "$@"; do
    out=$(perf stat -r 10 -e task-clock $b --no-builtin --treaties $dir ledger --format csv 2>&1 >/dev/null)
    c=$(echo "$out" | awk '/task-clock/ {print $1}')
    s=$(echo "$out" | awk '/time elapsed/ {print $1*1000}')
    el[$b]="${el[$b]} $s"; cpu[$b]="${cpu[$b]} $c"
  done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "median %.1f min %.1f", a[int((NR+1)/2)], a[1]}'; }
for b in "$@"; do
  echo "$b: wall ms $(echo ${el[$b]} | med); cpu ms $(echo ${cpu[$b]} | med)"
done
