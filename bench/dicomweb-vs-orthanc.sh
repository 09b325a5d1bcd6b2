#!/usr/bin/env bash
# Side by side: Archivum's DICOMweb and Orthanc's DICOMweb plugin (Debian's orthanc and
# orthanc-dicomweb, SQLite, default settings), same generated CT study, same client
# (bench/dicomweb_client.py, one HTTP connection), in the same run. Prints both and the ratio:
#   1. STOW-RS of STOW_INSTANCES CT instances (a study of their own), 50 per request (instances/s);
#   2. WADO-RS series metadata of the whole series: the first request, and the median of 5
#      repeated ones (ms);
#   3. WADO-RS retrieval of the whole study, stored transfer syntax (MB/s, median of 3), and the
#      server's resident memory before and after it;
#   4. QIDO-RS /studies on an archive of QIDO_INSTANCES small instances (loaded by storescu, 4
#      associations): the typical worklist query (name wildcard, a month of dates, a modality)
#      and an exact Study Instance UID, median and p95 (ms), from one kept-alive connection.
# In a private network namespace (Orthanc listens on every interface whatever its configuration says).
#   The CT_INSTANCES study (stored by STOW-RS first, untimed) is the one of 2 and 3.
# Usage: bench/dicomweb-vs-orthanc.sh [CT_INSTANCES=500] [QIDO_INSTANCES=100000] [STOW_INSTANCES=2000]   (as root, for unshare)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ARCHIVUM_BENCH_NETNS:-}" ]; then
  exec unshare -n env ARCHIVUM_BENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up
count=${1:-500}
qido_count=${2:-100000}
stow_count=${3:-2000}
command -v Orthanc >/dev/null || { echo "Orthanc is missing: apt-get install orthanc orthanc-dicomweb" >&2; exit 2; }
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || { echo "Orthanc's DICOMweb plugin is missing: apt-get install orthanc-dicomweb" >&2; exit 2; }

work=$(mktemp -d /var/tmp/dicomweb-vs-orthanc.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
dotnet build -c Release src/Archivum >/dev/null
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
client="python3 bench/dicomweb_client.py"
. bench/common.sh

start_orthanc() { # $1 = "plain": without the DICOMweb plugin (it slows C-STORE ingest several-fold; loading is not what is measured)
  local plugins='"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"'
  [ "${1:-}" = plain ] && plugins=''
  mkdir -p "$work/orthanc"
  cat > "$work/orthanc/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$work/orthanc/storage", "IndexDirectory": "$work/orthanc/index",
  "DicomAet": "ORTHANC", "DicomPort": 4242, "HttpPort": 8042, "RemoteAccessAllowed": true,
  "AuthenticationEnabled": false, "Plugins": [ $plugins ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } }
JSON
  Orthanc "$work/orthanc/orthanc.json" >"$work/orthanc/log" 2>&1 &
  server=$!; wait_port 8042; root=http://127.0.0.1:8042/dicom-web; aet=ORTHANC; port=4242
}
start_archivum() {
  dotnet src/Archivum/bin/Release/net10.0/archivum.dll serve --data "$work/archivum" --dicom-port 11112 --http-port 8080 >"$work/archivum.log" 2>&1 &
  server=$!; wait_port 8080; root=http://127.0.0.1:8080/dicomweb; aet=ARCHIVUM; port=11112
  # Archivum asks for sign-in (Orthanc runs with its authentication off):
  # the clients send the first start's admin account (the check is remembered after the first request).
  export ARCHIVUM_USER=admin ARCHIVUM_PASSWORD; ARCHIVUM_PASSWORD=$(cat "$work/archivum/initial-admin-password")
}

say "generating $count 512x512 CT instances (one study, one series)..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-studies "$work/ct" 1 "$count" 512
say "generating $stow_count more (another study) for the STOW-RS figure..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-studies "$work/stow" 1 "$stow_count" 512 1 # study 1: other UIDs than the study 0 above
study_bytes=$(du -sb "$work/ct" | cut -f1)
declare -A stow first repeated wado rss_before rss_after
for who in orthanc archivum; do
  "start_$who"
  say "$who: STOW-RS of $stow_count instances, then of the $count of the study read back..."
  stow[$who]=$($client stow "$root" "$work/stow" 50)
  $client stow "$root" "$work/ct" 50 >/dev/null
  study=$($client first "$root" /studies 0020000D)
  series=$($client first "$root" "/studies/$study/series" 0020000E)
  times=$($client get "$root" "/studies/$study/series/$series/metadata" "application/dicom+json" 6)
  first[$who]=$(echo "$times" | sed -n 1p)
  repeated[$who]=$(echo "$times" | sed -n 2,6p | median)
  rss_before[$who]=$(rss_mb "$server")
  runs=()
  for run in 1 2 3; do
    ms=$($client get "$root" "/studies/$study" 'multipart/related; type="application/dicom"; transfer-syntax=*' 1 | sed -n 1p)
    runs+=("$(echo "$study_bytes / 1000 / $ms" | bc -l)")
  done
  wado[$who]=$(printf '%s\n' "${runs[@]}" | median)
  rss_after[$who]=$(rss_mb "$server")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done

studies=$((qido_count / 10))
say "generating $qido_count small instances ($studies studies)..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-studies "$work/small" "$studies" 10 64
declare -A qido
for who in orthanc archivum; do
  rm -rf "$work/orthanc" "$work/archivum"
  if [ "$who" = orthanc ]; then start_orthanc plain; else start_archivum; fi
  say "$who: loading $qido_count instances over 4 associations..."
  seconds=$(store "$work/small" 4); say "$who: loaded in $seconds s"
  if [ "$who" = orthanc ]; then
    kill "$server"; wait "$server" 2>/dev/null || true
    start_orthanc # the same index, now with the DICOMweb plugin
  fi
  qido[$who]=$(dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll qido-latency "$root" "$studies" 500)
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done

printf '\n%-58s %10s %10s %8s\n' "" "Orthanc" "Archivum" "ratio"
row() { printf '%-58s %10.1f %10.1f %8s\n' "$1" "$2" "$3" "$4"; }
row "STOW-RS of $stow_count, 50 per request (instances/s)" "${stow[orthanc]}" "${stow[archivum]}" "$(ratio "${stow[archivum]}" "${stow[orthanc]}")"
row "series metadata, $count instances, first request (ms)" "${first[orthanc]}" "${first[archivum]}" "$(ratio "${first[orthanc]}" "${first[archivum]}")x faster"
row "series metadata, repeated, median of 5 (ms)" "${repeated[orthanc]}" "${repeated[archivum]}" "$(ratio "${repeated[orthanc]}" "${repeated[archivum]}")x faster"
row "WADO-RS study retrieval, $((study_bytes / 1000000)) MB (MB/s)" "${wado[orthanc]}" "${wado[archivum]}" "$(ratio "${wado[archivum]}" "${wado[orthanc]}")"
row "resident memory before the retrievals (MB)" "${rss_before[orthanc]}" "${rss_before[archivum]}" ""
row "resident memory after them (MB)" "${rss_after[orthanc]}" "${rss_after[archivum]}" ""
field() { echo "$1" | awk -v n="$2" '{print $n}'; }
for k in "typical 2" "typical p95 3" "exact UID 5" "exact UID p95 6"; do
  n=${k##* }; label=${k% *}
  o=$(field "${qido[orthanc]}" "$n"); a=$(field "${qido[archivum]}" "$n")
  row "QIDO-RS /studies at $qido_count, $label (ms)" "$o" "$a" "$(ratio "$o" "$a")x faster"
done
printf 'QIDO-RS matches: Orthanc %s, Archivum %s (same data, same queries: must be equal)\n' "$(field "${qido[orthanc]}" 8)" "$(field "${qido[archivum]}" 8)"
