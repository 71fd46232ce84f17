# scripts/lib/bench.sh — helpers shared by the bench scripts (sourced, not run): the machine's
# description, input clips, supervisors in a temporary directory, N sessions submitted and
# followed with `buf curl` against N parallel `ffmpeg` processes, CPU accounting and the
# replacement of a bench's section of BENCHMARKS.md.
#
# The caller sets, before using them:
#   bench_name      prefix of every message (e.g. bench-scaling)
#   bench_tmp       its temporary directory (supervisors' sockets, state, outputs and logs go there)
#   bench_sandbox   the `sandbox` command, an array: (dotnet …/sandbox.dll) or (…/sandbox)
#   bench_pin       optional, an array prefixed to the processes measured (e.g. taskset -c 0-1)
#   buf             buf's binary (scripts/lib/buf.sh's ensure_buf sets it), for the buf helpers
# Functions die (bench_die) on what the bench cannot go on without; the run helpers return
# non-zero instead and leave the reporting to the caller.

# shellcheck shell=bash disable=SC2034,SC2154  # sourced: sets variables for its caller, reads the ones it sets
declare -gA bench_supervisor_pid=()   # NAME → pid of the supervisors bench_start_supervisor started
bench_pin=("${bench_pin[@]}")

bench_die() { echo "$bench_name: $*" >&2; exit 1; }

# bench_machine: sets bench_cpus, bench_cpu_model, bench_ram, bench_kernel, bench_ffmpeg_version,
# bench_dotnet_version, bench_load_at_start (the 1, 5 and 15 min load averages now) and
# bench_machine_line ("2 CPUs (AMD EPYC), 23.5 GiB RAM, Linux 6.18…, FFmpeg 5.1… (Debian), .NET SDK 10.0…").
bench_machine() {
  bench_cpus=$(nproc)
  bench_cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  bench_ram=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  bench_kernel=$(uname -sr)
  bench_ffmpeg_version=$(ffmpeg -hide_banner -version | awk 'NR == 1 { print $3 }')
  bench_dotnet_version=$(dotnet --version 2>/dev/null || echo "n/a")
  bench_load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  bench_machine_line="$bench_cpus CPUs ($bench_cpu_model), $bench_ram RAM, $bench_kernel, FFmpeg $bench_ffmpeg_version (Debian), .NET SDK $bench_dotnet_version"
}

# bench_warn_load: a warning on stderr when the 1 min load average is above half the CPUs.
bench_warn_load() {
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if awk -v l="${load%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "$bench_name: warning: load average $load on $(nproc) CPUs; other work will skew the timings" >&2
  fi
}

# bench_make_clip OUT FFMPEG_INPUT_ARGS…: makes OUT once (ffmpeg … ARGS OUT), cached while it exists.
# bench_input_root FILE…: copies the cached inputs into $bench_tmp/in (mode 755) and prints that
# directory, for the supervisor's --input-root. The cache lives in the checkout's .bench/, which the
# unprivileged worker user cannot reach when the checkout is private (a CI clone in a 0700 temp dir).
bench_input_root() {
  local root="$bench_tmp/in" file
  mkdir -p "$root"
  chmod 755 "$root"
  for file in "$@"; do
    cp "$file" "$root/"
    chmod 644 "$root/$(basename "$file")"
  done
  echo "$root"
}

bench_make_clip() {
  local out=$1; shift
  if [[ ! -s "$out" ]]; then
    echo "$bench_name: making input clip (once): $out" >&2
    ffmpeg -nostdin -hide_banner -v error -y "$@" "$out.tmp.mp4"
    mv "$out.tmp.mp4" "$out"
  fi
}

# bench_frames FILE: its video frames (packets of the first video stream), 0 when unreadable.
bench_frames() {
  ffprobe -v error -select_streams v:0 -count_packets -of csv=p=0 -show_entries stream=nb_read_packets "$1" 2>/dev/null || echo 0
}

# bench_check_frames FILE EXPECTED: dies unless FILE is a playable output with EXPECTED video frames.
bench_check_frames() {
  local frames
  frames=$(bench_frames "$1")
  [[ "$frames" == "$2" ]] || bench_die "output $1 has $frames video frames, expected $2"
}

# bench_stop_pid PID: SIGTERM, up to 10 s, then SIGKILL.
bench_stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# bench_stop_supervisors: stops every supervisor bench_start_supervisor started.
bench_stop_supervisors() {
  local name
  for name in "${!bench_supervisor_pid[@]}"; do
    bench_stop_pid "${bench_supervisor_pid[$name]}"
    unset "bench_supervisor_pid[$name]"
  done
}

# bench_kill_leftovers: SIGKILLs whatever still runs from $bench_tmp (workers that outlived their
# supervisor), with a warning each. For a cleanup trap, after bench_stop_supervisors.
bench_kill_leftovers() {
  local pid
  [[ -n "${bench_tmp:-}" ]] || return 0
  for pid in $(pgrep -f -- "$bench_tmp/" || true); do
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    echo "$bench_name: warning: process $pid outlived its supervisor; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# bench_start_supervisor [--cgroup PROCS] NAME INPUT_ROOT [VAR=VALUE…] [-- SERVE_OPTIONS…]
# Starts `${bench_sandbox[@]} serve` (under ${bench_pin[@]}, with the environment assignments) on
# $bench_tmp/NAME.sock, state in $bench_tmp/NAME-state, outputs under $bench_tmp/NAME-out, log in
# $bench_tmp/NAME.log, and waits (up to 30 s) until `sandbox status` answers; its pid goes to
# bench_supervisor_pid[NAME]. With --cgroup, the process joins that cgroup (its cgroup.procs file)
# before it executes the supervisor, so the workers it starts inherit it (where the supervisor
# does not move them: a v1 hierarchy it does not use, such as a separately mounted cpuacct).
bench_start_supervisor() {
  local cgroup=""
  if [[ "$1" == --cgroup ]]; then cgroup=$2; shift 2; fi
  local name=$1 input_root=$2; shift 2
  local assignments=()
  while (($# > 0)) && [[ "$1" != -- ]]; do assignments+=("$1"); shift; done
  (($# == 0)) || shift
  mkdir -p "$bench_tmp/$name-state" "$bench_tmp/$name-out"
  local launch=()
  # shellcheck disable=SC2016  # the inner shell expands its own $$ and $0
  [[ -z "$cgroup" ]] || launch=(sh -c 'echo $$ >"$0" && exec "$@"' "$cgroup")
  "${bench_pin[@]}" "${launch[@]}" env "${assignments[@]}" "${bench_sandbox[@]}" serve --socket "$bench_tmp/$name.sock" \
    --state-dir "$bench_tmp/$name-state" --input-root "$input_root" --output-root "$bench_tmp/$name-out" "$@" \
    </dev/null >"$bench_tmp/$name.log" 2>&1 &
  bench_supervisor_pid[$name]=$!
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "${bench_supervisor_pid[$name]}" 2>/dev/null || { cat "$bench_tmp/$name.log" >&2; bench_die "supervisor $name exited at start-up"; }
    if [[ -S "$bench_tmp/$name.sock" ]] &&
        "${bench_sandbox[@]}" status --socket "$bench_tmp/$name.sock" --json >"$bench_tmp/$name.status.json" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  cat "$bench_tmp/$name.log" >&2
  bench_die "supervisor $name did not answer within 30 s"
}

# bench_wait_idle NAME [SECONDS]: waits (default up to 30 s) until supervisor NAME runs no session
# and its warm pool is full again (GetStatus: workers = warmWorkers ≥ warmTarget); non-zero if not.
# Its last GetStatus answer stays in $bench_tmp/NAME.status.json.
bench_wait_idle() {
  local name=$1 seconds=${2:-30} i
  for ((i = 0; i < seconds * 10; i++)); do
    if "${bench_sandbox[@]}" status --socket "$bench_tmp/$name.sock" --json >"$bench_tmp/$name.status.json" 2>/dev/null && python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
workers, warm, target = int(s.get("workers", 0)), int(s.get("warmWorkers", 0)), int(s.get("warmTarget", 0))
sys.exit(0 if workers == warm and warm >= target else 1)' "$bench_tmp/$name.status.json"; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# bench_proc_cpu PID: "OWN CHILDREN" CPU seconds of PID from /proc/PID/stat (utime+stime,
# cutime+cstime: the children it has reaped).
bench_proc_cpu() {
  awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f %.3f\n", ($12 + $13) / t, ($14 + $15) / t }' "/proc/$1/stat"
}

# bench_cpuacct_root NAME: when this host has a cgroup v1 cpuacct hierarchy of its own (not
# co-mounted with cpu, which the supervisor's v1 driver moves its workers into), makes the group
# NAME under this process's own cpuacct group and sets bench_cpuacct to it; else sets it empty. Sets
# bench_cpuacct_note either way (how CPU time is counted, or why it is not).
bench_cpuacct_root() {
  bench_cpuacct=""
  local mount
  mount=$(awk '$3 == "cgroup" && $2 == "/sys/fs/cgroup/cpuacct" { print $4 }' /proc/mounts)
  if [[ -z "$mount" ]]; then
    bench_cpuacct_note="no cgroup v1 cpuacct hierarchy on this host (cgroup v2 moves the workers out of any group of the bench's), so the sandbox side's CPU time is not counted"
  elif [[ ",$mount," == *,cpu,* ]]; then
    bench_cpuacct_note="cpuacct is co-mounted with cpu, whose cgroups the supervisor moves its workers into, so the sandbox side's CPU time is not counted"
  else
    # Under the caller's own group (scripts/bench counts its benches' CPU in its group, children included).
    local parent
    parent=$(awk -F: '$2 == "cpuacct" { print $3 }' /proc/self/cgroup)
    if ! mkdir -p "/sys/fs/cgroup/cpuacct${parent%/}/$1" 2>/dev/null; then
      bench_cpuacct_note="cannot make a cgroup in /sys/fs/cgroup/cpuacct (not root?), so the sandbox side's CPU time is not counted"
      return 0
    fi
    bench_cpuacct="/sys/fs/cgroup/cpuacct${parent%/}/$1"
    bench_cpuacct_note="a cgroup v1 cpuacct group per supervisor, joined before it starts (the supervisor uses only memory, pids, cpu and devices, so its workers stay in it): supervisor + workers (+ bubblewrap), \`cpuacct.usage\`"
  fi
}

# bench_cpuacct_usage DIR: CPU seconds used so far by the tasks of cgroup DIR (and its children).
bench_cpuacct_usage() {
  awk '{ printf "%.3f\n", $1 / 1e9 }' "$1/cpuacct.usage"
}

# bench_cpuacct_remove: removes bench_cpuacct and the groups under it (once their tasks are gone).
bench_cpuacct_remove() {
  [[ -n "${bench_cpuacct:-}" && -d "$bench_cpuacct" ]] || return 0
  local dir i
  for ((i = 0; i < 50; i++)); do
    for dir in "$bench_cpuacct"/*/; do [[ -d "$dir" ]] && rmdir "$dir" 2>/dev/null; done
    rmdir "$bench_cpuacct" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$bench_name: warning: could not remove $bench_cpuacct (tasks still in it?)" >&2
}

# bench_buf_schema: buf curl's schema, a descriptor image of the public API built once into
# $bench_tmp, so the clients make no reflection calls. Sets bench_buf_schema (buf curl options, an
# array; empty when `buf build` failed: then buf curl asks the server's reflection) and
# bench_buf_schema_note (Markdown, for the report).
bench_buf_schema() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  bench_buf_schema=()
  bench_buf_schema_note="schema from a descriptor image built once with \`buf build protos --path protos/sandbox/v1\` (\`--schema\`, so no reflection calls)"
  if "$buf" build "$root/protos" --path "$root/protos/sandbox/v1" -o "$bench_tmp/sandbox-v1.binpb" </dev/null >"$bench_tmp/buf-build.log" 2>&1 &&
      [[ -s "$bench_tmp/sandbox-v1.binpb" ]]; then
    bench_buf_schema=(--schema "$bench_tmp/sandbox-v1.binpb")
  else
    echo "$bench_name: warning: buf build of protos/ failed; buf curl will use server reflection: $(head -n 3 "$bench_tmp/buf-build.log")" >&2
    bench_buf_schema_note="schema from the supervisor's server reflection on every call (\`buf build\` of protos/ failed)"
  fi
}

# bench_run_buf_sessions SOCKET INPUT OUT_DIR N REQUEST TIME_FILE
# GNU time (`%e %U %S %M` into TIME_FILE, under ${bench_pin[@]}) over a shell that submits N
# sessions with `buf curl … Sessions/Submit`, one after another (REQUEST: a JSON SubmitRequest
# whose @IN@ and @OUT@ become INPUT and OUT_DIR/sI.mp4), then follows each with a `buf curl …
# Sessions/Watch` (from sequence 1) in the background and waits until every stream has ended: the
# wall time from the first Submit to the last event, and the clients' CPU (shell + buf).
# OUT_DIR/sI.json gets session I's Submit answer, then its events; OUT_DIR/sI.err buf's stderr.
# Returns non-zero when a call failed (bench_dump_sessions shows what they said).
bench_run_buf_sessions() {
  local socket=$1 input=$2 out=$3 n=$4 request=$5 timing=$6
  rm -f "$out"/s*.mp4 "$out"/s*.json "$out"/s*.err
  # shellcheck disable=SC2016  # the inner script expands its own positional arguments
  "${bench_pin[@]}" /usr/bin/time -f '%e %U %S %M' -o "$timing" bash -c '
      buf=$1; socket=$2; input=$3; out=$4; n=$5; request=$6; shift 6   # "$@": the schema options
      rpc=("$buf" curl --protocol grpc --http2-prior-knowledge --unix-socket "$socket" "$@")
      ids=()
      for ((i = 1; i <= n; i++)); do
        body=${request//@IN@/$input}; body=${body//@OUT@/$out/s$i.mp4}
        "${rpc[@]}" -d @- http://localhost/sandbox.v1.Sessions/Submit <<<"$body" >"$out/s$i.json" 2>"$out/s$i.err" || exit 1
        [[ $(<"$out/s$i.json") =~ \"id\":\ *\"([^\"]+)\" ]] || exit 1
        ids+=("${BASH_REMATCH[1]}")
      done
      for ((i = 1; i <= n; i++)); do
        "${rpc[@]}" -d "{\"session_id\": \"${ids[i - 1]}\", \"from_sequence\": 1}" \
          http://localhost/sandbox.v1.Sessions/Watch </dev/null >>"$out/s$i.json" 2>>"$out/s$i.err" &
      done
      status=0; for job in $(jobs -p); do wait "$job" || status=1; done; exit $status' \
    sessions "$buf" "$socket" "$input" "$out" "$n" "$request" "${bench_buf_schema[@]}"
}

# bench_dump_sessions OUT_DIR N: what the N sessions' buf curl calls answered, on stderr.
bench_dump_sessions() {
  local i
  for ((i = 1; i <= $2; i++)); do
    [[ -e "$1/s$i.json" ]] || continue
    echo "--- session $i:" >&2; cat "$1/s$i.json" "$1/s$i.err" >&2
  done
}

# bench_session_times FILE: from a Session (the Submit answer) followed by its events — `sandbox
# submit --watch --json` output (JSON lines) or buf curl's Submit + Watch answers (indented JSON
# documents, one after another) — prints "created queued starting running ended" (ns since the
# epoch, all stamped by the supervisor). Fails unless the session completed.
bench_session_times() {
  python3 - "$1" <<'PY'
import datetime, json, sys

def ns(stamp):
    # RFC 3339 "2026-11-23T22:36:17.443197400Z", up to 9 fractional digits.
    whole, _, frac = stamp.rstrip("Z").partition(".")
    seconds = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc).timestamp()
    return int(seconds) * 10**9 + int((frac + "000000000")[:9])

def documents(text):
    decoder, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return out
        value, i = decoder.raw_decode(text, i)
        out.append(value)

docs = documents(open(sys.argv[1]).read())
if not docs:
    sys.exit("no answer")
session, events = docs[0], docs[1:]
times = {}
for e in sorted(events, key=lambda e: int(e["sequence"])):
    state = e.get("stateChanged", {}).get("state")
    if state and state not in times:
        times[state] = ns(e["time"])
final = next((s for s in ("SESSION_STATE_COMPLETED", "SESSION_STATE_FAILED", "SESSION_STATE_CANCELLED") if s in times), None)
if final != "SESSION_STATE_COMPLETED" or "SESSION_STATE_RUNNING" not in times:
    sys.exit(f"session {session.get('id')} did not complete: states {sorted(times)}")
print(ns(session["createdAt"]), times["SESSION_STATE_QUEUED"], times["SESSION_STATE_STARTING"],
      times["SESSION_STATE_RUNNING"], times[final])
PY
}

# bench_run_ffmpeg_parallel [--each] INPUT OUT_DIR N TIME_FILE FFMPEG_OPTIONS…
# GNU time (`%e %U %S %M` into TIME_FILE, under ${bench_pin[@]}) over a shell that starts N
# `ffmpeg -nostdin -y -v error -i INPUT FFMPEG_OPTIONS… OUT_DIR/fI.mp4` at once and waits for them
# (wall time, and their CPU time: the shell's children). With --each, every ffmpeg runs under its
# own GNU time too (`%e` into OUT_DIR/fI.time: each process's wall time). Returns non-zero when one
# failed (their stderr is in OUT_DIR/fI.log).
bench_run_ffmpeg_parallel() {
  local each=0
  if [[ "$1" == --each ]]; then each=1; shift; fi
  local input=$1 out=$2 n=$3 timing=$4; shift 4
  mkdir -p "$out"; rm -f "$out"/f*.mp4 "$out"/f*.time
  # shellcheck disable=SC2016  # the inner script expands its own positional arguments
  "${bench_pin[@]}" /usr/bin/time -f '%e %U %S %M' -o "$timing" bash -c '
      input=$1; out=$2; n=$3; each=$4; shift 4
      for ((i = 1; i <= n; i++)); do
        timer=(); ((each)) && timer=(/usr/bin/time -f %e -o "$out/f$i.time")
        "${timer[@]}" ffmpeg -nostdin -y -v error -i "$input" "$@" "$out/f$i.mp4" </dev/null >"$out/f$i.log" 2>&1 &
      done
      status=0; for job in $(jobs -p); do wait "$job" || status=1; done; exit $status' \
    ffmpeg "$input" "$out" "$n" "$each" "$@"
}

# bench_write_section NAME REPORT_FILE: replaces NAME's section of BENCHMARKS.md (between
# <!-- NAME:start --> and <!-- NAME:end -->) with REPORT_FILE, or appends it when it has none;
# makes BENCHMARKS.md with its header when it does not exist.
bench_write_section() {
  local name=$1 report=$2 root benchmarks section
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  benchmarks="$root/BENCHMARKS.md"
  if [[ ! -f "$benchmarks" ]]; then
    cat >"$benchmarks" <<'HEADER'
# Benchmarks

Each section is generated by a script in `scripts/` and replaced as a whole, between its
`<!-- NAME:start -->` / `<!-- NAME:end -->` markers, when that script runs with `--write`.
Change the script, not the section. Every section names its machine and exact command.
HEADER
  fi
  section=$(mktemp)
  { echo "<!-- $name:start -->"; cat "$report"; echo "<!-- $name:end -->"; } >"$section"
  if grep -q "^<!-- $name:start -->\$" "$benchmarks"; then
    awk -v section="$section" -v start="<!-- $name:start -->" -v end="<!-- $name:end -->" '
      $0 == start { while ((getline line < section) > 0) print line; skip = 1; next }
      $0 == end { skip = 0; next }
      !skip' "$benchmarks" >"$benchmarks.tmp"
  else
    { cat "$benchmarks"; echo; cat "$section"; } >"$benchmarks.tmp"
  fi
  mv "$benchmarks.tmp" "$benchmarks"
  rm -f "$section"
  echo "$bench_name: updated $benchmarks" >&2
}
