#!/usr/bin/env bash
# Memory under concurrent large searches, Archivum beside Orthanc (Debian's orthanc and
# orthanc-dicomweb, default settings) when it is installed: an archive of INSTANCES small
# instances (loaded by storescu over 4 associations, then the server restarted so that its peak
# is the searches'), then CONCURRENT clients at once each asking QIDO-RS for every instance with
# every attribute (/instances?includefield=all&limit=1000000; Archivum caps it at 10,000 matches
# and streams them). Prints each server's resident memory before, its peak (VmHWM) during and
# after the searches, and each answer's size. ARCHIVUM_DLL=path/to/archivum.dll measures another
# build the same way. Each search may take QIDO_MAX_SECONDS (300); one that has not answered by
# then counts as no answer (0 matches). In a private network namespace (Orthanc listens on every
# interface).
# Usage: bench/qido-memory.sh [INSTANCES=30000] [CONCURRENT=16]   (as root, for unshare)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ARCHIVUM_BENCH_NETNS:-}" ]; then
  exec unshare -n env ARCHIVUM_BENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up
. bench/common.sh
count=${1:-30000}
concurrent=${2:-16}
dll=${ARCHIVUM_DLL:-src/Archivum/bin/Release/net10.0/archivum.dll}
work=$(mktemp -d /var/tmp/qido-memory.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet build -c Release src/Archivum >/dev/null && dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
export TCP_NODELAY=1
peers=(archivum)
command -v Orthanc >/dev/null && [ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] && peers=(orthanc archivum)

start_orthanc() { # $1 = "plain": without the DICOMweb plugin, for loading
  local plugins='"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"'
  [ "${1:-}" = plain ] && plugins=''
  mkdir -p "$work/orthanc"
  cat > "$work/orthanc/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$work/orthanc/storage", "IndexDirectory": "$work/orthanc/index",
  "DicomAet": "ORTHANC", "DicomPort": 4242, "HttpPort": 8042, "RemoteAccessAllowed": true,
  "AuthenticationEnabled": false, "Plugins": [ $plugins ], "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } }
JSON
  Orthanc "$work/orthanc/orthanc.json" >"$work/orthanc/log" 2>&1 &
  server=$!; wait_port 8042; url="http://127.0.0.1:8042/dicom-web"; auth=(); aet=ORTHANC; port=4242
}
start_archivum() {
  dotnet "$dll" serve --data "$work/archivum" --dicom-port 11112 --http-port 8080 >>"$work/archivum.log" 2>&1 &
  server=$!; wait_port 8080; url="http://127.0.0.1:8080/dicomweb"; aet=ARCHIVUM; port=11112
  auth=(-u "admin:$(cat "$work/archivum/initial-admin-password")")
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

studies=$((count / 10))
say "generating $count small instances ($studies studies)..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-studies "$work/small" "$studies" 10 64
declare -A before peak after size matches seconds
for who in "${peers[@]}"; do
  if [ "$who" = orthanc ]; then start_orthanc plain; else start_archivum; fi
  say "$who: loading $count instances over 4 associations..."
  say "$who: loaded in $(store "$work/small" 4) s"
  stop
  "start_$who"
  curl -sf "${auth[@]}" -o /dev/null "$url/studies?limit=1" # warm up (and Archivum remembers the sign-in)
  before[$who]=$(rss_mb "$server")
  start=$(now)
  pids=()
  for i in $(seq "$concurrent"); do
    curl -sf --max-time "${QIDO_MAX_SECONDS:-300}" "${auth[@]}" -o "$work/answer-$who-$i.json" -D "$work/headers-$who-$i" "$url/instances?includefield=all&limit=1000000" &
    pids+=($!)
  done
  wait "${pids[@]}" || say "$who: a search failed"
  seconds[$who]=$(echo "$(now) - $start" | bc -l)
  peak[$who]=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
  sleep 5
  after[$who]=$(rss_mb "$server")
  if [ -s "$work/answer-$who-1.json" ]; then
    size[$who]=$(stat -c %s "$work/answer-$who-1.json")
    matches[$who]=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/answer-$who-1.json")
  else
    size[$who]=0; matches[$who]=0 # no answer within QIDO_MAX_SECONDS
  fi
  stop
done
printf '\n%d instances; %d concurrent QIDO-RS /instances?includefield=all&limit=1000000\n' "$count" "$concurrent"
printf '%-10s %8s %8s %10s %10s %10s %10s\n' "" matches "MB each" "seconds" "RSS before" "peak" "5 s after"
for who in "${peers[@]}"; do
  printf '%-10s %8d %8.1f %10.1f %10s %10s %10s\n' "$who" "${matches[$who]}" "$(echo "${size[$who]} / 1000000" | bc -l)" "${seconds[$who]}" "${before[$who]}" "${peak[$who]}" "${after[$who]}"
done
