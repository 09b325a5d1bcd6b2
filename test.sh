#!/usr/bin/env bash
# Runs every test of Archivum and prints one summary line: "N passed, N failed[, N skipped]".
# As root on Debian it first installs what the tests use as outside oracles (DCMTK, pydicom's
# files, GDCM, dicom3tools, argon2-cffi for password hashes, the codecs' libraries and OpenJPEG's tools,
# chromium and Node.js for the viewer's browser test, with the npm
# package playwright-core that drives it), so a fresh machine needs nothing set up by hand.
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v dcmdump >/dev/null 2>&1 || need+=(dcmtk)
[ -d /usr/lib/python3/dist-packages/pydicom/data ] || need+=(python3-pydicom)
command -v gdcmdump >/dev/null 2>&1 || need+=(libgdcm-tools)
command -v dciodvfy >/dev/null 2>&1 || need+=(dicom3tools)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
/usr/bin/python3 -c "import argon2" >/dev/null 2>&1 || need+=(python3-argon2)
# The codecs' native libraries (what the archive itself loads) and OpenJPEG's tools as an oracle.
libraries=$(/sbin/ldconfig -p 2>/dev/null)
grep -q 'libcharls.so.2 ' <<<"$libraries" || need+=(libcharls2)
grep -q 'libopenjp2.so.7 ' <<<"$libraries" || need+=(libopenjp2-7)
grep -q 'libturbojpeg.so.0 ' <<<"$libraries" || need+=(libturbojpeg0)
command -v opj_decompress >/dev/null 2>&1 || need+=(libopenjp2-tools)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing test oracles: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "apt-get install ${need[*]} failed" >&2; exit 2; }
  else
    echo "missing test oracles (${need[*]}); run as root to install them, or install them yourself" >&2
  fi
fi

# The browser test's driver (tests/browser, pinned by its package-lock.json).
if [ ! -d tests/browser/node_modules/playwright-core ] && command -v npm >/dev/null 2>&1; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent) || echo "npm ci in tests/browser failed: the viewer's browser test will say so" >&2
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet test Archivum.slnx -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then
  # dotnet test failed without a failed test: a project did not build, or a test host crashed.
  echo "dotnet test exited with $status although no test failed: a project did not build or its test host failed (see above)" >&2
  failed=1
fi
if [ "$files" = 0 ]; then
  echo "0 passed, 1 failed (no test results: the build or the test host failed)"
  exit 1
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ] || [ "$passed" = 0 ]; then
  exit 1
fi
exit 0
