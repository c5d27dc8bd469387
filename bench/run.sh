#!/usr/bin/env bash
# Benchmarks of icscript against plain Go and the official Node SDK, in one run.
#
# Start-up: `icscript -e 1` (with a token, and --sandbox) and a one-call
# script (`await intercom.admins.identify()`), against plain Go making the
# same call (bench/gofloor -identify: the baseline), `node -e 0` and the Node
# SDK making the call (bench/node/identify.mjs), on a sandbox process without
# added latency. bench/startup runs each STARTUP_RUNS times, interleaved, and
# prints medians of wall time, peak RSS and CPU time with ratios to plain Go.
# Rows (f) are the floors of any start-up here: Go programs that do nothing
# but link one of icscript's big dependencies (bench/floor: an empty main,
# goja, esbuild's API, net/http), whose package initialisation runs at exec.
#
# Bulk updates: the same job — list the workspace's contacts, then
# update every one (5,000) with 16 requests in flight — done by
#   (a) icscript running bench/update.js (the built binary, --base-url),
#   (b) plain Go with net/http and 16 goroutines (bench/gofloor): the floor,
#   (c) the official Node SDK, intercom-client 7.x, with 16 promises (bench/node),
# against one sandbox process on 127.0.0.1 adding each of LATENCIES to every
# response (20ms, and 0ms, which shows each client's own cost). Each runs
# RUNS times, interleaved; the table has medians of wall time, peak RSS and
# CPU time, and their ratios to (b).
#
#   bash bench/run.sh                      # from the repository root
#   RUNS=5 CONTACTS=5000 LATENCIES="20ms 0ms" STARTUP_RUNS=21 bash bench/run.sh
#   RATE_LIMIT= bash bench/run.sh          # the sandbox's default rate-limit headers (see README.md)
#
# REPL: the REPL on a pseudo-terminal (BenchmarkREPL in bench/repl_test.go),
# REPL_RUNS sessions each: the time from start to the first prompt, and from
# the session's first TAB after `intercom.contacts.` to the list of its
# methods; and the page faults of a session that shows its prompt and ends.
#
# Walk: icscript walks WALK_CONTACTS (100,000) contacts with for await
# (bench/walk.js) on a sandbox without added latency: its peak RSS.
#
# ICSCRIPT_BEFORE=path/to/another/icscript adds a row "(a′)" for that
# binary (an earlier build) beside (a) in every table, measured in the same
# run: before/after ratios of a change.
#
#   git worktree add /tmp/before main && (cd /tmp/before && go build -o /tmp/icscript-before ./cmd/icscript)
#   ICSCRIPT_BEFORE=/tmp/icscript-before bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
CONTACTS=${CONTACTS:-5000}
LATENCIES=${LATENCIES:-${LATENCY:-20ms} 0ms}
STARTUP_RUNS=${STARTUP_RUNS:-15} # 0 skips start-up
REPL_RUNS=${REPL_RUNS:-15}       # 0 skips the REPL
BEFORE=${ICSCRIPT_BEFORE:-}      # another icscript binary, measured beside (a)
WALK_CONTACTS=${WALK_CONTACTS-100000} # empty skips the walk
CONCURRENCY=${CONCURRENCY:-16}
# A budget the job cannot exhaust, so that what is measured is the cost per
# call; empty means the sandbox's default headers (Intercom's 10,000/minute),
# which icscript paces to and the others ignore.
RATE_LIMIT=${RATE_LIMIT-1000000/1m}

out=bench/out
mkdir -p "$out"
echo "building…" >&2
go build -o "$out/icscript" ./cmd/icscript
go build -o "$out/gofloor" ./bench/gofloor
go build -o "$out/startup" ./bench/startup
for f in empty goja esbuild nethttp; do go build -o "$out/floor-$f" "./bench/floor/$f"; done
go test -c -o "$out/bench.test" ./bench
if [ ! -d bench/node/node_modules/intercom-client ]; then
  npm ci --prefix bench/node --no-audit --no-fund >&2
fi

# start_sandbox LATENCY: serves a sandbox of CONTACTS contacts adding
# LATENCY to every response; sets base, token and sandbox_pid.
sandbox_pid=
trap 'stop_sandbox' EXIT
stop_sandbox() {
  [ -n "$sandbox_pid" ] || return 0
  kill -TERM "$sandbox_pid" 2>/dev/null || true
  wait "$sandbox_pid" 2>/dev/null || true
  sandbox_pid=
}
start_sandbox() {
  local flags=(--addr 127.0.0.1:0 --latency "$1" --seed-contacts "$CONTACTS")
  [ -n "$RATE_LIMIT" ] && flags+=(--rate-limit "$RATE_LIMIT")
  : >"$out/sandbox.log"
  "$out/icscript" sandbox "${flags[@]}" >"$out/sandbox.log" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 300); do
    grep -q 'token:' "$out/sandbox.log" 2>/dev/null && break
    sleep 0.1
  done
  base=$(sed -n 's/.*serving Intercom API 2.10 at \(http[^ ]*\).*/\1/p' "$out/sandbox.log")
  token=$(sed -n 's/^ *token: *//p' "$out/sandbox.log")
  [ -n "$base" ] && [ -n "$token" ] || { cat "$out/sandbox.log" >&2; exit 1; }
  export INTERCOM_ACCESS_TOKEN=$token BASE_URL=$base
}

machine="$(nproc) CPUs ($(go env GOOS)/$(go env GOARCH), $(go version | awk '{print $3}'), node $(node --version))"

if [ "$STARTUP_RUNS" -gt 0 ]; then
  echo "start-up: $STARTUP_RUNS runs each" >&2
  start_sandbox 0ms
  echo "Start-up, sandbox without added latency; median of $STARTUP_RUNS runs on $machine"
  echo
  before=()
  if [ -n "$BEFORE" ]; then
    before=(-- "(a′) before: icscript -e 1" "$BEFORE" --base-url "$base" --no-audit -e 1
      -- "(a′) before: icscript --sandbox -e 1" "$BEFORE" --sandbox -e 1
      -- "(a′) before: icscript, one call" "$BEFORE" --base-url "$base" --no-audit -e "await intercom.admins.identify()")
  fi
  "$out/startup" -runs "$STARTUP_RUNS" \
    -- "(b) plain Go, one call (GET /me)" "$out/gofloor" -base-url "$base" -identify \
    -- "(f) Go, empty main" "$out/floor-empty" \
    -- "(f) Go, importing goja only" "$out/floor-goja" \
    -- "(f) Go, importing esbuild only" "$out/floor-esbuild" \
    -- "(f) Go, importing net/http only" "$out/floor-nethttp" \
    -- "(a) icscript --version (exec and package init)" "$out/icscript" --version \
    -- "(a) icscript -e 1" "$out/icscript" --base-url "$base" --no-audit -e 1 \
    -- "(a) icscript --sandbox -e 1" "$out/icscript" --sandbox -e 1 \
    -- "(a) icscript, one call (admins.identify)" "$out/icscript" --base-url "$base" --no-audit -e "await intercom.admins.identify()" \
    "${before[@]}" \
    -- "(c) node -e 0" node -e 0 \
    -- "(c) Node SDK, one call (admins.identify)" node bench/node/identify.mjs
  stop_sandbox
  echo
fi

if [ "$REPL_RUNS" -gt 0 ]; then
  echo "REPL: $REPL_RUNS runs each" >&2
  start_sandbox 0ms
  : >"$out/repl.txt"
  bins=("$(cd "$out" && pwd)/icscript")
  [ -z "$BEFORE" ] || bins+=("$(cd "$(dirname "$BEFORE")" && pwd)/$(basename "$BEFORE")")
  for _ in $(seq "$REPL_RUNS"); do # interleaved; each run a new session, so its TAB is the first
    for bin in "${bins[@]}"; do
      ICSCRIPT_BINARY=$bin "$out/bench.test" -test.run '^$' -test.bench REPL -test.benchtime 1x |
        awk -v b="$bin" '/ms\/op/ { for (i = 1; i < NF; i++) { if ($(i + 1) == "ms/op") print b, ($1 ~ /prompt/ ? "p" : "t"), $i; if ($(i + 1) == "faults/op") print b, "f", $i } }' >>"$out/repl.txt"
    done
  done
  stop_sandbox
  echo "REPL on a pseudo-terminal, sandbox without added latency; median of $REPL_RUNS runs on $machine"
  echo
  echo "| | prompt visible after start | first TAB completion (\`intercom.contacts.\` ⇥) | page faults (session to the prompt, then Ctrl-D) |"
  echo "|---|---:|---:|---:|"
  awk -v a="${bins[0]}" '
    function median(list,   n, x, i, j, t) {
      n = split(list, x, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
      return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
    }
    { v[$1, $2] = v[$1, $2] " " $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END { for (k = 1; k <= n; k++) { b = order[k]; printf "| %s | %.1f ms | %.2f ms | %.0f |\n", (b == a ? "(a) icscript" : "(a′) before: " b), median(v[b, "p"]), median(v[b, "t"]), median(v[b, "f"]) } }' "$out/repl.txt"
  echo
fi

# measure NAME CMD…: runs CMD, appends "name wall_s rss_kb cpu_s" to $out/runs.txt.
measure() {
  local name=$1; shift
  local wall rss cpu
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M %U %S' -o "$out/time.txt" "$@" >"$out/$name.out" 2>"$out/$name.err" \
      || { echo "$name failed:" >&2; cat "$out/$name.out" "$out/$name.err" >&2; exit 1; }
    read -r wall rss user sys <"$out/time.txt"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  else
    # No GNU time: poll the process's VmHWM (peak RSS) until it exits.
    local start end pid hwm=0 v
    start=$(date +%s.%N)
    "$@" >"$out/$name.out" 2>"$out/$name.err" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.02
    done
    wait "$pid" || { echo "$name failed:" >&2; cat "$out/$name.out" "$out/$name.err" >&2; exit 1; }
    end=$(date +%s.%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    rss=$hwm cpu=NA
  fi
  grep -q '"failed":0' "$out/$name.out" || { echo "$name: unexpected output:" >&2; cat "$out/$name.out" >&2; exit 1; }
  echo "$name $wall $rss $cpu" >>"$out/runs.txt"
  echo "  $name: ${wall}s, $((rss / 1024)) MiB, cpu ${cpu}s" >&2
}

for LATENCY in $LATENCIES; do
  : >"$out/runs.txt"
  echo "bulk, latency $LATENCY" >&2
  start_sandbox "$LATENCY"
  for run in $(seq "$RUNS"); do
    echo "run $run/$RUNS" >&2
    measure icscript "$out/icscript" --base-url "$base" --quiet --no-audit bench/update.js --concurrency "$CONCURRENCY"
    [ -z "$BEFORE" ] || measure before "$BEFORE" --base-url "$base" --quiet --no-audit bench/update.js --concurrency "$CONCURRENCY"
    measure gofloor "$out/gofloor" -base-url "$base" -concurrency "$CONCURRENCY"
    measure node node bench/node/update.mjs "$CONCURRENCY"
  done
  stop_sandbox

  echo "$CONTACTS updates, $CONCURRENCY in flight, sandbox with ${LATENCY} latency${RATE_LIMIT:+, --rate-limit $RATE_LIMIT}; median of $RUNS runs on $machine"
  echo
  awk '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { wall[$1] = wall[$1] " " $2; rss[$1] = rss[$1] " " $3; cpu[$1] = cpu[$1] " " $4 }
    END {
      label["icscript"] = "(a) icscript `bench/update.js`"
      label["gofloor"] = "(b) plain Go, net/http (floor)"
      label["node"] = "(c) Node SDK intercom-client 7.0.3"
      label["before"] = "(a′) before: icscript `bench/update.js`"
      bw = median(wall["gofloor"]); br = median(rss["gofloor"]); bc = median(cpu["gofloor"])
      print "| | wall time | × (b) | peak RSS | × (b) | CPU time | × (b) |"
      print "|---|---:|---:|---:|---:|---:|---:|"
      m = split(("before" in wall ? "icscript before" : "icscript") " gofloor node", order, " ")
      for (k = 1; k <= m; k++) {
        n = order[k]; w = median(wall[n]); r = median(rss[n]); c = median(cpu[n])
        printf "| %s | %.2f s | %.2f | %.1f MiB | %.2f | %s | %s |\n", label[n], w, w / bw, r / 1024, r / br,
          (c == "NA" ? "n/a" : sprintf("%.2f s", c)), (c == "NA" || bc == "NA" ? "n/a" : sprintf("%.2f", c / bc))
      }
    }' "$out/runs.txt"
  echo
done

if [ -n "$WALK_CONTACTS" ]; then
  echo "walk: $WALK_CONTACTS contacts" >&2
  CONTACTS=$WALK_CONTACTS start_sandbox 0ms
  : >"$out/runs.txt"
  measure walk "$out/icscript" --base-url "$base" --quiet --no-audit bench/walk.js
  stop_sandbox
  read -r _ wall rss cpu <"$out/runs.txt"
  echo "Walk: icscript, for await over $WALK_CONTACTS contacts (bench/walk.js), sandbox without added latency"
  echo
  echo "| | wall time | peak RSS | CPU time |"
  echo "|---|---:|---:|---:|"
  awk -v w="$wall" -v r="$rss" -v c="$cpu" 'BEGIN { printf "| icscript `bench/walk.js` | %.2f s | %.1f MiB | %s |\n", w, r / 1024, (c == "NA" ? "n/a" : c " s") }'
fi
