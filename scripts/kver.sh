#!/bin/sh
# Print the release of Debian's current packaged amd64 kernel (e.g. 6.1.0-56-amd64),
# resolved from the linux-headers-amd64 metapackage so it follows security updates.
set -e
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true)
if [ -z "$dep" ]; then
	dep=$(apt-cache depends linux-headers-amd64 2>/dev/null | sed -n 's/.*Depends: //p' | head -1)
fi
rel=$(printf '%s\n' "$dep" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' | head -1)
[ -n "$rel" ] || { echo "kver.sh: cannot resolve the packaged kernel (is linux-headers-amd64 installed?)" >&2; exit 1; }
echo "$rel"
