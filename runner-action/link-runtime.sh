#!/usr/bin/env bash
# Links the action image's Java runtime: only the modules in runner-action/jlink-modules.txt, no debug
# attributes, man pages or headers, compressed; then strips the native libraries' symbol tables (libjvm.so
# alone carries 4 MB of them in some JDK builds; stack traces of Java code are unaffected).
#
#   link-runtime.sh OUTPUT_DIR
#
# No class-data-sharing archive is generated here: train-cds.sh dumps one static archive of the JDK's and
# oneshot's classes, which the image maps instead of the JDK's default archive. Used by runner-action/Dockerfile,
# RuntimeImageIT and bench/image-payload.sh, so all three measure and run the same runtime.
set -euo pipefail
if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUTPUT_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out=$1
rm -rf "$out"
jlink --add-modules "$(tr -d ' \n' < "$here/jlink-modules.txt")" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out"
if command -v strip >/dev/null; then
  find "$out" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "link-runtime: no strip on PATH; native libraries keep their symbol tables" >&2
fi
