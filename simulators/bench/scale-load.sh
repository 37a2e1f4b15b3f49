#!/usr/bin/env bash
# Measures the simulators' scale mode as a whole process: CPU and resident memory of one process
# serving ESTATES × 20 devices, idle and under Modbus polling by independent masters (mbpoll, one per
# estate, each cycling through the estate's 20 unit ids). Prints one result line per scenario, and a
# reference line for the 3-device demo estate measured in the same run.
#
#   simulators/bench/scale-load.sh [ESTATES=100] [WINDOW_SECONDS=30] [POLL_MS=100]
set -euo pipefail
ESTATES=${1:-100}
WINDOW=${2:-30}
POLL_MS=${3:-100}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT

dotnet build -c Release "$ROOT/simulators/PropertyEba.Simulators" -v q -nologo >/dev/null
DLL="$ROOT/simulators/PropertyEba.Simulators/bin/Release/net10.0/PropertyEba.Simulators.dll"
HZ=$(getconf CLK_TCK)

# measure PID LABEL: CPU % of one core and RSS over the window.
measure() {
  local pid=$1 label=$2 t0 t1 rss
  t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  sleep "$WINDOW"
  t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v w="$WINDOW" -v rss="$rss" -v l="$label" \
    'BEGIN { printf "%-58s cpu %5.1f%% of one core   rss %4d MB\n", l, (b-a)/hz/w*100, rss }'
}

start() { # start ARGS...: runs the simulator in the background, waits for its control line
  dotnet "$DLL" "$@" >"$OUT/stdout" 2>"$OUT/stderr" &
  PID=$!
  for _ in $(seq 1 200); do grep -q '^control ' "$OUT/stdout" 2>/dev/null && return; sleep 0.1; done
  echo "simulator did not start: $(cat "$OUT/stderr")" >&2; exit 1
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(dotnet --version), estates=$ESTATES window=${WINDOW}s"

start run demo
sleep 3; measure "$PID" "reference: run demo (3 devices, tick 200 ms), idle"; kill "$PID"; wait "$PID" 2>/dev/null || true

for tick in 1000 200; do
  start scale --estates "$ESTATES" --tick-ms "$tick"
  sleep 3; measure "$PID" "scale $ESTATES×20 = $((ESTATES * 20)) devices, tick $tick ms, idle"; kill "$PID"; wait "$PID" 2>/dev/null || true
done

start scale --estates "$ESTATES" --tick-ms 200
PORTS=$(grep -oE 'tcp://127\.0\.0\.1:[0-9]+' "$OUT/stdout" | cut -d: -f3)
for p in $PORTS; do
  (timeout $((WINDOW + 10)) stdbuf -oL mbpoll -m tcp -a 1:20 -r 1 -c 4 -t 4 -0 -l "$POLL_MS" -o 2 -p "$p" 127.0.0.1 2>&1 | grep -c Polling >"$OUT/mb.$p" || true) &
done
sleep 3; measure "$PID" "scale $ESTATES×20, tick 200 ms, polled by $ESTATES mbpoll"
sleep 9
awk -v w="$((WINDOW + 10))" -v n="$((ESTATES * 20))" '{s+=$1} END { printf "  requests answered: %d in %d s = %.0f/s (every device about every %.1f s)\n", s, w, s/w, n/(s/w) }' "$OUT"/mb.*
kill "$PID"; wait "$PID" 2>/dev/null || true
