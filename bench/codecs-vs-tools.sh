#!/usr/bin/env bash
# Side by side: each codec's encode and decode throughput, `archivum convert` against the
# command-line tool of the same library where there is one (GDCM's gdcmconv for CharLS and
# OpenJPEG) and DCMTK's otherwise (RLE, JPEG through IJG libjpeg), on the same multi-frame
# instances: a 512×512 signed 16-bit CT and a 512×512 8-bit RGB, FRAMES frames each (default 100:
# 50 and 75 MB of pixels). Each program runs once per measure, over the whole file, so its start-up
# is paid once; ours and the tool's runs alternate, median of 3. Output goes to a RAM-backed temp
# folder when /dev/shm exists: the figures are the codecs', not the disk's.
# MB/s counts native pixel bytes. Usage: bench/codecs-vs-tools.sh [FRAMES]
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-100}
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
work=$(mktemp -d "$base/archivum-codecs-XXXX")
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Archivum >/dev/null
dotnet build -c Release bench/Archivum.Benchmarks >/dev/null
dotnet run -c Release --no-build --project bench/Archivum.Benchmarks -- generate-codec-inputs "$work" "$frames"
archivum="dotnet src/Archivum/bin/Release/net10.0/archivum.dll"
ct_mb=$(echo "$frames * 512 * 512 * 2 / 1048576" | bc -l)
rgb_mb=$(echo "$frames * 512 * 512 * 3 / 1048576" | bc -l)

seconds() { # runs the command, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/last.err" || { echo "failed: $* ($(head -c 300 "$work/last.err"))" >&2; echo 0; return; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

# compare LABEL MB OURS... -- TOOL...   (alternating, median of 3)
compare() {
  local label=$1 mb=$2; shift 2
  local ours=() tool=() split=0
  for arg in "$@"; do
    if [ "$arg" = "--" ]; then split=1; continue; fi
    if [ $split = 0 ]; then ours+=("$arg"); else tool+=("$arg"); fi
  done
  local o=() t=()
  for _ in 1 2 3; do
    o+=("$(seconds "${ours[@]}")")
    t+=("$(seconds "${tool[@]}")")
  done
  local om tm
  om=$(median3 "${o[@]}"); tm=$(median3 "${t[@]}")
  printf '%-34s archivum %7.1f MB/s   %-22s %7.1f MB/s\n' "$label" "$(echo "$mb / $om" | bc -l)" "$(basename "${tool[0]}")" "$(echo "$mb / $tm" | bc -l)"
}

echo "codec throughput, $frames frames of 512×512 ($(nproc) cores); MB of native pixels per second"
# name, our syntax keyword, tool encoder, tool decoder
while IFS='|' read -r name syntax encoder decoder image; do
  [ -n "$name" ] || continue
  input="$work/$image.dcm"; mb=$ct_mb; [ "$image" = rgb ] && mb=$rgb_mb
  # The tool's encoding is the input of both decoders.
  $encoder "$input" "$work/tool-$name.dcm" >/dev/null 2>&1 || { echo "$name: $encoder failed" >&2; continue; }
  compare "$name encode ($image)" "$mb" $archivum convert "$input" "$work/ours-$name.dcm" -t "$syntax" -- $encoder "$input" "$work/tool-out-$name.dcm"
  compare "$name decode ($image)" "$mb" $archivum convert "$work/tool-$name.dcm" "$work/ours-raw.dcm" -t ExplicitVRLittleEndian -- $decoder "$work/tool-$name.dcm" "$work/tool-raw.dcm"
  printf '%-34s archivum %s bytes, tool %s bytes\n' "$name size" "$(stat -c %s "$work/ours-$name.dcm")" "$(stat -c %s "$work/tool-$name.dcm")"
done <<'CODECS'
RLE|RLELossless|dcmcrle|dcmdrle|ct
JPEG-LS lossless|JPEGLSLossless|gdcmconv --jpegls|gdcmconv --raw|ct
JPEG 2000 lossless|JPEG2000Lossless|gdcmconv --j2k|gdcmconv --raw|ct
JPEG lossless SV1|JPEGLosslessSV1|dcmcjpeg +e1|dcmdjpeg|ct
JPEG baseline|JPEGBaseline8Bit|dcmcjpeg +eb|dcmdjpeg|rgb
JPEG-LS lossless RGB|JPEGLSLossless|gdcmconv --jpegls|gdcmconv --raw|rgb
CODECS
