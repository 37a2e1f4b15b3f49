#!/bin/sh
# Ingestion benchmark, acknowledged = stored (docs/benchmarks.md): the cloud (Release, embedded MQTT broker, demo
# estate off, a fresh temp data folder for every run) under MQTT 3.1.1 QoS 1 load from the harness
# benchmarks/PropertyEba.Ingestion.Benchmarks, beside influxd 1.6 taking the same samples as raw line protocol, started
# the same way in the same run as the reference. Placements as in run-tcp-throughput.sh: "split" = server on core 0,
# load on core 1; "same" = both on core 0; plus "unpinned". Every point is run --runs times (fresh processes each,
# after a warm-up that is not counted) and the medians printed. Then the 2x overload: twice the measured 2-publisher
# rate offered for --overload-duration, the cloud's resident memory sampled every second.
#
# Usage: benchmarks/run-ingestion.sh [options]        (all figures go to stdout; raw results and logs are kept in --out)
#   --duration 20s            measured time of each loss-free point
#   --warmup 5s               load before each measured run, not counted (JIT, series creation)
#   --runs 3                  runs per point (medians)
#   --publishers "1 2 4"      publisher counts of the loss-free points
#   --placements "split same unpinned"
#   --no-influx               skip the influxd reference
#   --no-points               skip the loss-free points (then give --overload-rate)
#   --no-overload             skip the overload
#   --overload-duration 3m    --overload-runs 3    --overload-placement unpinned
#   --overload-rate R         offered samples/s (default: 2 x the median 2-publisher rate of --overload-placement)
#   --overload-variants "default"  ';'-separated cloud environments to compare, e.g.
#                             "default;DOTNET_gcServer=0;DOTNET_gcServer=1 DOTNET_GCConserveMemory=5"
#   --rss-step 30             seconds between rows of the RSS-over-time table
#   --cloud-env "VAR=V ..."   environment for every cloud process (e.g. DOTNET_gcServer=0)
#   --out DIR                 where results.txt, the RSS csv files and the logs are kept (default: a new temp folder)
# Quick check of the script: benchmarks/run-ingestion.sh --duration 5s --warmup 2s --runs 1 --overload-duration 10s
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

duration=20s warmup=5s runs=3 publishers="1 2 4" placements="split same unpinned"
influx=yes points=yes overload=yes
overload_duration=3m overload_runs=3 overload_placement=unpinned overload_rate="" overload_variants=default
rss_step=30 cloud_env="" out=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || case $1 in --no-* | -h | --help) ;; *) echo "$1 needs a value" >&2; exit 2 ;; esac
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --publishers) publishers=$2; shift 2 ;;
    --placements) placements=$2; shift 2 ;;
    --no-influx) influx=no; shift ;;
    --no-points) points=no; shift ;;
    --no-overload) overload=no; shift ;;
    --overload-duration) overload_duration=$2; shift 2 ;;
    --overload-runs) overload_runs=$2; shift 2 ;;
    --overload-placement) overload_placement=$2; shift 2 ;;
    --overload-rate) overload_rate=$2; shift 2 ;;
    --overload-variants) overload_variants=$2; shift 2 ;;
    --rss-step) rss_step=$2; shift 2 ;;
    --cloud-env) cloud_env=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
for p in $placements $overload_placement; do
  case $p in split | same | unpinned) ;; *) echo "placement $p: split, same or unpinned" >&2; exit 2 ;; esac
done

if [ -z "$out" ]; then out=$(mktemp -d /tmp/ingestion-bench.XXXXXX); fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
results=$out/results.txt
: >"$results"
work=$(mktemp -d /tmp/ingestion-bench-work.XXXXXX)
# Only the processes this script started, by their pid files.
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$influx" = yes ] && ! command -v influxd >/dev/null; then
  echo "influxd is missing: apt-get install --no-install-recommends influxdb (Debian's 1.6), or pass --no-influx" >&2
  exit 1
fi

echo "building (Release)..." >&2
dotnet build -c Release "$root/cloud/PropertyEba.Cloud" >"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2; exit 1; }
dotnet build -c Release "$here/PropertyEba.Ingestion.Benchmarks" >>"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2; exit 1; }
# Copies, so that another build of the work tree during the run does not change what is measured. (Not `-o`: one
# output folder for the cloud and its project references lets the edge's appsettings.json overwrite the cloud's.)
cp -r "$root/cloud/PropertyEba.Cloud/bin/Release/net10.0" "$work/cloud"
cp -r "$here/PropertyEba.Ingestion.Benchmarks/bin/Release/net10.0" "$work/harness"
cloud_dll=$work/cloud/PropertyEba.Cloud.dll
harness=$work/harness/PropertyEba.Ingestion.Benchmarks.dll

# Below Linux's ephemeral range (32768-60999), so that no client connection of the run can take a port meanwhile.
next_port=$((20000 + $$ % 10000))
# Sets $port to a loopback TCP port no socket uses (listening or connected).
free_port() {
  while ss -Htan "sport = :$next_port" | grep -q .; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

# "taskset -c N" for a core, nothing for "-" (unpinned)
pin() { [ "$1" = - ] || printf 'taskset -c %s' "$1"; }
cores() {
  case $1 in split) echo "0 1" ;; same) echo "0 0" ;; unpinned) echo "- -" ;; esac
}
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
median() { printf '%s\n' "$@" | grep -v '^$' | sort -n | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : "n/a")}'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
seq_n() { i=1; while [ "$i" -le "$1" ]; do echo "$i"; i=$((i + 1)); done; }

run_id=0
# No password ships: each run's cloud gets a platform operator with one generated here (upper, lower, digit, 24 hex).
operator_password="Bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')-A1"
# start_cloud CPU "ENV..." -> $cloud_pid, $api, $broker, $run_dir
start_cloud() {
  run_id=$((run_id + 1))
  run_dir=$out/run-$run_id
  mkdir -p "$run_dir"
  free_port; http_port=$port
  free_port; mqtt_port=$port
  # shellcheck disable=SC2046,SC2086
  $(pin "$1") env $cloud_env $2 dotnet "$cloud_dll" --Urls "http://127.0.0.1:$http_port" --Mqtt:Port "$mqtt_port" \
    --Mqtt:BindAddress 127.0.0.1 --Persistence:DataDirectory "$work/data-$run_id" --DemoEstate:Enabled false \
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
  # The load's company, its administrator and its site, as an operator sets them up (docs/assets.md); the harness reads
  # the counters as the operator and provisions its edges as the administrator.
  operator_token=$(token bench-operator "$operator_password")
  post "$operator_token" /api/platform/tenants '{"tenantId":"load","name":"Load"}'
  post "$operator_token" /api/platform/tenants/load/administrators "{\"userName\":\"load-admin\",\"password\":\"$operator_password\",\"roles\":[\"administrator\"]}"
  admin_token=$(token load-admin "$operator_password")
  post "$admin_token" /api/tenants/load/sites '{"siteId":"load-site","name":"Load site"}'
}

# token USER PASSWORD -> a bearer token; post TOKEN PATH JSON (fails the run on an error answer)
token() {
  curl -sf "$api/api/auth/token" -H 'content-type: application/json' -d "{\"userName\":\"$1\",\"password\":\"$2\"}" \
    | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}
post() {
  curl -sf -o /dev/null "$api$2" -H "Authorization: Bearer $1" -H 'content-type: application/json' -d "$3" \
    || { echo "POST $2 failed" >&2; exit 1; }
}

stop_cloud() {
  kill "$cloud_pid" 2>/dev/null || true
  wait "$cloud_pid" 2>/dev/null || true
  rm -f "$work/cloud.pid"
  rm -rf "$work/data-$run_id"
}

# start_influxd CPU -> $influx_pid, $influx_url, $run_dir
start_influxd() {
  run_id=$((run_id + 1))
  run_dir=$out/run-$run_id
  d=$work/influx-$run_id
  mkdir -p "$run_dir" "$d"
  free_port; rpc_port=$port
  free_port; influx_port=$port
  # The packaged defaults with the folders, both listeners on loopback, and no reporting, request log or self-monitoring.
  influxd config 2>/dev/null | sed \
    -e "s#/var/lib/influxdb/meta#$d/meta#" -e "s#/var/lib/influxdb/data#$d/data#" -e "s#/var/lib/influxdb/wal#$d/wal#" \
    -e "s#^bind-address = .*#bind-address = \"127.0.0.1:$rpc_port\"#" \
    -e "/^\[http\]/,/^\[/ s#^  bind-address = .*#  bind-address = \"127.0.0.1:$influx_port\"#" \
    -e '/^\[http\]/,/^\[/ s#^  log-enabled = true#  log-enabled = false#' \
    -e '/^\[monitor\]/,/^\[/ s#^  store-enabled = true#  store-enabled = false#' \
    -e 's#^reporting-enabled = .*#reporting-enabled = false#' -e 's#^  query-log-enabled = true#  query-log-enabled = false#' \
    >"$d/influxd.conf"
  # shellcheck disable=SC2046
  $(pin "$1") influxd run -config "$d/influxd.conf" >"$run_dir/influxd.log" 2>&1 &
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

# run_cloud PLACEMENT PUBLISHERS DURATION RATE|max "ENV..." TAG -> $line (the harness's result line, with the tags)
run_cloud() {
  set -- "$@" $(cores "$1")
  start_cloud "$7" "$5"
  rate_opt=""
  [ "$4" = max ] || rate_opt="--rate $4"
  la=$(loadavg)
  # shellcheck disable=SC2046,SC2086
  res=$($(pin "$8") dotnet "$harness" cloud --broker "$broker" --api "$api" --api-token "$operator_token" --edge-token "$admin_token" \
    --publishers "$2" --duration "$3" --warmup "$warmup" \
    $rate_opt --cloud-pid "$cloud_pid" --rss-csv "$run_dir/rss.csv" 2>"$run_dir/harness.err" | grep '^result ' || true)
  stop_cloud
  [ -n "$res" ] || { echo "harness failed, see $run_dir/harness.err:" >&2; tail -5 "$run_dir/harness.err" >&2; res="result failed=yes"; }
  line="$6 placement=$1 env=$(printf '%s' "$5" | tr ' ' ',') run_dir=run-$run_id load_avg=$la ${res#result }"
  echo "$line" >>"$results"
}

run_influx() {
  set -- "$@" $(cores "$1")
  start_influxd "$5"
  rate_opt=""
  [ "$4" = max ] || rate_opt="--rate $4"
  la=$(loadavg)
  # shellcheck disable=SC2046,SC2086
  res=$($(pin "$6") dotnet "$harness" influx --influx "$influx_url" --publishers "$2" --duration "$3" --warmup "$warmup" \
    $rate_opt --influx-pid "$influx_pid" --rss-csv "$run_dir/rss.csv" 2>"$run_dir/harness.err" | grep '^result ' || true)
  stop_influxd
  [ -n "$res" ] || { echo "harness failed, see $run_dir/harness.err:" >&2; tail -5 "$run_dir/harness.err" >&2; res="result failed=yes"; }
  line="influx placement=$1 run_dir=run-$run_id load_avg=$la ${res#result }"
  echo "$line" >>"$results"
}

# Lines of results.txt that start with TAG and carry placement= and publishers=
select_lines() { grep "^$1 placement=$2 .* publishers=$3 offered=max " "$results" || true; }
values() { printf '%s\n' "$1" | while read -r l; do [ -n "$l" ] && field "$l" "$2"; done; }
sum() { awk '{s += $1} END {print s + 0}'; }
maxv() { sort -n | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print (b > 0 && a != "n/a" ? sprintf("%.2f", a / b) : "n/a")}'; }

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory; .NET SDK $(dotnet --version); $(influxd version 2>/dev/null || echo 'no influxd')"
echo "load: MQTT 3.1.1 QoS 1, batches of 100 samples over 4,000 series, 100 in flight per publisher; $duration per point after a $warmup warm-up; $runs runs; cloud env: ${cloud_env:-none}"
echo "raw results: $results"

if [ "$points" = yes ]; then
  echo
  printf '%-9s %4s %10s %10s %10s %10s %10s %7s %12s %12s %6s %5s %7s %9s\n' \
    placement pubs "cloud r1" r2 r3 "median/s" "influxd/s" ratio acknowledged stored lost gaps refused "rss peak/last MB"
  for pl in $placements; do
    for p in $publishers; do
      for r in $(seq_n "$runs"); do
        run_cloud "$pl" "$p" "$duration" max "" cloud
        echo "  $line" >&2
        if [ "$influx" = yes ]; then run_influx "$pl" "$p" "$duration" max; echo "  $line" >&2; fi
      done
      cl=$(select_lines cloud "$pl" "$p")
      il=$(select_lines influx "$pl" "$p")
      # shellcheck disable=SC2046
      set -- $(values "$cl" acked_per_s) "" "" ""
      cm=$(median $(values "$cl" acked_per_s))
      im=$(median $(values "$il" written_per_s))
      [ "$influx" = yes ] || im=n/a
      printf '%-9s %4s %10s %10s %10s %10s %10s %7s %12s %12s %6s %5s %7s %4s/%s\n' "$pl" "$p" "${1:--}" "${2:--}" "${3:--}" "$cm" "$im" "$(ratio "$cm" "$im")" \
        "$(values "$cl" acknowledged | sum)" "$(values "$cl" stored | sum)" "$(values "$cl" lost | sum)" "$(values "$cl" gaps | sum)" \
        "$(values "$cl" refusals | sum)" "$(values "$cl" rss_peak_mb | maxv)" "$(values "$cl" rss_last_mb | maxv)"
    done
  done
fi

if [ "$overload" = yes ]; then
  if [ -z "$overload_rate" ]; then
    two=$(median $(values "$(select_lines cloud "$overload_placement" 2)" acked_per_s))
    [ "$two" != n/a ] || { echo "no 2-publisher figure for placement $overload_placement in this run: give --overload-rate" >&2; exit 2; }
    overload_rate=$((two * 2))
  fi
  echo
  echo "2x overload: 2 publishers offered $overload_rate samples/s for $overload_duration, placement $overload_placement, $overload_runs run(s) per variant"
  ifs=$IFS
  IFS=';'
  set -f
  # shellcheck disable=SC2086
  set -- $overload_variants
  set +f
  IFS=$ifs
  for variant in "$@"; do
    [ "$variant" = default ] && env_v="" || env_v=$variant
    for r in $(seq_n "$overload_runs"); do
      run_cloud "$overload_placement" 2 "$overload_duration" "$overload_rate" "$env_v" overload
      echo "  $line" >&2
      csv=$out/$(field "$line" run_dir)/rss.csv
      printf '%s\n' "variant ${env_v:-default} run $r: offered $overload_rate/s, acknowledged $(field "$line" acked_per_s)/s, acknowledged $(field "$line" acknowledged) stored $(field "$line" stored) lost $(field "$line" lost) gaps $(field "$line" gaps) refusals $(field "$line" refusals) back-pressure waits $(field "$line" back_pressure_waits); RSS first/peak/last $(field "$line" rss_first_mb)/$(field "$line" rss_peak_mb)/$(field "$line" rss_last_mb) MB"
      if [ -f "$csv" ]; then
        # RSS at every step, and the mean of the first and of the last minute (flat = no growth between them).
        awk -F, -v step="$rss_step" 'NR > 1 {
            t = $1 + 0; v = $2 + 0; if (t >= next_t) { row = row sprintf(" %ds=%.0f", t, v); next_t += step }
            if (t < 60) { a += v; na++ } last_t = t; vals[NR] = v; times[NR] = t; n = NR }
          END { for (i = 2; i <= n; i++) if (times[i] >= last_t - 60) { b += vals[i]; nb++ }
            printf "  RSS MB:%s\n  mean of the first minute %.0f MB, of the last minute %.0f MB\n", row, (na ? a / na : 0), (nb ? b / nb : 0) }' next_t=0 "$csv"
      fi
    done
  done
  if [ "$influx" = yes ]; then
    run_influx "$overload_placement" 2 "$duration" "$overload_rate"
    echo "  $line" >&2
    echo "influxd reference at the same offered rate for $duration: $(field "$line" written_per_s) samples/s written (rss peak $(field "$line" rss_peak_mb) MB)"
  fi
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); raw results and RSS csv files: $out"
