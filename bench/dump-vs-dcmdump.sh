#!/usr/bin/env bash
# Side by side: list the headers of N 512×512 CT files with DCMTK's dcmdump and with `archivum dump`,
# each in one process over all files (so process start-up is paid once), output to /dev/null.
# Usage: bench/dump-vs-dcmdump.sh [COUNT]   (default 2000). Prints files/s for both, median of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Archivum >/dev/null
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
dotnet run -c Release --no-build --project bench/Archivum.Benchmarks -- generate-ct "$work/ct" "$count"
archivum="dotnet src/Archivum/bin/Release/net10.0/archivum.dll"

median() { sort -n | sed -n 2p; }
run() { # $1 = label, rest = command
  local label=$1; shift
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local t
  t=$(printf '%s\n' "${times[@]}" | median)
  printf '%-44s %8.2f s  %8.0f files/s\n' "$label" "$t" "$(echo "$count / $t" | bc -l)"
}

run "dcmdump -M (long values not loaded)" dcmdump -M "$work"/ct/*.dcm
run "archivum dump (pixel data deferred)" $archivum dump "$work"/ct/*.dcm
