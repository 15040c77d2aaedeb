#!/usr/bin/env bash
# The host twin judged against the host (docs/experiments.md, "The host twin"), ROUNDS times back to back: each round
# measures the host and writes its twin, runs the twin's experiments on sim and on pinned (--idle=spin), and sets the
# two side by side. Each round's files go to out/host-twin/roundK/; its report is out/host-twin/roundK/twin/report.md.
# Run it with nothing else on the machine; the spread between rounds is part of the result.
#
#   scripts/host-twin.sh [ROUNDS (default 3)] [BUDGET_MS for skb measure (default 3000)]
set -euo pipefail

rounds="${1:-3}"
budget="${2:-3000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./flotilla --version >/dev/null   # builds the distribution if needed, before anything is timed

twin=experiments/twin
for k in $(seq 1 "$rounds"); do
  d="out/host-twin/round$k"
  rm -rf "$d"
  mkdir -p "$d"
  ./flotilla skb measure --budget-ms "$budget" --write-topo "$d/host-twin.topo" > "$d/measure.txt"
  # The experiment files name out/host-twin.topo: this round's twin.
  cp "$d/host-twin.topo" out/host-twin.topo
  for p in sim pinned; do
    ./flotilla experiment run "$twin/twin-table2-urpc.yaml" "$twin/twin-tlb-shootdown.yaml" \
        "$twin/twin-unmap.yaml" --platform "$p" --idle=spin --out "$d/twin-$p" > "$d/run-$p.txt" 2>&1 \
        || echo "round $k: the $p run failed (exit $?): $(tail -1 "$d/run-$p.txt")" >&2
  done
  ./flotilla experiment compare "$d/twin-sim" "$d/twin-pinned" --out "$d/twin" > /dev/null || continue
  echo "== round $k (load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
  grep -E '^(measured|pipelined|% pipelined|message cpu|kernel crossings|message round trip|interrupt round trip)' "$d/measure.txt"
  grep -E '^(## |Across)' "$d/twin/report.md"
done
