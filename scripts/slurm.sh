#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, for ccbisect's [executor] type = "slurm" and its
# tests: `scripts/slurm.sh start|stop|status`.
#
#   start   installs slurm-wlm and munge if missing, writes /etc/slurm/slurm.conf for this machine
#           (one node, its CPUs, half its memory), creates the munge key, starts munged, slurmctld and
#           slurmd, and waits until `sinfo` shows the node idle. Does nothing to daemons already up.
#   stop    stops the three daemons this script started (by their pid files).
#   status  prints `sinfo`; exit 0 if the node takes jobs (idle, mixed or allocated), 1 otherwise.
#
# No cgroups: containers often cannot delegate them (gVisor, unprivileged Docker), so processes are
# tracked by their parent (proctrack/linuxproc) and tasks are not confined (task/none). The daemons
# run as root (SlurmUser=root), which spares a spool owned by the slurm user. A slurm.conf that this
# script did not write is left alone: the cluster it describes is used as it is (see README,
# "Running trials on a SLURM cluster"), unless CCBISECT_SLURM_FORCE=1.
# Run as root on Debian 12 (or with sudo).
set -euo pipefail

conf_dir=/etc/slurm
conf="$conf_dir/slurm.conf"
marker="# written by ccbisect scripts/slurm.sh"
state=/var/lib/ccbisect-slurm  # spools, logs and pid files
node="$(hostname -s)"
cpus="${CCBISECT_SLURM_CPUS:-$(nproc)}"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

say() { echo "slurm.sh: $*" >&2; }

install_packages() {
  local missing=()
  for p in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >&2
  fi
}

# A process whose pid is in $1 is running.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf" && [ "${CCBISECT_SLURM_FORCE:-0}" != 1 ]; then
    say "$conf was not written by this script: using the cluster it describes (CCBISECT_SLURM_FORCE=1 replaces it)"
    return
  fi
  # Half of the memory, in MB, so that slurmd never finds less than the configuration promises.
  local memory
  memory=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 2048))
  "${sudo_cmd[@]}" mkdir -p "$conf_dir" "$state"/{slurmctld,slurmd,log}
  "${sudo_cmd[@]}" tee "$conf.new" >/dev/null <<EOF
$marker for host $node
ClusterName=ccbisect
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/slurmctld
SlurmdSpoolDir=$state/slurmd
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if ! cmp -s "$conf.new" "$conf" 2>/dev/null; then
    "${sudo_cmd[@]}" mv "$conf.new" "$conf"
  else
    "${sudo_cmd[@]}" rm -f "$conf.new"
  fi
}

start_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating the munge key"
    "${sudo_cmd[@]}" mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
      "${sudo_cmd[@]}" mungekey --create --force
    else
      "${sudo_cmd[@]}" dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
  fi
  "${sudo_cmd[@]}" chown munge:munge /etc/munge /etc/munge/munge.key
  "${sudo_cmd[@]}" chmod 0700 /etc/munge
  "${sudo_cmd[@]}" chmod 0400 /etc/munge/munge.key
  "${sudo_cmd[@]}" mkdir -p /run/munge /var/lib/munge /var/log/munge
  "${sudo_cmd[@]}" chown munge:munge /run/munge /var/lib/munge /var/log/munge
  "${sudo_cmd[@]}" chmod 0755 /run/munge
  if alive /run/munge/munged.pid && munge -n </dev/null | unmunge >/dev/null 2>&1; then
    return
  fi
  say "starting munged"
  "${sudo_cmd[@]}" rm -f /run/munge/munged.pid
  "${sudo_cmd[@]}" runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do
    munge -n </dev/null | unmunge >/dev/null 2>&1 && return
    sleep 0.2
  done
  say "munged does not answer (see /var/log/munge/munged.log)"
  exit 1
}

# The node's state as sinfo shows it ("idle", "down*", "mix", …), or nothing if slurmctld is not up.
node_state() { sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n1 || true; }

start() {
  install_packages
  write_conf
  start_munge
  if grep -qF "$marker" "$conf"; then
    if ! alive "$state/slurmctld.pid"; then
      say "starting slurmctld"
      "${sudo_cmd[@]}" slurmctld
    fi
    if ! alive "$state/slurmd.pid"; then
      say "starting slurmd"
      "${sudo_cmd[@]}" slurmd
    fi
  fi
  local s=""
  for i in $(seq 120); do
    s="$(node_state)"
    case "$s" in
      idle | mixed | allocated | completing) break ;;
      down* | drain* | fail*)
        # A node back after a stop is down until told otherwise.
        [ $((i % 5)) -eq 0 ] && "${sudo_cmd[@]}" scontrol update nodename="$node" state=resume 2>/dev/null || true
        ;;
    esac
    sleep 0.5
  done
  case "$s" in
    idle | mixed | allocated | completing) ;;
    *)
      say "the node $node is '${s:-unknown}', not idle, after 60 s (logs: $state/log/)"
      sinfo >&2 || true
      exit 1
      ;;
  esac
  say "cluster up: node $node is $s ($cpus CPUs)"
}

stop_one() {
  local name="$1" pidfile="$2"
  if alive "$pidfile"; then
    say "stopping $name"
    local pid
    pid="$(cat "$pidfile")"
    "${sudo_cmd[@]}" kill "$pid"
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.2
    done
    "${sudo_cmd[@]}" kill -9 "$pid" 2>/dev/null || true
  fi
}

stop() {
  stop_one slurmd "$state/slurmd.pid"
  stop_one slurmctld "$state/slurmctld.pid"
  stop_one munged /run/munge/munged.pid
}

status() {
  sinfo || return 1
  case "$(node_state)" in
    idle | mixed | allocated | completing) return 0 ;;
    *) return 1 ;;
  esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
