#!/usr/bin/env bash
# Side by side: C-STORE of N 512×512 CT instances over loopback with DCMTK's storescu, one
# association, received by DCMTK's storescp and by Archivum's SCP, each writing every instance
# to a file. Prints instances/s for both (median of 3), their ratio, and the receiver's peak
# resident memory.
# Usage: bench/store-vs-storescp.sh [COUNT]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export TCP_NODELAY=1 # Debian's DCMTK waits for delayed ACKs otherwise (~40 ms per message)
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
bench="dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll"
$bench generate-ct "$work/ct" "$count"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; return 1; }
median() { sort -n | sed -n 2p; }
peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

run() { # $1 = label, rest = the receiver's command with PORT and OUT placeholders
  local label=$1; shift
  local times=() peaks=()
  for _ in 1 2 3; do
    local port out pid start end
    port=$(free_port)
    out="$work/out-$RANDOM"
    mkdir -p "$out"
    local cmd=("${@//PORT/$port}")
    cmd=("${cmd[@]//OUT/$out}")
    "${cmd[@]}" >/dev/null 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_port "$port"
    start=$(date +%s.%N)
    storescu -aec RECEIVER +sd +r 127.0.0.1 "$port" "$work/ct" >/dev/null 2>&1
    end=$(date +%s.%N)
    peaks+=("$(peak_kb "$pid")")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    local got
    got=$(find "$out" -type f | wc -l)
    [ "$got" -eq "$count" ] || { echo "$label: $got of $count instances written" >&2; exit 1; }
    rm -rf "$out"
    times+=("$(echo "$end - $start" | bc)")
  done
  local t peak
  t=$(printf '%s\n' "${times[@]}" | median)
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
  printf '%-40s %8.2f s  %8.0f instances/s  peak RSS %6.1f MB\n' "$label" "$t" "$(echo "$count / $t" | bc -l)" "$(echo "$peak / 1024" | bc -l)" >&2
  echo "$count / $t" | bc -l
}

dcmtk=$(run "DCMTK storescp (files)" storescp -aet RECEIVER -od OUT PORT)
ours=$(run "Archivum SCP (files)" $bench store-scp PORT OUT)
printf 'ratio Archivum / storescp: %.2f\n' "$(echo "$ours / $dcmtk" | bc -l)" >&2
