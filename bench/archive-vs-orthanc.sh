#!/usr/bin/env bash
# Side by side: Archivum's `serve` and Orthanc (Debian's package, SQLite index, its default
# settings: fsync of every stored file since 1.7.4) on the same generated CT/MR studies, in the
# same run, with the same clients. Prints each figure for both and their ratio:
#   1. ingest with DCMTK's storescu: one association, then four in parallel (instances/s), and
#      what this disk sustains writing and fsyncing files of that size one by one;
#   2. resident memory of each server after the 1-association ingest;
#   3. C-GET of a whole study (MB/s) with DCMTK's getscu, which writes every file, and with
#      getscu --ignore, which drops what it receives (the server's own rate); C-MOVE of it to a
#      DCMTK storescp --ignore registered on both servers;
#   4. C-FIND at STUDY level on an archive of QUERY_INSTANCES small instances, from a client
#      already connected (Archivum.Benchmarks find-latency): typical keys (name wildcard, a month
#      of dates, a modality) and an exact Study Instance UID, median and p95 in ms.
# Everything runs in a private network namespace (Orthanc listens on every interface whatever
# its configuration says), with TCP_NODELAY=1 for DCMTK and Orthanc (Nagle otherwise costs ~40 ms per message).
# Usage: bench/archive-vs-orthanc.sh [CT_INSTANCES=2000] [QUERY_INSTANCES=100000]   (as root, for unshare)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ARCHIVUM_BENCH_NETNS:-}" ]; then
  exec unshare -n env ARCHIVUM_BENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up
ct_count=${1:-2000}
query_count=${2:-100000}
export TCP_NODELAY=1
command -v Orthanc >/dev/null || { echo "Orthanc is missing: apt-get install orthanc" >&2; exit 2; }
command -v storescu >/dev/null || { echo "DCMTK is missing: apt-get install dcmtk" >&2; exit 2; }

work=$(mktemp -d /var/tmp/archive-vs-orthanc.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release src/Archivum >/dev/null
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
archivum="dotnet src/Archivum/bin/Release/net10.0/archivum.dll"
bench="dotnet bench/Archivum.Benchmarks/bin/Release/net10.0/Archivum.Benchmarks.dll"

. bench/common.sh

# --- the servers -------------------------------------------------------------------------
start_orthanc() { # $1 = folder
  mkdir -p "$1"
  cat > "$1/orthanc.json" <<EOF
{ "Name": "bench", "StorageDirectory": "$1/storage", "IndexDirectory": "$1/index",
  "DicomAet": "ORTHANC", "DicomPort": 4242, "HttpPort": 8042, "RemoteAccessAllowed": true,
  "AuthenticationEnabled": false, "Plugins": [], "DicomAlwaysAllowFind": true,
  "DicomAlwaysAllowGet": true, "DicomAlwaysAllowMove": true,
  "DicomModalities": { "DEST": [ "DEST", "127.0.0.1", 11160 ] } }
EOF
  Orthanc "$1/orthanc.json" >"$1/log" 2>&1 &
  server=$!
  wait_port 4242
  port=4242; aet=ORTHANC
}
start_archivum() { # $1 = folder
  $archivum serve --data "$1/data" --dicom-port 11112 --http-port 8080 >"$1.log" 2>&1 &
  server=$!
  wait_port 11112
  port=11112; aet=ARCHIVUM
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# storescu over N associations at once, the studies split between them; prints seconds.
stored() { # $1 = who, $2 = folder: instance files in its store
  if [ "$1" = orthanc ]; then find "$2/storage" -type f | wc -l; else find "$2/data/instances" -name '*.dcm' | wc -l; fi
}

# --- 1. ingest and memory -----------------------------------------------------------------
say "generating $ct_count 512x512 CT/MR instances (4 studies)..."
$bench generate-studies "$work/ct" 4 $((ct_count / 4)) 512
ct_bytes=$(du -sb "$work/ct" | cut -f1)
file_size=$((ct_bytes / ct_count))

say "the disk: writing and fsyncing $ct_count files of $file_size bytes one by one..."
disk=$(python3 - "$work/disk" "$ct_count" "$file_size" <<'EOF'
import os, sys, time
folder, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(folder)
data = os.urandom(size)
start = time.time()
for i in range(count):
    fd = os.open(f"{folder}/{i}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, data); os.fsync(fd); os.close(fd)
    os.rename(f"{folder}/{i}.tmp", f"{folder}/{i}.dcm")
print(count / (time.time() - start))
EOF
)
rm -rf "$work/disk"

declare -A ingest1 ingest4 memory
for who in orthanc archivum; do
  for assoc in 1 4; do
    runs=()
    for run in 1 2 3; do
      folder="$work/$who-$assoc-$run"
      "start_$who" "$folder"
      t=$(store "$work/ct" "$assoc")
      if [ "$assoc" = 1 ] && [ "$run" = 1 ]; then memory[$who]=$(rss_mb "$server"); fi
      stop_server
      got=$(stored "$who" "$folder")
      [ "$got" -ge "$ct_count" ] || { say "$who ($assoc associations): only $got of $ct_count instances stored"; exit 1; }
      runs+=("$(echo "$ct_count / $t" | bc -l)")
      [ "$assoc" = 1 ] && [ "$run" = 1 ] && [ "$who" = archivum ] && keep="$folder"
      [ "$assoc" = 1 ] && [ "$run" = 1 ] && [ "$who" = orthanc ] && keep_orthanc="$folder"
      [ "$run" != 1 ] || [ "$assoc" != 1 ] && rm -rf "$folder"
    done
    value=$(printf '%s\n' "${runs[@]}" | median)
    if [ "$assoc" = 1 ]; then ingest1[$who]=$value; else ingest4[$who]=$value; fi
  done
done

# --- 2. C-GET and C-MOVE of a whole study -----------------------------------------------------
# Three clients, each run 3 times per server (median): getscu writing every file (capped by this
# disk), getscu --ignore (received and dropped: the server's own rate), and movescu to a storescp
# --ignore registered on both servers as DEST.
study_uid=2.25.810
study_bytes=$(du -sb "$work/ct/000000" | cut -f1)
storescp --ignore -aet DEST 11160 >/dev/null 2>&1 &
dest=$!
declare -A cget drop cmove
timed() { local start end; start=$(now); "$@" >/dev/null 2>&1 || { say "failed: $*"; exit 1; }; end=$(now); echo "$study_bytes / 1000000 / ($end - $start)" | bc -l; }
for who in orthanc archivum; do
  if [ "$who" = archivum ]; then
    start_archivum "$keep"
    curl -sf -X PUT -H 'Content-Type: application/json' -d '{"host":"127.0.0.1","port":11160}' http://127.0.0.1:8080/api/devices/DEST >/dev/null
  else
    Orthanc "$keep_orthanc/orthanc.json" >>"$keep_orthanc/log" 2>&1 & server=$!; wait_port 4242; port=4242; aet=ORTHANC
  fi
  keys=(-S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=$study_uid)
  runs=(); dropped=(); moved=()
  for run in 1 2 3; do
    out="$work/get-$who-$run"; mkdir -p "$out"
    runs+=("$(timed getscu -aec "$aet" "${keys[@]}" -od "$out" 127.0.0.1 "$port")")
    got=$(find "$out" -type f | wc -l)
    [ "$got" -eq $((ct_count / 4)) ] || { say "$who: C-GET brought $got of $((ct_count / 4)) instances"; exit 1; }
    rm -rf "$out"
    dropped+=("$(timed getscu --ignore -aec "$aet" "${keys[@]}" 127.0.0.1 "$port")")
    moved+=("$(timed movescu -aec "$aet" -aem DEST "${keys[@]}" 127.0.0.1 "$port")")
  done
  cget[$who]=$(printf '%s\n' "${runs[@]}" | median)
  drop[$who]=$(printf '%s\n' "${dropped[@]}" | median)
  cmove[$who]=$(printf '%s\n' "${moved[@]}" | median)
  stop_server
done
kill "$dest"
rm -rf "$keep" "$keep_orthanc"

# --- 3. C-FIND on a large archive -------------------------------------------------------------
studies=$((query_count / 10))
say "generating $query_count small instances ($studies studies)..."
$bench generate-studies "$work/small" "$studies" 10 64
declare -A find_line load_rate
for who in orthanc archivum; do
  folder="$work/$who-find"
  "start_$who" "$folder"
  say "$who: loading $query_count instances over 4 associations..."
  t=$(store "$work/small" 4)
  load_rate[$who]=$(echo "$query_count / $t" | bc -l)
  find_line[$who]=$($bench find-latency 127.0.0.1 "$port" "$aet" "$studies" 500)
  stop_server
  rm -rf "$folder"
done

# --- the figures ------------------------------------------------------------------------------
field() { echo "$1" | awk -v n="$2" '{print $n}'; }
printf '\n%-52s %12s %12s %8s\n' "" "Orthanc" "Archivum" "ratio"
row() { printf '%-52s %12.1f %12.1f %8s\n' "$1" "$2" "$3" "$(ratio "$4" "$5")"; }
row "ingest, 1 association (instances/s)" "${ingest1[orthanc]}" "${ingest1[archivum]}" "${ingest1[archivum]}" "${ingest1[orthanc]}"
row "ingest, 4 associations (instances/s)" "${ingest4[orthanc]}" "${ingest4[archivum]}" "${ingest4[archivum]}" "${ingest4[orthanc]}"
row "resident memory after ingest (MB, lower is better)" "${memory[orthanc]}" "${memory[archivum]}" "${memory[orthanc]}" "${memory[archivum]}"
row "C-GET of a $((study_bytes / 1000000)) MB study (MB/s)" "${cget[orthanc]}" "${cget[archivum]}" "${cget[archivum]}" "${cget[orthanc]}"
row "C-GET of it, getscu --ignore (MB/s)" "${drop[orthanc]}" "${drop[archivum]}" "${drop[archivum]}" "${drop[orthanc]}"
row "C-MOVE of it to storescp --ignore (MB/s)" "${cmove[orthanc]}" "${cmove[archivum]}" "${cmove[archivum]}" "${cmove[orthanc]}"
row "loading $query_count small instances, 4 assoc. (inst/s)" "${load_rate[orthanc]}" "${load_rate[archivum]}" "${load_rate[archivum]}" "${load_rate[orthanc]}"
for k in "typical 2" "typical p95 3" "exact UID 5" "exact UID p95 6"; do
  n=${k##* }; label=${k% *}
  o=$(field "${find_line[orthanc]}" "$n"); a=$(field "${find_line[archivum]}" "$n")
  row "C-FIND STUDY at $query_count, $label (ms, lower is better)" "$o" "$a" "$o" "$a"
done
printf '%-52s %12.1f\n' "the disk: write + fsync one by one (files/s)" "$disk"
printf 'Archivum ingest, 1 association, as a share of the disk: %s%%\n' "$(echo "${ingest1[archivum]} $disk" | awk '{printf "%.0f", 100 * $1 / $2}')"
printf 'matches: Orthanc %s, Archivum %s (same data, same queries: must be equal)\n' "$(field "${find_line[orthanc]}" 8)" "$(field "${find_line[archivum]}" 8)"
