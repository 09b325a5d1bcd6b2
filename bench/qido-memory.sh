#!/usr/bin/env bash
# Memory under concurrent large searches: an archive of INSTANCES small instances (loaded by
# storescu over 4 associations), then CONCURRENT clients at once each asking QIDO-RS for every
# instance with every attribute (/instances?includefield=all&limit=1000000: capped at 10,000
# matches, streamed). Prints the server's resident memory before, its peak (VmHWM) during, and
# after, with each answer's size, for the build given (default: this checkout's), so that an
# older build can be measured the same way (ARCHIVUM_DLL=path/to/archivum.dll).
# Usage: bench/qido-memory.sh [INSTANCES=30000] [CONCURRENT=16]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
count=${1:-30000}
concurrent=${2:-16}
dll=${ARCHIVUM_DLL:-src/Archivum/bin/Release/net10.0/archivum.dll}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release src/Archivum >/dev/null && dotnet build -c Release bench/Archivum.Benchmarks >/dev/null

studies=$((count / 10))
say "generating $count small instances ($studies studies)..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-studies "$work/small" "$studies" 10 64
dotnet "$dll" serve --data "$work/archivum" --dicom-port 11112 --http-port 8080 >"$work/archivum.log" 2>&1 &
server=$!; wait_port 8080; aet=ARCHIVUM; port=11112
export TCP_NODELAY=1
say "loading $count instances over 4 associations..."
say "loaded in $(store "$work/small" 4) s"
password=$(cat "$work/archivum/initial-admin-password")
url="http://127.0.0.1:8080/dicomweb/instances?includefield=all&limit=1000000"
curl -sf -u "admin:$password" -o /dev/null "http://127.0.0.1:8080/dicomweb/studies?limit=1" # the sign-in is remembered
before=$(rss_mb "$server")
start=$(now)
for i in $(seq "$concurrent"); do
  curl -sf -u "admin:$password" -o "$work/answer-$i.json" -D "$work/headers-$i" "$url" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
seconds=$(echo "$(now) - $start" | bc -l)
peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
sleep 5
after=$(rss_mb "$server")
size=$(stat -c %s "$work/answer-1.json")
matches=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/answer-1.json")
printf '%d instances; %d concurrent /instances?includefield=all&limit=1000000 in %.1f s\n' "$count" "$concurrent" "$seconds"
printf 'each answer: %d matches, %.1f MB; Warning: %s\n' "$matches" "$(echo "$size / 1000000" | bc -l)" "$(grep -i '^warning' "$work/headers-1" | cut -c1-90 | tr -d '\r')"
printf 'resident memory: before %s MB, peak %s MB, 5 s after %s MB\n' "$before" "$peak" "$after"
