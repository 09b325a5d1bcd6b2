#!/usr/bin/env bash
# Fuzzes Archivum's DICOM reader. See README.md.
#   ./fuzz.sh afl SECONDS            AFL++ (coverage-guided), needs afl-fuzz (Debian: afl++)
#   ./fuzz.sh mutate ITERATIONS [SEED] built-in mutation loop, needs nothing but dotnet
#   ./fuzz.sh replay FILE_OR_DIR...   runs saved inputs once each
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-afl}
shift || true
root=$(cd ../.. && pwd)
out=${FUZZ_OUT:-$root/artifacts/fuzz}
seeds=${FUZZ_SEEDS:-/usr/lib/python3/dist-packages/pydicom/data/test_files}
mkdir -p "$out"

# A build of its own, made afresh: AFL mode rewrites Archivum.Dicom.dll in place with coverage probes.
rm -rf "$out/bin"
dotnet publish Archivum.Dicom.Fuzz.csproj -c Release -o "$out/bin" --nologo -v quiet >/dev/null

# Seeds: the corpus files small enough for a fuzzer to mutate quickly.
if [ ! -d "$out/corpus" ]; then
  mkdir -p "$out/corpus"
  find "$seeds" -maxdepth 1 -name '*.dcm' -size -64k -exec cp {} "$out/corpus/" \;
  # DICOMDIRs: deep, defined-length sequences, the structure the reader is most lenient with.
  find "$seeds" -name 'DICOMDIR*' -size -64k | while read -r f; do cp "$f" "$out/corpus/$(echo "${f#"$seeds"/}" | tr / _)"; done
  cp "$root"/tests/Archivum.Dicom.Tests/IO/Regressions/*.dcm "$out/corpus/" 2>/dev/null || true
fi

case "$mode" in
  afl)
    seconds=${1:-600}
    command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++ (as root)" >&2; exit 2; }
    dotnet tool restore >/dev/null
    dotnet tool run sharpfuzz "$out/bin/Archivum.Dicom.dll"
    resume=-
    [ -d "$out/findings/default/queue" ] || resume="$out/corpus"
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
      afl-fuzz -i "$resume" -o "$out/findings" -t 10000 -m none -V "$seconds" \
      -- dotnet "$out/bin/Archivum.Dicom.Fuzz.dll" afl
    echo "crashes: $(find "$out/findings" -path '*crashes/id*' | wc -l), hangs: $(find "$out/findings" -path '*hangs/id*' | wc -l) (in $out/findings)"
    ;;
  mutate)
    dotnet "$out/bin/Archivum.Dicom.Fuzz.dll" mutate "$out/corpus" "${1:-100000}" "${2:-1}" "$out/mutate-findings"
    ;;
  replay)
    dotnet "$out/bin/Archivum.Dicom.Fuzz.dll" replay "$@"
    ;;
  *)
    echo "usage: $0 afl SECONDS | mutate ITERATIONS [SEED] | replay FILE_OR_DIR..." >&2
    exit 64
    ;;
esac
