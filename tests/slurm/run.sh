#!/usr/bin/env bash
# Real Slurm test of `spofsim simulate --shard` + `spofsim merge` (docs/SHARDING.md).
#
# Starts a throw-away one-node Slurm cluster on this machine (munged, slurmctld, slurmd,
# all as root, all state in a temp dir, on free non-default ports with their own munge
# socket, so an existing Slurm or munge installation is neither used nor disturbed),
# runs the 4-shard simulation as an array job (`sbatch --array=0-3 --wait`), merges the
# shards and checks the merged report is byte-identical to the single run.
# Every process it started is stopped and the temp dir removed on exit, even on failure.
#
# Usage (as root, Debian/Ubuntu):  tests/slurm/run.sh
#   SPOFSIM=/path/to/spofsim   binary to test (default: target/release/spofsim, built
#                              with `cargo build --release` if missing)
#   SLURM_TEST_TIMEOUT=120     seconds allowed for the array job
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
export DEBIAN_FRONTEND=noninteractive

SCENARIO=scenarios/shop-two-tier.jsonc
SIM_ARGS=(--years 200 --replications 40 --seed 7)
SHARDS=4
JOB_TIMEOUT=${SLURM_TEST_TIMEOUT:-120}

say() { printf '[slurm-test %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[slurm-test] FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and runs the Slurm daemons as root)"

# --- the binary under test --------------------------------------------------------------
if [ -z "${SPOFSIM:-}" ]; then
  SPOFSIM=$REPO/target/release/spofsim
  if [ ! -x "$SPOFSIM" ]; then
    say "building $SPOFSIM (cargo build --release)"
    cargo build --release
  fi
fi
[ -x "$SPOFSIM" ] || die "spofsim binary not found or not executable: $SPOFSIM"
SPOFSIM=$(readlink -f "$SPOFSIM")

# --- packages ---------------------------------------------------------------------------
missing=0
for c in slurmctld slurmd sbatch sinfo squeue scancel munged; do
  command -v "$c" >/dev/null || missing=1
done
if [ "$missing" -eq 1 ]; then
  say "installing slurm-wlm and munge"
  # Keep the packages' init scripts from starting the system daemons (no slurm.conf yet):
  # a temporary policy-rc.d, only if there is none.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  rc=0
  { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; } || rc=$?
  if [ "$made_policy" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$rc" -eq 0 ] || die "apt-get install slurm-wlm munge failed (exit $rc)"
fi

# --- temp dir, cleanup ------------------------------------------------------------------
W=$(mktemp -d /tmp/spofsim-slurm.XXXXXX)
chmod 755 "$W"
# Every daemon, job step and job process started here carries this variable in its
# environment, so cleanup can find (and only find) our processes, including slurmstepd
# and job processes that outlive slurmd.
MARK="SPOFSIM_SLURM_TEST=$W"
DAEMON_PIDS=()   # in start order: munged, slurmctld, slurmd

our_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ]; then continue; fi
    grep -qzxF "$MARK" "/proc/$p/environ" 2>/dev/null && echo "$p"
  done
  return 0
}

wait_gone() { # wait_gone SECONDS PID... -> 0 when all are gone
  local end=$((SECONDS + $1)) p alive
  shift
  while :; do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return 0
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.2
  done
}

cleanup() {
  local rc=$? i p
  local -a pids
  set +e
  trap - EXIT INT TERM
  if [ -n "${SLURM_CONF:-}" ] && [ "${#DAEMON_PIDS[@]}" -ge 2 ]; then
    timeout 10 scancel --quiet --user=root >/dev/null 2>&1
  fi
  # slurmd, then slurmctld (munged last: Slurm talks to it while shutting down)
  for ((i = ${#DAEMON_PIDS[@]} - 1; i >= 1; i--)); do
    p=${DAEMON_PIDS[i]}
    kill -TERM "$p" 2>/dev/null && { wait_gone 15 "$p" || kill -KILL "$p" 2>/dev/null; }
  done
  # Job steps (slurmstepd) and job processes that outlived slurmd
  mapfile -t pids < <(our_pids)
  if [ "${#pids[@]}" -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null
    wait_gone 5 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null
  fi
  if [ "${#DAEMON_PIDS[@]}" -ge 1 ]; then
    p=${DAEMON_PIDS[0]}
    kill -TERM "$p" 2>/dev/null && { wait_gone 10 "$p" || kill -KILL "$p" 2>/dev/null; }
  fi
  mapfile -t pids < <(our_pids)
  if [ "${#pids[@]}" -gt 0 ]; then
    kill -KILL "${pids[@]}" 2>/dev/null
    wait_gone 5 "${pids[@]}"
  fi
  wait 2>/dev/null
  mapfile -t pids < <(our_pids)
  [ "${#pids[@]}" -eq 0 ] || echo "[slurm-test] WARNING: processes still running: ${pids[*]}" >&2
  rm -rf "$W"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  local f
  for f in "$W"/log/*; do
    [ -s "$f" ] || continue
    printf '\n----- %s (last 40 lines) -----\n' "${f#"$W"/}" >&2
    tail -n 40 "$f" >&2
  done
  return 0
}

mkdir -p "$W"/{etc,log,munge,state,spool,out}
chmod 755 "$W/munge"

# --- munge ------------------------------------------------------------------------------
KEY=$W/munge/munge.key
if command -v mungekey >/dev/null; then
  mungekey --create --keyfile="$KEY"
else
  dd if=/dev/urandom of="$KEY" bs=1024 count=1 status=none
fi
chmod 600 "$KEY"
SOCK=$W/munge/munge.socket
say "starting munged"
env "$MARK" munged --foreground --force --socket="$SOCK" --key-file="$KEY" \
  --pid-file="$W/munge/munged.pid" --log-file="$W/log/munged.log" \
  --seed-file="$W/munge/munged.seed" >>"$W/log/munged.stderr" 2>&1 &
DAEMON_PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
if [ ! -S "$SOCK" ]; then show_logs; die "munged did not create its socket $SOCK"; fi

# --- slurm.conf -------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
free_port() { # first free port from $1 upward, skipping $2 (if given)
  local p
  for ((p = $1; p < $1 + 200; p++)); do
    [ "$p" != "${2:-}" ] && port_free "$p" && { echo "$p"; return 0; }
  done
  die "no free TCP port in $1-$(($1 + 199))"
}
CTLD_PORT=$(free_port 16817)
SLURMD_PORT=$(free_port 16818 "$CTLD_PORT")
HOST=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ { m = int($2 / 1024 / 2); print (m < 1 ? 1 : m) }' /proc/meminfo)
: >"$W/etc/plugstack.conf"
export SLURM_CONF=$W/etc/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=spofsimtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$W/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
# Purge finished jobs after 16 s: short enough that \`sbatch --wait\` polls every 8 s
# (it sleeps 2 s, then 4x longer while below MinJobAge/2), long enough that it sees them.
MinJobAge=16
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# --- slurmctld, slurmd ------------------------------------------------------------------
say "starting slurmctld (port $CTLD_PORT) and slurmd (port $SLURMD_PORT) on node $HOST, $CPUS CPUs"
env "$MARK" SLURM_CONF="$SLURM_CONF" slurmctld -D -i -f "$SLURM_CONF" >>"$W/log/slurmctld.stderr" 2>&1 &
DAEMON_PIDS+=($!)
env "$MARK" SLURM_CONF="$SLURM_CONF" slurmd -D -f "$SLURM_CONF" >>"$W/log/slurmd.stderr" 2>&1 &
DAEMON_PIDS+=($!)

state=""
for _ in $(seq 120); do # up to 60 s
  state=$(timeout 5 sinfo -h -n "$HOST" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  for p in "${DAEMON_PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null || { show_logs; die "a Slurm daemon (pid $p) exited during start-up"; }
  done
  sleep 0.5
done
if [ "$state" != idle ]; then
  show_logs
  timeout 5 sinfo -N -l >&2 || true
  die "node $HOST not idle after 60 s (state: '${state:-no answer}')"
fi
say "node $HOST is idle"

# --- the array job ----------------------------------------------------------------------
OUT=$W/out
cat >"$W/job.sh" <<EOF
#!/bin/bash
set -euo pipefail
exec "$SPOFSIM" simulate $SCENARIO ${SIM_ARGS[*]} --quiet \\
  --threads "\${SLURM_CPUS_PER_TASK:-1}" \\
  --shard "\$SLURM_ARRAY_TASK_ID/$SHARDS" --output "$OUT/shard-\$SLURM_ARRAY_TASK_ID.json"
EOF
chmod 755 "$W/job.sh"

say "sbatch --array=0-$((SHARDS - 1)) --wait (timeout ${JOB_TIMEOUT}s)"
# In the background + `wait`, so that a signal to this script runs the cleanup at once
# (bash defers traps until a foreground command ends).
env "$MARK" timeout "$JOB_TIMEOUT" sbatch --array=0-$((SHARDS - 1)) --wait --cpus-per-task=1 \
  --job-name=spofsim-shards --chdir="$REPO" --output="$W/log/job-%A_%a.out" \
  "$W/job.sh" &
rc=0
wait $! || rc=$?
if [ "$rc" -ne 0 ]; then
  timeout 5 squeue -a >&2 || true
  show_logs
  [ "$rc" -eq 124 ] && die "array job not finished after ${JOB_TIMEOUT}s"
  die "array job failed (sbatch exit $rc)"
fi
for ((i = 0; i < SHARDS; i++)); do
  [ -s "$OUT/shard-$i.json" ] || { show_logs; die "shard $i missing: $OUT/shard-$i.json"; }
done

# --- merge and compare ------------------------------------------------------------------
say "merging $SHARDS shards, running the single run"
"$SPOFSIM" merge "$OUT"/shard-*.json --format json >"$OUT/merged.json"
"$SPOFSIM" simulate "$SCENARIO" "${SIM_ARGS[@]}" --quiet --format json >"$OUT/single.json"
echo "merged.json: $(wc -c <"$OUT/merged.json") bytes; single.json: $(wc -c <"$OUT/single.json") bytes"
cmp "$OUT/merged.json" "$OUT/single.json" || die "merged report differs from the single run"
echo identical
say "PASS"
