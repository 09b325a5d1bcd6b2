#!/usr/bin/env bash
# Storage compression on a CT study of COUNT 512×512 instances (default 2000) whose pixels compress
# as CT does: the ratio achieved, the job's instances/s, and ingest throughput with the job at
# work against ingest alone. Three runs of `archivum serve` on a fresh data folder each:
#   1. ingest alone: COUNT instances with storescu (4 associations), no compression rule;
#   2. the job alone: the same study stored, then a rule for CT; the time from the study's
#      stability to every instance compressed (polling /api/statistics);
#   3. ingest during the job: a first study stored and stable, the job started on it, then a
#      second study of COUNT instances stored while it runs: with QuietSeconds 0 (the job never
#      steps aside: the worst case), then with the default (it pauses while instances arrive).
# The data folder is on this machine's disk; its own write rate is measured in the same run (dd,
# fsync'd) because the disk here swings between runs. Usage: bench/storage-compression.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
count=${1:-2000}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/archivum-compression-XXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build -c Release src/Archivum >/dev/null
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
dotnet run -c Release --no-build --project bench/Archivum.Benchmarks -- generate-compressible-ct "$work/study1/s" "$count" >/dev/null
dotnet run -c Release --no-build --project bench/Archivum.Benchmarks -- generate-compressible-ct "$work/study2/s" "$count" >/dev/null
# The second study: other UIDs (the generator numbers instances from 2.25.2000…).
find "$work/study2" -name '*.dcm' -print0 | xargs -0 -n 200 dcmodify -nb -m "StudyInstanceUID=2.25.999001" -m "SeriesInstanceUID=2.25.999001.1" -gin >/dev/null 2>&1
aet=ARCHIVUM
port=11290
http=18290

disk_rate() { # MB/s of 64 MB written and fsync'd into the data folder's disk
  local start end
  start=$(now); dd if=/dev/zero of="$work/dd.tmp" bs=1M count=64 conv=fsync status=none; end=$(now)
  rm -f "$work/dd.tmp"; echo "64 / ($end - $start)" | bc -l
}

serve() { # $1 = data folder, $2 = config file; starts archivum serve in the background
  dotnet src/Archivum/bin/Release/net10.0/archivum.dll serve --data "$1" --dicom-port $port --http-port $http --config "$2" >"$1.log" 2>&1 &
  serve_pid=$!
  wait_port $port
}
stats() { curl -s -u "admin:$(cat "$1/initial-admin-password")" "http://127.0.0.1:$http/api/statistics"; }
compressed() { stats "$1" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["modalities"]["CT"]["compressedInstances"])
except Exception: print(0)'; }
stop() { kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; }

echo '{ "Archivum": { "StableAfterSeconds": 2 } }' > "$work/plain.json"
cat > "$work/compress.json" <<JSON
{ "Archivum": { "StableAfterSeconds": 2, "StorageCompression": { "Rules": [ { "Modality": "CT" } ], "QuietSeconds": 0, "MaxInstancesPerSecond": 10000 } } }
JSON
cat > "$work/compress-default.json" <<JSON
{ "Archivum": { "StableAfterSeconds": 2, "StorageCompression": { "Rules": [ { "Modality": "CT" } ], "MaxInstancesPerSecond": 10000 } } }
JSON

say "disk: $(printf '%.0f' "$(disk_rate)") MB/s (64 MB, fsync)"
# 1. ingest alone
serve "$work/d1" "$work/plain.json"
alone=$(store "$work/study1" 4)
stop
printf 'ingest alone:            %6.0f instances/s (%d in %.1f s)\n' "$(echo "$count / $alone" | bc -l)" "$count" "$alone"

# 2. the job alone
serve "$work/d2" "$work/plain.json"
stored=$(store "$work/study1" 4) # in a subshell: store waits for its own children only
stop
serve "$work/d2" "$work/compress.json"
start=$(now)
until [ "$(compressed "$work/d2")" -ge "$count" ]; do
  sleep 1
  if [ "$(echo "$(now) - $start > 1800" | bc)" = 1 ]; then say "the job did not finish in 30 minutes"; break; fi
done
took=$(echo "$(now) - $start" | bc -l)
read -r saved original < <(stats "$work/d2" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["savedBytes"], s["bytes"] + s["savedBytes"])')
stop
printf 'compression job:         %6.0f instances/s (%d in %.1f s, from the start of serve, stability included)\n' "$(echo "$count / $took" | bc -l)" "$count" "$took"
printf 'ratio:                   %6.2f : 1 (%d MB as received, %d MB stored)\n' "$(echo "$original / ($original - $saved)" | bc -l)" "$((original / 1048576))" "$(((original - saved) / 1048576))"

# 3. ingest while the job works on a first study: never stepping aside (QuietSeconds 0), then as configured by default
for config in compress compress-default; do
  rm -rf "$work/d3"
  serve "$work/d3" "$work/plain.json"
  stored=$(store "$work/study1" 4) # in a subshell: store waits for its own children only
  stop
  serve "$work/d3" "$work/$config.json"
  sleep 4 # stable, and the job under way
  during=$(store "$work/study2" 4)
  done_by_then=$(compressed "$work/d3")
  stop
  printf 'ingest during the job (%s): %6.0f instances/s (%d in %.1f s): %.0f%% of ingest alone; %d compressed by then\n' \
    "$([ "$config" = compress ] && echo 'QuietSeconds 0' || echo 'default QuietSeconds 10')" "$(echo "$count / $during" | bc -l)" "$count" "$during" "$(echo "100 * $alone / $during" | bc -l)" "$done_by_then"
done
say "disk: $(printf '%.0f' "$(disk_rate)") MB/s (64 MB, fsync), after"
