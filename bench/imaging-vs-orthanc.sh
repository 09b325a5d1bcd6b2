#!/usr/bin/env bash
# Side by side: compressed images served by Archivum and by Orthanc 1.10 (Debian's orthanc with
# orthanc-dicomweb, and orthanc-gdcm for JPEG 2000), the same studies, the same clients, in the
# same run, in a private network namespace (Orthanc listens on every interface):
#   1. /rendered of one JPEG 2000 CT and one JPEG lossless CT instance, 30 requests each on one
#      connection (bench/dicomweb_client.py): median and p95 (ms);
#   2. C-GET of a JPEG 2000 CT study of COUNT instances by getscu proposing only uncompressed
#      syntaxes (--ignore: the server's own rate), so that the server decodes every instance (MB/s
#      of the decoded study);
#   3. WADO-RS frames of the JPEG 2000 study asked for decoded (application/octet-stream), every
#      instance's frame 1 on one connection (frames/s).
# Usage: bench/imaging-vs-orthanc.sh [COUNT=100]   (as root, for unshare)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ARCHIVUM_BENCH_NETNS:-}" ]; then
  dotnet build -c Release src/Archivum >/dev/null # outside the namespace: the build needs no network, but its server does
  dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
  dotnet build-server shutdown >/dev/null 2>&1 || true
  exec unshare -n env ARCHIVUM_BENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up
count=${1:-100}
command -v Orthanc >/dev/null || { echo "Orthanc is missing: apt-get install orthanc orthanc-dicomweb orthanc-gdcm" >&2; exit 2; }
[ -f /usr/share/orthanc/plugins/libOrthancGdcm.so ] || { echo "Orthanc's GDCM plugin (JPEG 2000) is missing: apt-get install orthanc-gdcm" >&2; exit 2; }
work=$(mktemp -d /var/tmp/imaging-vs-orthanc.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
. bench/common.sh
client="python3 bench/dicomweb_client.py"

say "generating $count CT instances and their JPEG 2000 and JPEG lossless encodings (gdcmconv, dcmcjpeg)..."
dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll generate-compressible-ct "$work/raw" "$count" >/dev/null
mkdir -p "$work/j2k/s" "$work/jll/s"
i=0
for f in "$work"/raw/*.dcm; do
  i=$((i + 1))
  gdcmconv --j2k "$f" "$work/j2k/s/$(basename "$f")"
  [ $i -le 1 ] && dcmcjpeg +e1 "$f" "$work/jll/s/one.dcm"
done
# The lossless JPEG instance: another study and instance UID, so both can be stored together.
dcmodify -nb -m StudyInstanceUID=2.25.777001 -m SeriesInstanceUID=2.25.777001.1 -m SOPInstanceUID=2.25.777001.1.1 "$work/jll/s/one.dcm" >/dev/null
decoded_bytes=$(du -sb "$work/raw" | cut -f1)

start_orthanc() {
  mkdir -p "$work/orthanc"
  cat > "$work/orthanc/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$work/orthanc/storage", "IndexDirectory": "$work/orthanc/index",
  "DicomAet": "ORTHANC", "DicomPort": 4242, "HttpPort": 8042, "RemoteAccessAllowed": true, "AuthenticationEnabled": false,
  "DicomModalities": { "getscu": [ "GETSCU", "127.0.0.1", 4243 ] },
  "Plugins": [ "/usr/share/orthanc/plugins/libOrthancDicomWeb.so", "/usr/share/orthanc/plugins/libOrthancGdcm.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } }
JSON
  Orthanc "$work/orthanc/orthanc.json" >"$work/orthanc/log" 2>&1 &
  server=$!; wait_port 8042; wait_port 4242; root=http://127.0.0.1:8042/dicom-web; aet=ORTHANC; port=4242
  unset ARCHIVUM_USER ARCHIVUM_PASSWORD
}
start_archivum() {
  dotnet src/Archivum/bin/Release/net10.0/archivum.dll serve --data "$work/archivum" --dicom-port 11112 --http-port 8080 >"$work/archivum.log" 2>&1 &
  server=$!; wait_port 8080; wait_port 11112; root=http://127.0.0.1:8080/dicomweb; aet=ARCHIVUM; port=11112
  export ARCHIVUM_USER=admin ARCHIVUM_PASSWORD; ARCHIVUM_PASSWORD=$(cat "$work/archivum/initial-admin-password")
}
p95() { sort -g | awk '{a[NR]=$1} END {print a[int(NR*0.95+0.5)]}'; }

declare -A j2k_median j2k_p95 jll_median jll_p95 cget frames
for who in orthanc archivum; do
  "start_$who"
  say "$who: storing, then measuring..."
  TCP_NODELAY=1 storescu -aec "$aet" +sd +r -xf tools/dcmtk/storescu.cfg Archivum 127.0.0.1 "$port" "$work/j2k" "$work/jll" >/dev/null 2>&1
  study=$($client first "$root" "/studies?StudyInstanceUID=$(dcmdump -q -Un +P StudyInstanceUID "$(ls "$work"/j2k/s/*.dcm | head -1)" | sed 's/.*\[\(.*\)\].*/\1/')" 0020000D)
  series=$($client first "$root" "/studies/$study/series" 0020000E)
  first=$($client first "$root" "/studies/$study/series/$series/instances" 00080018)
  times=$($client get "$root" "/studies/$study/series/$series/instances/$first/rendered" image/jpeg 31 | sed -n 2,31p)
  j2k_median[$who]=$(echo "$times" | median); j2k_p95[$who]=$(echo "$times" | p95)
  times=$($client get "$root" "/studies/2.25.777001/series/2.25.777001.1/instances/2.25.777001.1.1/rendered" image/jpeg 31 | sed -n 2,31p)
  jll_median[$who]=$(echo "$times" | median); jll_p95[$who]=$(echo "$times" | p95)
  runs=()
  for run in 1 2 3; do
    start=$(now)
    TCP_NODELAY=1 getscu --ignore -aet GETSCU -aec "$aet" -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$study" 127.0.0.1 "$port" >/dev/null 2>&1
    runs+=("$(echo "$decoded_bytes / 1048576 / ($(now) - $start)" | bc -l)")
  done
  cget[$who]=$(printf '%s\n' "${runs[@]}" | median)
  frames[$who]=$($client frames "$root" "$study" "$series" 'multipart/related; type="application/octet-stream"' || echo 0)
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
printf '%-58s %12s %12s %8s\n' figure Orthanc Archivum ratio
printf '%-58s %12s %12s %8s\n' "/rendered, JPEG 2000 CT: median / p95 (ms)" "${j2k_median[orthanc]} / ${j2k_p95[orthanc]}" "${j2k_median[archivum]} / ${j2k_p95[archivum]}" "$(ratio "${j2k_median[orthanc]}" "${j2k_median[archivum]}")"
printf '%-58s %12s %12s %8s\n' "/rendered, JPEG lossless CT: median / p95 (ms)" "${jll_median[orthanc]} / ${jll_p95[orthanc]}" "${jll_median[archivum]} / ${jll_p95[archivum]}" "$(ratio "${jll_median[orthanc]}" "${jll_median[archivum]}")"
printf '%-58s %12.1f %12.1f %8s\n' "C-GET of the J2K study decoded, getscu --ignore (MB/s)" "${cget[orthanc]}" "${cget[archivum]}" "$(ratio "${cget[archivum]}" "${cget[orthanc]}")"
printf '%-58s %12.1f %12.1f %8s\n' "WADO-RS frames decoded, one per request (frames/s)" "${frames[orthanc]}" "${frames[archivum]}" "$(ratio "${frames[archivum]}" "${frames[orthanc]}")"
