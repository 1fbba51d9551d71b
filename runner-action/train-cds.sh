#!/usr/bin/env bash
# Trains the action image's class-data-sharing archive on the product jar alone (AppCDS needs the same
# class path at run time as at training, so the archive cannot be trained on the demo jar).
#
#   train-cds.sh JAVA ONESHOT_JAR DEMO_JAR ARCHIVE
#
# JAVA is the linked runtime's java (the image's), ONESHOT_JAR the action jar at the path the image runs it
# from, DEMO_JAR runner-demo's jar, used only to serve the training fakes from ANOTHER JVM (FAKES_JAVA, by
# default the java on PATH: the fakes need jdk.httpserver, which the image's runtime does not have).
# Starts the fakes (fake GitHub and fake ECS/EC2 on loopback, real clock), runs a real `start` in Actions
# mode recording the classes it loads (-XX:DumpLoadedClassList), dumps ONE static archive of those JDK and
# oneshot classes (-Xshare:dump), then runs `stop` with that archive required (-Xshare:on), checks both
# succeeded, and stops the fakes. A static archive replaces the JDK's default one (which the runtime then
# need not carry) instead of layering a dynamic archive on it. Used by runner-action/Dockerfile and by
# RuntimeImageIT.
set -euo pipefail
if [[ $# -ne 4 ]]; then
  echo "usage: $0 JAVA ONESHOT_JAR DEMO_JAR ARCHIVE" >&2
  exit 2
fi
java_bin=$1 jar=$2 demo_jar=$3 archive=$4
fakes_java=${FAKES_JAVA:-java}
work=$(mktemp -d "${TMPDIR:-/tmp}/oneshot-cds.XXXXXX")
fakes_pid=
cleanup() {
  if [[ -n "$fakes_pid" ]]; then
    kill "$fakes_pid" 2>/dev/null || true
    wait "$fakes_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$fakes_java" -cp "$demo_jar" io.oneshot.demo.TrainingFakes "$work/fakes" 600 >"$work/fakes.log" 2>&1 &
fakes_pid=$!
for _ in $(seq 1 600); do
  [[ -f "$work/fakes/ready" ]] && break
  if ! kill -0 "$fakes_pid" 2>/dev/null; then
    echo "train-cds: the training fakes died:" >&2
    cat "$work/fakes.log" >&2
    exit 1
  fi
  sleep 0.2
done
[[ -f "$work/fakes/ready" ]] || { echo "train-cds: the training fakes did not start in 120 s" >&2; exit 1; }

mapfile -t environment <"$work/fakes/ecs.env"
# Only what the fakes wrote (a clean environment: no INPUT_*, GITHUB_* or AWS_* of the caller's).
run() { env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${environment[@]}" "$@"; }

rm -f "$archive"
if ! run GITHUB_OUTPUT="$work/start.out" GITHUB_STEP_SUMMARY="$work/start.md" \
    "$java_bin" -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" -jar "$jar" >"$work/start.log" 2>&1; then
  echo "train-cds: the training start failed:" >&2
  cat "$work/start.log" >&2
  exit 1
fi
runner_id=$(sed -n 's/^runner_id=//p' "$work/start.out" | head -1)
[[ -n "$runner_id" ]] || { echo "train-cds: no runner_id" >&2; cat "$work/start.log" >&2; exit 1; }
# The class path at dump time must be the one the image runs with (-jar JAR puts exactly JAR on it).
if ! "$java_bin" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$archive" \
    -cp "$jar" >"$work/dump.log" 2>&1 || [[ ! -f "$archive" ]]; then
  echo "train-cds: dumping the archive failed:" >&2
  cat "$work/dump.log" >&2
  exit 1
fi

if ! run GITHUB_OUTPUT="$work/stop.out" GITHUB_STEP_SUMMARY="$work/stop.md" INPUT_MODE=stop INPUT_RUNNER-ID="$runner_id" \
    "$java_bin" -Xshare:on -XX:SharedArchiveFile="$archive" -XX:TieredStopAtLevel=1 -jar "$jar" >"$work/stop.log" 2>&1; then
  echo "train-cds: the stop with the trained archive failed:" >&2
  cat "$work/stop.log" >&2
  exit 1
fi
echo "train-cds: trained $archive ($(du -k "$archive" | cut -f1) KiB) on start, stop ran with it; runner_id $runner_id"
