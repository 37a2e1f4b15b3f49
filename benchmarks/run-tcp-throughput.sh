#!/bin/sh
# Modbus TCP loopback throughput: our master and our slave beside libmodbus (and pymodbus's client), with
# both processes pinned by taskset in two placements (same core; one core each), median of 3 runs.
# Usage: benchmarks/run-tcp-throughput.sh [seconds per run, default 5] [quiet|busy: a CPU-bound process on each core]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-5}
load=${2:-quiet}
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

"$here/libmodbus-reference/build.sh" "$work/c" >/dev/null
dotnet build -c Release "$here/PropertyEba.Modbus.Benchmarks" -o "$work/net" >/dev/null
harness="$work/net/PropertyEba.Modbus.Benchmarks.dll"
port=15500

# run <server cpu> <client cpu> <server: c|ours> <client: c|ours|py> <registers> -> prints the tx/s of one run
run() {
  port=$((port + 1))
  case $3 in
    c) taskset -c "$1" "$work/c/modbus_ref_server" tcp "$port" >"$work/server.log" 2>&1 & ;;
    ours) taskset -c "$1" dotnet "$harness" slave "$port" </dev/null >"$work/server.log" 2>&1 & ;;
  esac
  echo $! >"$work/server.pid"
  i=0
  until grep -q ready "$work/server.log" 2>/dev/null; do i=$((i + 1)); [ $i -lt 300 ] || { echo "server did not start" >&2; exit 1; }; sleep 0.1; done
  sleep 0.2
  out=""
  case $4 in
    c) out=$(taskset -c "$2" "$work/c/modbus_ref_client" 127.0.0.1 "$port" bench "$5" "$seconds" || true) ;;
    ours) out=$(taskset -c "$2" dotnet "$harness" master 127.0.0.1 "$port" "$5" "$seconds" || true) ;;
    py) out=$(taskset -c "$2" /usr/bin/python3 "$here/pymodbus_bench.py" 127.0.0.1 "$port" "$5" "$seconds" || true) ;;
  esac
  kill "$(cat "$work/server.pid")"; wait "$(cat "$work/server.pid")" 2>/dev/null || true
  echo "$out" | awk '/tx\/s/ {v = $2} END {print (v == "" ? "fail" : v)}'
}

median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -n | sed -n 2p; }

# "busy": a CPU-bound process on each core for the whole run, as when other work shares an edge box.
if [ "$load" = busy ]; then
  taskset -c 0 yes >/dev/null & echo $! >"$work/busy0.pid"
  taskset -c 1 yes >/dev/null & echo $! >"$work/busy1.pid"
fi
echo "load: $load; load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(dotnet --version); $(pkg-config --modversion libmodbus) libmodbus"
printf '%-9s %-9s %-44s %8s %8s %8s %8s\n' placement registers "client -> server" run1 run2 run3 median
for placement in "same 0 0" "split 0 1"; do
  set -- $placement
  name=$1 scpu=$2 ccpu=$3
  for registers in 10 125; do
    for pair in "c c libmodbus-client->libmodbus-server" "c ours our-master->libmodbus-server" \
                "c py pymodbus-client->libmodbus-server" "ours c libmodbus-client->our-slave"; do
      set -- $pair
      a=$(run "$scpu" "$ccpu" "$1" "$2" "$registers"); b=$(run "$scpu" "$ccpu" "$1" "$2" "$registers"); c=$(run "$scpu" "$ccpu" "$1" "$2" "$registers")
      printf '%-9s %-9s %-44s %8s %8s %8s %8s\n' "$name" "$registers" "$3" "$a" "$b" "$c" "$(median3 "$a" "$b" "$c")"
    done
  done
done
echo "load average at end: $(cut -d" " -f1-3 /proc/loadavg)"
