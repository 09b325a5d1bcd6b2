#!/usr/bin/env bash
# Builds a release of Archivum for linux-x64: a self-contained folder (the .NET runtime included,
# nothing to install beside it) holding the program and the OHIF viewer, a .tar.gz of that folder,
# and a Debian package made of it (/usr/lib/archivum, /usr/bin/archivum, the systemd unit, the
# default settings in /etc/archivum, the data in /var/lib/archivum).
# Usage: packaging/build.sh [--out DIR]      (default: artifacts/release)
# Needs the .NET SDK, npm for the viewer (the first time) and dpkg-deb.
set -euo pipefail
# The package's files must be readable by the service's user whatever the caller's umask (an
# archive process sets 077 for its data folder, and its children inherit it).
umask 022
cd "$(dirname "$0")/.."
out=artifacts/release
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    *) echo "packaging/build.sh: unknown argument $1 (usage: packaging/build.sh [--out DIR])" >&2; exit 2 ;;
  esac
done
command -v dpkg-deb >/dev/null || { echo "packaging/build.sh: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 2; }

prefix=$(sed -n 's|.*<VersionPrefix>\(.*\)</VersionPrefix>.*|\1|p' Directory.Build.props)
version=$prefix
if commit=$(git rev-parse --short=10 HEAD 2>/dev/null); then
  # A build between releases sorts after the release it follows and before the next.
  version="$prefix+git$(git log -1 --format=%cd --date=format:%Y%m%d HEAD).$commit"
fi

bash tools/ohif/fetch.sh || { echo "packaging/build.sh: a release includes the viewer, which could not be fetched (see above)" >&2; exit 1; }
viewer="third_party/ohif/$(cat tools/ohif/VERSION)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app="$work/archivum-$prefix-linux-x64"
echo "publishing archivum $version (self-contained, linux-x64)"
# Built from a copy of the sources: a release never rewrites the outputs (bin/, obj/) that tests or
# a running archive use, and nothing left in them gets into it.
mkdir -p "$work/source"
tar --exclude=./.git --exclude=./artifacts --exclude=./third_party --exclude=bin --exclude=obj --exclude=node_modules \
  --exclude=./archivum-data -cf - . | tar -xf - -C "$work/source"
ln -s "$PWD/third_party" "$work/source/third_party" # the viewer, fetched above
dotnet publish "$work/source/src/Archivum" -c Release -r linux-x64 --self-contained --nologo \
  -p:SourceRevisionId="${commit:-}" -o "$app" >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; echo "packaging/build.sh: dotnet publish failed" >&2; exit 1; }
cp -r "$viewer/dist" "$app/viewer" # found by serve as viewer/ beside the program
cp "$viewer/LICENSE" "$app/viewer/LICENSE.OHIF"
cp README.md LICENSE "$app/"
"$app/archivum" --version >/dev/null || { echo "packaging/build.sh: the published program does not run" >&2; exit 1; }

mkdir -p "$out"
tarball="$out/archivum-$version-linux-x64.tar.gz"
tar -C "$work" -czf "$tarball" "$(basename "$app")"

deb="$work/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr/lib" "$deb/usr/bin" "$deb/usr/lib/systemd/system" "$deb/etc/archivum" "$deb/usr/share/doc/archivum"
cp -r "$app" "$deb/usr/lib/archivum"
rm "$deb/usr/lib/archivum/README.md" "$deb/usr/lib/archivum/LICENSE"
ln -s ../lib/archivum/archivum "$deb/usr/bin/archivum"
install -m 0644 packaging/archivum.service "$deb/usr/lib/systemd/system/archivum.service"
install -m 0640 packaging/archivum.json "$deb/etc/archivum/archivum.json"
install -m 0644 README.md "$deb/usr/share/doc/archivum/README.md"
{ echo "Archivum: Apache License 2.0 (below). The OHIF viewer in /usr/lib/archivum/viewer: MIT, /usr/lib/archivum/viewer/LICENSE.OHIF."; echo; cat LICENSE; } \
  > "$deb/usr/share/doc/archivum/copyright"
install -m 0644 packaging/debian/conffiles "$deb/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$deb/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@SIZE@|$size|" packaging/debian/control > "$deb/DEBIAN/control"
(cd "$deb" && find usr etc -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
package="$out/archivum_${version}_amd64.deb"
# gzip: xz would take minutes over the 300 MB of the runtime and the viewer.
dpkg-deb --root-owner-group -Zgzip --build "$deb" "$package" >/dev/null
echo "$tarball"
echo "$package"
