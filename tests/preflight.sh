#!/usr/bin/env bash
# Uses every prerequisite of the test suite once, the way the tests use it, before anything is built:
# an installed package is not yet a working one (a module that its package only recommends, a PYTHONPATH
# that shadows it, a missing /dev/pts, a broken font setup). tests/run.sh runs it after installing
# tests/apt-packages.txt and stops at once when it fails. Run it alone with: bash tests/preflight.sh
#
# Each failure is one line:  preflight: <what failed> — install Debian package <pkg> (<short reason>)
# and the last line says how many failed. Exit status 0 when all passed, 1 otherwise.
#
# Every check runs in the environment the tests get (run.sh's, PYTHONPATH included), is bounded by a
# timeout, listens on 127.0.0.1 only, and works in one temp folder that is removed at the end.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/propertyeba-preflight-XXXXXX")
started=()
cleanup() {
  local pid
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

problems=0
# problem WHAT PACKAGE [REASON]: one line per failure, naming the Debian package that brings the thing back.
problem() {
  local reason=${3:-}
  reason=${reason//$'\n'/ }
  printf 'preflight: %s — install Debian package %s%s\n' "$1" "$2" "${reason:+ (${reason:0:300})}"
  problems=$((problems + 1))
}

# program NAME [CANDIDATES...]: the path the tests' Prerequisite.Program would find (candidates first, then
# /usr/bin, /usr/sbin, /usr/local/bin, then PATH), or nothing.
program() {
  local name=$1 path dir
  shift
  for path in "$@" "/usr/bin/$name" "/usr/sbin/$name" "/usr/local/bin/$name"; do
    [ -f "$path" ] && { echo "$path"; return 0; }
  done
  local IFS=:
  for dir in ${PATH:-}; do
    [ -n "$dir" ] && [ -f "$dir/$name" ] && { echo "$dir/$name"; return 0; }
  done
  return 1
}

# free_port: a loopback TCP port nobody listens on (nothing answers a connect to it).
free_port() {
  local port _
  for _ in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# wait_for_tcp PORT SECONDS: until something accepts connections on 127.0.0.1:PORT.
wait_for_tcp() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# last_line FILE: the last non-empty line of a program's output, for the reason in brackets.
last_line() { grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1; }

# --- the checks: one function per prerequisite -----------------------------------------------------------

# The python the tests run (/usr/bin/python3, see Prerequisite.DebianPython) imports what the tests import:
# the modules they check for, and every top-level import line of the scripts they start (tests/**/*.py).
# It runs a script file from an empty folder, as ServerProcess does, so that the folder adds nothing to
# sys.path, and with this environment, so that a PYTHONPATH that shadows pymodbus fails here as it would there.
declare -A python_module_package=(
  [pymodbus]=python3-pymodbus [serial]=python3-serial [serial_asyncio]=python3-serial-asyncio
  [aiosmtpd]=python3-aiosmtpd [typer]=python3-typer
)
check_debian_python() {
  local python=/usr/bin/python3
  if [ ! -x "$python" ]; then
    problem "Debian's $python, which the pymodbus tests run, is missing" python3
    return
  fi
  local statements=(
    "import serial" "import serial_asyncio"
    "import pymodbus.client" "import pymodbus.server" "import pymodbus.datastore"
  )
  local line
  while IFS= read -r line; do
    statements+=("$line")
  done < <(find tests -name '*.py' -not -path '*/bin/*' -not -path '*/obj/*' -exec grep -hE '^(import|from) [A-Za-z_]' {} + \
             | sed -e 's/[[:space:]]*#.*//' | sort -u)
  cat >"$work/imports.py" <<'EOF'
import sys, traceback
for statement in sys.argv[1:]:
    try:
        exec(statement, {})
    except BaseException as e:  # a shadowing module may raise anything
        reason = traceback.format_exception_only(type(e), e)[-1].strip()
        frames = traceback.extract_tb(e.__traceback__)
        where = frames[-1].filename if frames and frames[-1].filename != "<string>" else ""
        missing = e.name if isinstance(e, ModuleNotFoundError) and e.name else ""
        print(f"{statement}\x1f{missing}\x1f{reason}\x1f{where}", flush=True)
EOF
  local out
  out=$(cd "$work" && timeout 60 "$python" "$work/imports.py" "${statements[@]}" 2>&1)
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    problem "$python could not run an import check (exit $rc)" python3 "$(tail -n 1 <<<"$out")"
    return
  fi
  local statement missing reason where package top seen=" " context=""
  [ -n "${PYTHONPATH:-}" ] && context="; PYTHONPATH=$PYTHONPATH"
  # Fields apart by \x1f, not a tab: read would merge the two tabs around an empty field.
  while IFS=$'\x1f' read -r statement missing reason where; do
    [ -z "$statement" ] && continue
    top=${missing%%.*}
    if [ -z "$top" ]; then
      top=${statement#* }
      top=${top%% *}
      top=${top%%.*}
    fi
    package=${python_module_package[$top]:-python3-$top}
    # One line per package: a missing serial_asyncio breaks pymodbus.client and pymodbus.server alike.
    [[ "$seen" == *" $package "* ]] && continue
    seen+="$package "
    problem "$python cannot '$statement'" "$package" "$reason${where:+ in $where}$context"
  done <<<"$out"
}

# mosquitto as the tests start it (own config, loopback port, `user root` since the tests run as root),
# then one MQTT 3.1.1 round trip on a raw socket: connect, subscribe, publish, receive it back.
check_mosquitto() {
  local mosquitto port
  mosquitto=$(program mosquitto /usr/sbin/mosquitto) || { problem "mosquitto is not installed" mosquitto; return; }
  port=$(free_port) || { problem "no free loopback port for mosquitto" mosquitto; return; }
  mkdir -p "$work/mosquitto"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\nlog_dest stdout\n' "$port" >"$work/mosquitto/mosquitto.conf"
  timeout 30 "$mosquitto" -c "$work/mosquitto/mosquitto.conf" >"$work/mosquitto/log" 2>&1 &
  started+=($!)
  if ! wait_for_tcp "$port" 10; then
    problem "mosquitto did not listen on 127.0.0.1:$port within 10 s" mosquitto "$(last_line "$work/mosquitto/log")"
    return
  fi
  local got
  got=$(
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    # CONNECT (client id "pf"), SUBSCRIBE pf/t QoS 0, PUBLISH "ok" on pf/t.
    printf '\x10\x0e\x00\x04MQTT\x04\x02\x00\x3c\x00\x02pf' >&3
    printf '\x82\x09\x00\x01\x00\x04pf/t\x00' >&3
    printf '\x30\x08\x00\x04pf/tok' >&3
    timeout 5 head -c 19 <&3 | od -An -v -tx1 | tr -d ' \n'
    printf '\xe0\x00' >&3
  )
  # CONNACK accepted, SUBACK granted QoS 0, then our own PUBLISH back.
  local want
  want=20020000900300010030080004$(printf 'pf/tok' | od -An -v -tx1 | tr -d ' \n')
  if [ "$got" != "$want" ]; then
    problem "mosquitto on 127.0.0.1:$port did not complete connect/subscribe/publish (got '${got:-nothing}')" mosquitto "$(last_line "$work/mosquitto/log")"
  fi
}

# socat makes the pseudo-terminal pair the RTU tests run over, and a byte written on one end comes out the
# other (this needs a working /dev/pts, which a bare chroot lacks).
check_socat() {
  local socat
  socat=$(program socat) || { problem "socat is not installed" socat; return; }
  timeout 10 "$socat" -V >/dev/null 2>&1 || { problem "socat -V failed" socat; return; }
  mkdir -p "$work/pty"
  timeout 20 "$socat" -d -d "pty,raw,echo=0,link=$work/pty/a" "pty,raw,echo=0,link=$work/pty/b" >"$work/pty/log" 2>&1 &
  started+=($!)
  local deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)) && ! { [ -e "$work/pty/a" ] && [ -e "$work/pty/b" ]; }; do sleep 0.1; done
  if ! { [ -e "$work/pty/a" ] && [ -e "$work/pty/b" ]; }; then
    problem "socat made no pseudo-terminal pair within 10 s" socat "$(last_line "$work/pty/log")"
    return
  fi
  timeout 5 head -c 4 "$work/pty/b" >"$work/pty/got" 2>&1 &
  local reader=$!
  sleep 0.2
  printf 'ping' >"$work/pty/a"
  wait "$reader"
  [ "$(cat "$work/pty/got")" = ping ] || problem "bytes written on one end of socat's pty pair did not come out of the other" socat "$(cat "$work/pty/got")"
}

check_mbpoll() {
  local mbpoll
  mbpoll=$(program mbpoll) || { problem "mbpoll is not installed" mbpoll; return; }
  timeout 10 "$mbpoll" -h >"$work/mbpoll.log" 2>&1 || problem "mbpoll -h failed" mbpoll "$(last_line "$work/mbpoll.log")"
}

# Chromium as Playwright starts it (headless, no sandbox as root, no GPU) renders a page with Chinese text.
check_chromium() {
  local chromium
  chromium=$(program chromium /usr/bin/chromium) || { problem "chromium is not installed" chromium; return; }
  mkdir -p "$work/chromium"
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/chromium/profile" \
    --dump-dom 'data:text/html;charset=utf-8,<p id=preflight>ok 中文</p>' >"$work/chromium/dom" 2>"$work/chromium/log"
  local rc=$?
  grep -q 'id="preflight"' "$work/chromium/dom" \
    || problem "chromium --headless --dump-dom did not render a page (exit $rc)" chromium "$(grep -v dbus "$work/chromium/log" | last_line /dev/stdin)"
}

# The dashboard's default language is zh-CN: without a CJK font the screenshots show boxes.
check_cjk_font() {
  command -v fc-list >/dev/null || { problem "fc-list (fontconfig) is missing, so no font can be found" fonts-wqy-zenhei; return; }
  [ -n "$(timeout 30 fc-list :lang=zh family 2>/dev/null)" ] || problem "no font with Chinese glyphs (fc-list :lang=zh is empty)" fonts-wqy-zenhei
}

# The libmodbus reference programs build as the tests build them (benchmarks/libmodbus-reference/build.sh,
# into a temp folder), and the reference client runs its checks against the reference server.
check_libmodbus_reference() {
  program gcc >/dev/null || { problem "gcc is not installed" gcc; return; }
  program pkg-config >/dev/null || { problem "pkg-config is not installed" pkg-config; return; }
  local lib="$work/libmodbus"
  mkdir -p "$lib"
  printf '#include <stdio.h>\nint main(void) { return puts("ok") < 0; }\n' >"$lib/hello.c"
  if ! timeout 60 gcc -o "$lib/hello" "$lib/hello.c" >"$lib/log" 2>&1; then
    problem "gcc cannot build a C program that includes <stdio.h>" libc6-dev "$(last_line "$lib/log")"
    return
  fi
  timeout 10 pkg-config --exists libmodbus || { problem "pkg-config does not know libmodbus" libmodbus-dev; return; }
  if ! timeout 120 sh "$root/benchmarks/libmodbus-reference/build.sh" "$lib/out" >"$lib/log" 2>&1; then
    problem "building benchmarks/libmodbus-reference failed" libmodbus-dev "$(last_line "$lib/log")"
    return
  fi
  local port
  port=$(free_port) || { problem "no free loopback port for the libmodbus reference server" libmodbus-dev; return; }
  timeout 30 "$lib/out/modbus_ref_server" tcp "$port" >"$lib/server.log" 2>&1 &
  started+=($!)
  if ! wait_for_tcp "$port" 10; then
    problem "the libmodbus reference server did not listen on 127.0.0.1:$port" libmodbus-dev "$(last_line "$lib/server.log")"
    return
  fi
  timeout 20 "$lib/out/modbus_ref_client" 127.0.0.1 "$port" check >"$lib/client.log" 2>&1 \
    || problem "the libmodbus reference client's check against the reference server failed" libmodbus-dev "$(last_line "$lib/client.log")"
}

# PostgreSQL as PostgresServer starts it: a cluster made by initdb in a temp folder (as the postgres user the
# package creates, since initdb and postgres refuse to run as root), postgres on a free loopback port with its
# socket in that folder, one `SELECT 1` over TCP with psql, then a fast stop with pg_ctl.
check_postgresql() {
  local bin="" dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    [ -x "$dir/initdb" ] && { bin=$dir; break; }
  done
  [ -n "$bin" ] || { problem "initdb is not installed (no /usr/lib/postgresql/*/bin/initdb)" postgresql; return; }
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    local runuser
    runuser=$(program runuser /usr/sbin/runuser /sbin/runuser) || { problem "runuser is not installed, so postgres cannot run as its own user" util-linux; return; }
    id -u postgres >/dev/null 2>&1 || { problem "there is no postgres user (the package's postinst creates it)" postgresql; return; }
    as=("$runuser" -u postgres --)
    # The postgres user must reach its folder under $work (traverse only) and own the folder it writes.
    chmod o+x "$work"
  fi
  local pg="$work/postgres" port
  mkdir -p "$pg"
  chmod 777 "$pg"
  if ! timeout 120 "${as[@]}" "$bin/initdb" -D "$pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$pg/initdb.log" 2>&1; then
    problem "initdb could not create a cluster in a temp folder" postgresql "$(last_line "$pg/initdb.log")"
    return
  fi
  port=$(free_port) || { problem "no free loopback port for postgres" postgresql; return; }
  "${as[@]}" timeout 60 "$bin/postgres" -D "$pg/data" -p "$port" -k "$pg/data" -c listen_addresses=127.0.0.1 -c fsync=off >"$pg/log" 2>&1 &
  started+=($!)
  local psql=$bin/psql got="" deadline=$((SECONDS + 20))
  [ -x "$psql" ] || { problem "psql is not installed ($psql)" postgresql-client-15; return; }
  while ((SECONDS < deadline)); do
    got=$(timeout 10 "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc 'SELECT 1' 2>>"$pg/psql.log") && break
    sleep 0.2
  done
  if [ "$got" != 1 ]; then
    problem "postgres on 127.0.0.1:$port did not answer SELECT 1 within 20 s" postgresql "$(last_line "$pg/log")"
  fi
  timeout 30 "${as[@]}" "$bin/pg_ctl" -D "$pg/data" -m fast -w stop >"$pg/stop.log" 2>&1 \
    || problem "pg_ctl could not stop postgres" postgresql "$(last_line "$pg/stop.log")"
}

# influxd as InfluxServer starts it: a generated config in a temp folder (meta, data and WAL there, usage reporting
# off, HTTP and the RPC service on free loopback ports), /ping until 204, then one point written with /write and
# read back with /query, then SIGTERM.
check_influxdb() {
  local influxd port rpc dir="$work/influxdb"
  influxd=$(program influxd /usr/bin/influxd) || { problem "influxd is not installed" influxdb; return; }
  command -v curl >/dev/null || { problem "curl is not installed (the influxdb check talks HTTP with it)" curl; return; }
  port=$(free_port) || { problem "no free loopback port for influxd" influxdb; return; }
  rpc=$(free_port) || { problem "no free loopback port for influxd's RPC service" influxdb; return; }
  mkdir -p "$dir"
  printf 'reporting-disabled = true\nbind-address = "127.0.0.1:%s"\n[meta]\n  dir = "%s/meta"\n[data]\n  dir = "%s/data"\n  wal-dir = "%s/wal"\n[http]\n  bind-address = "127.0.0.1:%s"\n  log-enabled = false\n[monitor]\n  store-enabled = false\n' \
    "$rpc" "$dir" "$dir" "$dir" "$port" >"$dir/influxdb.conf"
  timeout 60 "$influxd" run -config "$dir/influxdb.conf" >"$dir/log" 2>&1 &
  local pid=$!
  started+=($pid)
  local code="" deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ping" 2>/dev/null) && [ "$code" = 204 ] && break
    sleep 0.2
  done
  if [ "$code" != 204 ]; then
    problem "influxd on 127.0.0.1:$port did not answer /ping with 204 within 30 s" influxdb "$(last_line "$dir/log")"
    return
  fi
  local got
  curl -s -XPOST "http://127.0.0.1:$port/query" --data-urlencode 'q=CREATE DATABASE preflight' >/dev/null
  curl -s -XPOST "http://127.0.0.1:$port/write?db=preflight&precision=ms" --data-binary 'telemetry,tenant=pf value=42.5 1700000000000' >"$dir/write.log" 2>&1
  got=$(curl -s -G "http://127.0.0.1:$port/query" --data-urlencode 'db=preflight' --data-urlencode 'epoch=ms' --data-urlencode 'q=SELECT "value" FROM "telemetry"' 2>&1)
  if [[ "$got" != *'[1700000000000,42.5]'* ]]; then
    problem "influxd did not return the point it was sent (got '${got:-nothing}')" influxdb "$(cat "$dir/write.log")"
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# aiosmtpd as the notification tests start it (tests/PropertyEba.Testing/SmtpSink.cs): Debian's python3 -m aiosmtpd
# on a loopback port with the folder handler tests/PropertyEba.Testing/smtp_sink.py, then one mail sent through it
# with smtplib, which must arrive in the folder.
check_aiosmtpd() {
  local python=/usr/bin/python3 port
  [ -x "$python" ] || { problem "Debian's $python, which runs aiosmtpd, is missing" python3; return; }
  port=$(free_port) || { problem "no free loopback port for aiosmtpd" python3-aiosmtpd; return; }
  mkdir -p "$work/smtp"
  PYTHONPATH="$PWD/tests/PropertyEba.Testing" timeout 30 "$python" -m aiosmtpd -n -l "127.0.0.1:$port" \
    -c smtp_sink.FolderHandler "$work/smtp/mail" >"$work/smtp/log" 2>&1 &
  started+=($!)
  if ! wait_for_tcp "$port" 10; then
    problem "aiosmtpd did not listen on 127.0.0.1:$port within 10 s" python3-aiosmtpd "$(last_line "$work/smtp/log")"
    return
  fi
  local out
  out=$(timeout 20 "$python" -c '
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10) as s:
    s.sendmail("preflight@propertyeba.local", ["check@propertyeba.local"], "Subject: preflight\r\n\r\nok\r\n")
' "$port" 2>&1) || { problem "could not send a mail through aiosmtpd on 127.0.0.1:$port" python3-aiosmtpd "$(tail -n 1 <<<"$out")"; return; }
  if ! grep -qs "X-Envelope-To: check@propertyeba.local" "$work"/smtp/mail/*.eml; then
    problem "aiosmtpd accepted a mail but smtp_sink.py wrote no message to its folder" python3-aiosmtpd "$(last_line "$work/smtp/log")"
  fi
}

# --- later prerequisites ------------------------------------------------------------------------------------
# When a test starts a new server (postgres, influxd, redis-server, python3 -m aiosmtpd...), add its package to
# tests/apt-packages.txt, a check_ function here that starts it as the test does (ARCHITECTURE.md, "Real
# components": temp folder, loopback port, as root) and makes one real request, and a line in CHECKS below
# naming what it covers. The coverage check at the end fails until that is done.

# --- the table -----------------------------------------------------------------------------------------------
# check function               what it covers: the names the tests pass to Prerequisite.Program and
#                              Prerequisite.DebianPython (tests/PropertyEba.Testing/Prerequisite.cs)
CHECKS=(
  "check_debian_python         python3 pymodbus serial serial_asyncio"
  "check_mosquitto             mosquitto"
  "check_postgresql            initdb psql runuser"
  "check_influxdb              influxd"
  "check_socat                 socat"
  "check_mbpoll                mbpoll"
  "check_chromium              chromium"
  "check_cjk_font"
  "check_libmodbus_reference   gcc pkg-config sh"
  "check_aiosmtpd              aiosmtpd"
)

# Every program or python module the tests ask for must be used by a check above, so a new prerequisite
# cannot slip past the preflight (and past a fresh machine) unnoticed.
check_coverage() {
  local covered=" " entry name package
  for entry in "${CHECKS[@]}"; do
    covered+="$(cut -s -d' ' -f2- <<<"$entry" | xargs) "
  done
  while IFS=$'\t' read -r name package; do
    [[ "$covered" == *" $name "* ]] && continue
    printf "preflight: the tests use '%s' (Debian package %s) and no check in tests/preflight.sh does — add one, and the package to tests/apt-packages.txt\n" "$name" "$package"
    problems=$((problems + 1))
  done < <(grep -rhoE --include='*.cs' 'Prerequisite\.(Program|DebianPython)\("[^"]+", *"[^"]+"' tests \
             | sed -E 's/.*\("([^"]+)", *"([^"]+)"/\1\t\2/' | sort -u)
}

began=$SECONDS
for entry in "${CHECKS[@]}"; do
  read -r fn _ <<<"$entry"
  "$fn"
done
check_coverage

if ((problems)); then
  echo "preflight failed: $problems problem(s); no test was run"
  exit 1
fi
echo "preflight: ${#CHECKS[@]} prerequisites used and working ($((SECONDS - began)) s)"
