#!/bin/sh
# InfluxDB engine against influxd's own write rate (docs/benchmarks.md, "InfluxDB engine against influxd's raw write
# rate"). Side by side in one run, for each placement and --runs times (fresh processes and folders each; medians):
#   raw    influxd 1.6 taking line protocol straight from the harness (benchmarks/PropertyEba.Ingestion.Benchmarks
#          `influx`): 5,000-point requests, 2 writers, --window requests in flight each;
#   store  the cloud with Telemetry:Engine=influxdb (Release, embedded MQTT broker, demo estate off) under the harness's
#          MQTT load (2 publishers, 100 samples a message, acknowledged = stored), writing into its own influxd.
# Placements: "split" = the servers (influxd, and the cloud for `store`) on core 0, the load on core 1; "same" = all
# on core 0. Both servers of `store` share a core, as they share the machine in production.
#
# Usage: benchmarks/run-influx-reference.sh [--duration 20s] [--warmup 5s] [--runs 3] [--placements "split same"]
#          [--window 1] [--ack "influxdb buffer"] [--out DIR]
#   --ack: the cloud's Telemetry:InfluxDb:AcknowledgeAfter values to measure (docs/telemetry.md): influxdb = an append
#          returns when influxd has it; buffer = when it is on disk, influxd written behind
# Quick check of the script: benchmarks/run-influx-reference.sh --duration 5s --warmup 2s --runs 1 --placements split
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

duration=20s warmup=5s runs=3 placements="split same" window=1 acks="influxdb buffer" out=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || case $1 in -h | --help) ;; *) echo "$1 needs a value" >&2; exit 2 ;; esac
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --placements) placements=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --ack) acks=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
for p in $placements; do
  case $p in split | same) ;; *) echo "placement $p: split or same" >&2; exit 2 ;; esac
done
command -v influxd >/dev/null || { echo "influxd is missing: apt-get install --no-install-recommends influxdb" >&2; exit 1; }

if [ -z "$out" ]; then out=$(mktemp -d /tmp/influx-reference.XXXXXX); fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
results=$out/results.txt
: >"$results"
work=$(mktemp -d /tmp/influx-reference-work.XXXXXX)
# Only the processes this script started, by their pid files.
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release)..." >&2
dotnet build -c Release "$root/cloud/PropertyEba.Cloud" >"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2; exit 1; }
dotnet build -c Release "$here/PropertyEba.Ingestion.Benchmarks" >>"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2; exit 1; }
cp -r "$root/cloud/PropertyEba.Cloud/bin/Release/net10.0" "$work/cloud"
cp -r "$here/PropertyEba.Ingestion.Benchmarks/bin/Release/net10.0" "$work/harness"
cloud_dll=$work/cloud/PropertyEba.Cloud.dll
harness=$work/harness/PropertyEba.Ingestion.Benchmarks.dll

next_port=$((20000 + $$ % 10000))
free_port() {
  while ss -Htan "sport = :$next_port" | grep -q .; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
median() { printf '%s\n' "$@" | grep -v '^$' | sort -n | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : "n/a")}'; }
server_core() { echo 0; }
load_core() { case $1 in split) echo 1 ;; same) echo 0 ;; esac; }

run_id=0
# start_influxd CORE -> $influx_pid, $influx_url, $run_dir (the packaged defaults with the folders and loopback listeners)
start_influxd() {
  run_id=$((run_id + 1))
  run_dir=$out/run-$run_id
  d=$work/influx-$run_id
  mkdir -p "$run_dir" "$d"
  free_port; rpc_port=$port
  free_port; influx_port=$port
  influxd config 2>/dev/null | sed \
    -e "s#/var/lib/influxdb/meta#$d/meta#" -e "s#/var/lib/influxdb/data#$d/data#" -e "s#/var/lib/influxdb/wal#$d/wal#" \
    -e "s#^bind-address = .*#bind-address = \"127.0.0.1:$rpc_port\"#" \
    -e "/^\[http\]/,/^\[/ s#^  bind-address = .*#  bind-address = \"127.0.0.1:$influx_port\"#" \
    -e '/^\[http\]/,/^\[/ s#^  log-enabled = true#  log-enabled = false#' \
    -e '/^\[monitor\]/,/^\[/ s#^  store-enabled = true#  store-enabled = false#' \
    -e 's#^reporting-enabled = .*#reporting-enabled = false#' -e 's#^  query-log-enabled = true#  query-log-enabled = false#' \
    >"$d/influxd.conf"
  taskset -c "$1" influxd run -config "$d/influxd.conf" >"$run_dir/influxd.log" 2>&1 &
  influx_pid=$!
  echo "$influx_pid" >"$work/influxd.pid"
  influx_url=http://127.0.0.1:$influx_port
  i=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$influx_url/ping")" = 204 ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$influx_pid" 2>/dev/null; then echo "influxd did not start:" >&2; tail -20 "$run_dir/influxd.log" >&2; exit 1; fi
    sleep 0.1
  done
}
stop_influxd() {
  kill "$influx_pid" 2>/dev/null || true
  wait "$influx_pid" 2>/dev/null || true
  rm -f "$work/influxd.pid"
  rm -rf "$work/influx-$run_id"
}

operator_password="Bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')-A1"
token() {
  curl -sf "$api/api/auth/token" -H 'content-type: application/json' -d "{\"userName\":\"$1\",\"password\":\"$2\"}" \
    | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}
post() {
  curl -sf -o /dev/null "$api$2" -H "Authorization: Bearer $1" -H 'content-type: application/json' -d "$3" \
    || { echo "POST $2 failed" >&2; exit 1; }
}
# start_cloud CORE ACK -> $cloud_pid, $api, $broker, tokens (into the influxd of start_influxd)
start_cloud() {
  free_port; http_port=$port
  free_port; mqtt_port=$port
  taskset -c "$1" dotnet "$cloud_dll" --Urls "http://127.0.0.1:$http_port" --Mqtt:Port "$mqtt_port" \
    --Mqtt:BindAddress 127.0.0.1 --Persistence:DataDirectory "$work/data-$run_id" --DemoEstate:Enabled false \
    --Telemetry:Engine influxdb --Telemetry:InfluxDb:Url "$influx_url" --Telemetry:InfluxDb:Database bench \
    --Telemetry:InfluxDb:AcknowledgeAfter "$2" \
    --Identity:PlatformOperator:UserName bench-operator --Identity:PlatformOperator:Password "$operator_password" \
    >"$run_dir/cloud.log" 2>&1 &
  cloud_pid=$!
  echo "$cloud_pid" >"$work/cloud.pid"
  api=http://127.0.0.1:$http_port
  broker=127.0.0.1:$mqtt_port
  i=0
  until grep -q "MQTT broker listening" "$run_dir/cloud.log" 2>/dev/null && curl -sf -o /dev/null "$api/healthz"; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 "$cloud_pid" 2>/dev/null; then echo "the cloud did not start:" >&2; tail -20 "$run_dir/cloud.log" >&2; exit 1; fi
    sleep 0.1
  done
  operator_token=$(token bench-operator "$operator_password")
  post "$operator_token" /api/platform/tenants '{"tenantId":"load","name":"Load"}'
  post "$operator_token" /api/platform/tenants/load/administrators "{\"userName\":\"load-admin\",\"password\":\"$operator_password\",\"roles\":[\"administrator\"]}"
  admin_token=$(token load-admin "$operator_password")
  post "$admin_token" /api/tenants/load/sites '{"siteId":"load-site","name":"Load site"}'
}
stop_cloud() {
  kill "$cloud_pid" 2>/dev/null || true
  wait "$cloud_pid" 2>/dev/null || true
  rm -f "$work/cloud.pid"
  rm -rf "$work/data-$run_id"
}

# run_raw PLACEMENT / run_store PLACEMENT ACK -> a line in results.txt
run_raw() {
  start_influxd "$(server_core "$1")"
  res=$(taskset -c "$(load_core "$1")" dotnet "$harness" influx --influx "$influx_url" --publishers 2 --batch 5000 \
    --window "$window" --duration "$duration" --warmup "$warmup" --influx-pid "$influx_pid" 2>"$run_dir/harness.err" | grep '^result ' || true)
  stop_influxd
  [ -n "$res" ] || { tail -5 "$run_dir/harness.err" >&2; res="result failed=yes"; }
  echo "raw placement=$1 run_dir=run-$run_id ${res#result }" >>"$results"
}
run_store() {
  start_influxd "$(server_core "$1")"
  start_cloud "$(server_core "$1")" "$2"
  res=$(taskset -c "$(load_core "$1")" dotnet "$harness" cloud --broker "$broker" --api "$api" --api-token "$operator_token" \
    --edge-token "$admin_token" --publishers 2 --duration "$duration" --warmup "$warmup" --cloud-pid "$cloud_pid" \
    2>"$run_dir/harness.err" | grep '^result ' || true)
  # Written behind, the last samples reach influxd after the load ends: wait for the outage buffer to empty and
  # count that time in, so the rate is into influxd, not onto the cloud's disk.
  t0=$(date +%s.%N) n=0
  until curl -s "$api/healthz" | grep -q '"bufferedSamples":0' || [ $n -gt 1200 ]; do n=$((n + 1)); sleep 0.1; done
  drain_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  stored=$(curl -s -G "$influx_url/query" --data-urlencode db=bench --data-urlencode 'q=SELECT COUNT("quality") FROM "telemetry"' \
    | sed -nE 's/.*"values":\[\[[^,]+,([0-9]+)\]\].*/\1/p')
  stop_cloud
  stop_influxd
  [ -n "$res" ] || { tail -5 "$run_dir/harness.err" >&2; res="result failed=yes"; }
  res=${res#result }
  into=$(awk -v n="$(field "$res" stored)" -v w="$(field "$res" store_window_s)" -v d="$drain_s" 'BEGIN {printf "%.0f", (w + d > 0 ? n / (w + d) : 0)}')
  echo "store-$2 placement=$1 run_dir=run-$run_id in_influxd=${stored:-n/a} drain_s=$drain_s into_influxd_per_s=$into $res" >>"$results"
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; .NET SDK $(dotnet --version); $(influxd version 2>/dev/null); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for pl in $placements; do
  # r, not i: the start functions count their polls in i.
  r=1
  while [ "$r" -le "$runs" ]; do
    echo "placement $pl, run $r: raw influxd" >&2; run_raw "$pl"
    for a in $acks; do echo "placement $pl, run $r: cloud into influxd, AcknowledgeAfter=$a" >&2; run_store "$pl" "$a"; done
    r=$((r + 1))
  done
done

echo
echo "| placement | AcknowledgeAfter | influxd raw, 5,000-point requests, 2 writers (samples/s) | cloud (MQTT → InfluxDB engine), 2 publishers: stored ÷ (load + drain) s | store / raw | acknowledged − stored (cloud's count) | points in influxd ≥ stored |"
echo "| --- | --- | ---: | ---: | ---: | ---: | --- |"
for pl in $placements; do
  raw=$(median $(grep "^raw placement=$pl " "$results" | while read -r l; do field "$l" written_per_s; done))
  for a in $acks; do
    store=$(median $(grep "^store-$a placement=$pl " "$results" | while read -r l; do field "$l" into_influxd_per_s; done))
    # influxd's count includes the warm-up's samples, the harness's "stored" only the measured run's.
    ok=$(grep "^store-$a placement=$pl " "$results" | while read -r l; do
      [ "$(field "$l" in_influxd)" -ge "$(field "$l" stored)" ] 2>/dev/null && echo yes || echo "no ($(field "$l" in_influxd) vs $(field "$l" stored))"; done | sort -u | tr '\n' ' ')
    lost=$(grep "^store-$a placement=$pl " "$results" | while read -r l; do field "$l" lost; done | sort -u | tr '\n' ' ')
    ratio=$(awk -v a="$store" -v b="$raw" 'BEGIN {print (b > 0 && a != "n/a" ? sprintf("%.0f %%", 100 * a / b) : "n/a")}')
    echo "| $pl | $a | $raw | $store | $ratio | $lost| $ok|"
  done
done
echo
echo "raw lines: $results"
