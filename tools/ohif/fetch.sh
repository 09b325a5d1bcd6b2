#!/usr/bin/env bash
# Fetches the built OHIF viewer (npm package @ohif/app, its dist/) into third_party/ohif/VERSION/dist,
# once, prepared for the sub-path /viewer where `archivum serve` serves it. The bundle (50 MB packed,
# 200 MB unpacked) is not committed; the build runs this at every build: it returns at once when the
# viewer is there with its patches. OHIF is built for the site root: its index.html sets
# window.PUBLIC_URL="/" and names its files by absolute paths, so do its style sheets, and the
# webpack runtimes (the app's and its workers') load chunks from "/"; all three are rewritten to /viewer/.
# The package comes from the registry npm is configured with (npm view gives its address and
# integrity); curl fetches it with a progress line every few seconds, npm pack when curl is missing.
# Usage: tools/ohif/fetch.sh
# Environment (for tests and mirrors): OHIF_TARBALL_URL (the package's address, skipping npm view),
# OHIF_TARBALL_INTEGRITY (its sha512-... integrity), ARCHIVUM_THIRD_PARTY (folder instead of third_party/).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(cat tools/ohif/VERSION)
target="${ARCHIVUM_THIRD_PARTY:-third_party}/ohif/$version"

# Patches to OHIF's code, each a fault it has with valid PS3.18 answers (applied once, marked, and
# checked: a release whose code differs stops the fetch rather than leave the fault in):
#   1. getModalities read ModalitiesInStudy.Value.length, but an attribute without a value has no
#      "Value" (PS3.18 F.2.5): a study whose instances have no Modality emptied the whole study list.
patches=1
patch_viewer() { # $1 = dist folder
  local app
  app=$(grep -l 'function getModalities' "$1"/app.bundle.*.js || true)
  [ -n "$app" ] || { echo "the @ohif/app $version bundle has no getModalities: patch 1 cannot be applied" >&2; return 1; }
  if ! grep -q 'i < (ModalitiesInStudy.Value || \[\]).length' "$app"; then
    grep -q 'i < ModalitiesInStudy.Value.length' "$app" || { echo "getModalities in the @ohif/app $version bundle is not as expected: patch 1 cannot be applied" >&2; return 1; }
    sed -i 's/i < ModalitiesInStudy.Value.length/i < (ModalitiesInStudy.Value || []).length/' "$app"
  fi
  echo "$patches" > "$1/.archivum-patches"
}
if [ -f "$target/dist/index.html" ]; then
  # Fetched before: only the patches it lacks.
  [ "$(cat "$target/dist/.archivum-patches" 2>/dev/null)" = "$patches" ] || patch_viewer "$target/dist"
  exit 0
fi

# Progress goes to the terminal when there is one: `dotnet run` and the build's terminal logger hold a
# project's output back until it is built, which would leave a 40 s download silent. Without a
# terminal (CI, a log), to standard output.
if { : >/dev/tty; } 2>/dev/null; then say() { echo "$@" >/dev/tty; }; else say() { echo "$@"; }; fi
mb() { echo $(( ($1 + 524288) / 1048576 )); }

# Downloads the package to $1 with curl, a line every 3 s; returns 1 (after saying why) when it cannot.
download_with_progress() {
  local file=$1 url=${OHIF_TARBALL_URL:-} integrity=${OHIF_TARBALL_INTEGRITY:-} size have pid elapsed=0
  command -v curl >/dev/null || return 1
  if [ -z "$url" ]; then
    command -v npm >/dev/null || return 1
    url=$(npm view "@ohif/app@$version" dist.tarball 2>/dev/null) || return 1
    integrity=$(npm view "@ohif/app@$version" dist.integrity 2>/dev/null) || return 1
  fi
  size=$(curl -fsSLI "$url" 2>/dev/null | tr -d '\r' | grep -i '^content-length:' | tail -n 1 | grep -o '[0-9]*' || true)
  say "fetching the OHIF viewer $version for /viewer (once, on the first build): ${size:+$(mb "$size") MB from }$url"
  curl -fsSL -o "$file" "$url" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    elapsed=$((elapsed + 1))
    if [ $((elapsed % 3)) = 0 ] && kill -0 "$pid" 2>/dev/null; then
      have=$(stat -c %s "$file" 2>/dev/null || echo 0)
      if [ -n "$size" ] && [ "$size" -gt 0 ]; then
        say "  viewer: $(mb "$have") of $(mb "$size") MB ($((have * 100 / size))%), ${elapsed} s"
      else
        say "  viewer: $(mb "$have") MB, ${elapsed} s"
      fi
    fi
  done
  wait "$pid" || { echo "curl could not fetch $url" >&2; return 1; }
  if [ -n "$integrity" ]; then
    # npm's integrity is "sha512-" and the digest in base64; compare it with the file's.
    local want got
    want=$(echo "${integrity#sha512-}" | base64 -d | od -An -tx1 -v | tr -d ' \n')
    got=$(sha512sum "$file" | cut -d' ' -f1)
    [ "$want" = "$got" ] || { echo "the fetched @ohif/app $version does not match its integrity $integrity: not used" >&2; rm -f "$file"; exit 1; }
  fi
  say "  viewer: $(mb "$(stat -c %s "$file")") MB fetched in ${elapsed} s"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS
tarball="$work/ohif-app-$version.tgz"
if ! download_with_progress "$tarball"; then
  command -v npm >/dev/null || { echo "npm is missing (apt-get install npm): the viewer at /viewer cannot be fetched" >&2; exit 2; }
  say "fetching the OHIF viewer $version for /viewer with npm pack (once, on the first build; about 50 MB, no progress shown)"
  (cd "$work" && npm pack --silent "@ohif/app@$version" >/dev/null)
  tarball=$(ls "$work"/ohif-app-*.tgz)
fi
say "  viewer: unpacking and preparing it for /viewer"
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" package/dist package/LICENSE
dist="$work/unpacked/package/dist"
[ -f "$dist/index.html" ] || { echo "the @ohif/app $version package has no dist/index.html" >&2; exit 1; }
sed -i -e 's|window.PUBLIC_URL="/"|window.PUBLIC_URL="/viewer/"|g' -e 's#\(href\|src\)="/\([^/]\)#\1="/viewer/\2#g' "$dist/index.html"
sed -i 's#url(/\([^/]\)#url(/viewer/\1#g' "$dist"/*.css # fonts and images named from the root
bundles=$(grep -l '__webpack_require__.p = "/";' "$dist"/*.js || true) # the app and its workers each have a runtime
[ -n "$bundles" ] || { echo "the @ohif/app $version bundle does not set its public path as expected: cannot serve it under /viewer" >&2; exit 1; }
sed -i 's|__webpack_require__.p = "/";|__webpack_require__.p = "/viewer/";|' $bundles
patch_viewer "$dist"
mkdir -p "$(dirname "$target")"
rm -rf "$target.partial"
mv "$work/unpacked/package" "$target.partial"
mv "$target.partial" "$target" # whole or not at all
say "OHIF viewer $version in $target ($((SECONDS - started)) s)"
