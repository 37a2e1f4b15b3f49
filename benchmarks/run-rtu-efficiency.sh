#!/bin/sh
# RTU efficiency: our master reading 10 holding registers from a slave that paces its bytes at the line
# rate, over a socat pseudo-terminal pair, against the specification's limit for the line settings.
# Usage: benchmarks/run-rtu-efficiency.sh [seconds per run, default 10]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-10}
work=$(mktemp -d)
trap 'kill $(cat "$work/socat.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build -c Release "$here/PropertyEba.Modbus.Benchmarks" -o "$work/net" >/dev/null
socat pty,raw,echo=0,link="$work/a" pty,raw,echo=0,link="$work/b" & echo $! >"$work/socat.pid"
while [ ! -e "$work/a" ] || [ ! -e "$work/b" ]; do sleep 0.1; done
for line in "9600 E" "19200 E" "38400 E" "115200 E"; do
  set -- $line
  dotnet "$work/net/PropertyEba.Modbus.Benchmarks.dll" rtu "$work/a" "$work/b" "$1" "$2" "$seconds"
done
