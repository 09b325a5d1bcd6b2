#!/usr/bin/env bash
# Fetches the built OHIF viewer (npm package @ohif/app, its dist/) into third_party/ohif/VERSION/dist,
# once, prepared for the sub-path /viewer where `archivum serve` serves it. The 200 MB bundle is not
# committed; the build runs this when the folder is missing and npm is there. OHIF is built for the
# site root: its index.html sets window.PUBLIC_URL="/" and names its files by absolute paths, so do
# its style sheets, and
# the webpack runtimes (the app's and its workers') load chunks from "/"; all three are rewritten to /viewer/.
# Usage: tools/ohif/fetch.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(cat tools/ohif/VERSION)
target="third_party/ohif/$version"

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
command -v npm >/dev/null || { echo "npm is missing (apt-get install npm): the viewer at /viewer cannot be fetched" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@ohif/app@$version" >/dev/null)
mkdir -p "$work/unpacked"
tar -xzf "$work"/ohif-app-*.tgz -C "$work/unpacked" package/dist package/LICENSE
dist="$work/unpacked/package/dist"
[ -f "$dist/index.html" ] || { echo "the @ohif/app $version package has no dist/index.html" >&2; exit 1; }
sed -i -e 's|window.PUBLIC_URL="/"|window.PUBLIC_URL="/viewer/"|g' -e 's#\(href\|src\)="/\([^/]\)#\1="/viewer/\2#g' "$dist/index.html"
sed -i 's#url(/\([^/]\)#url(/viewer/\1#g' "$dist"/*.css # fonts and images named from the root
bundles=$(grep -l '__webpack_require__.p = "/";' "$dist"/*.js || true) # the app and its workers each have a runtime
[ -n "$bundles" ] || { echo "the @ohif/app $version bundle does not set its public path as expected: cannot serve it under /viewer" >&2; exit 1; }
sed -i 's|__webpack_require__.p = "/";|__webpack_require__.p = "/viewer/";|' $bundles
patch_viewer "$dist"
mkdir -p "third_party/ohif"
rm -rf "$target.partial"
mv "$work/unpacked/package" "$target.partial"
mv "$target.partial" "$target" # whole or not at all
echo "OHIF viewer $version in $target"
