#!/usr/bin/env bash
# The action image's payload and start-up, measured the way the Dockerfile builds the image (no Docker
# needed): links the runtime with runner-action/jlink-modules.txt and the Dockerfile's jlink flags, trains
# the CDS archive with runner-action/train-cds.sh, prints the payload (runtime + oneshot.jar on disk) and
# the wall time of real CLI runs (process start to exit, Actions mode, `start` of 2 runners with wait, then
# `stop`) against the training fakes, median of ROUNDS (default 5), with and without the trained archive.
#
#   bench/image-payload.sh            # builds runner-action and runner-demo first (mvn package, never install)
#   SKIP_BUILD=1 bench/image-payload.sh
#   ROUNDS=9 bench/image-payload.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${ROUNDS:-5}
out=bench/target/image
jar=runner-action/target/oneshot.jar
demo_jar=runner-demo/target/oneshot-demo.jar

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -DskipTests -pl runner-demo -am package
fi
rm -rf "$out" && mkdir -p "$out"
runner-action/link-runtime.sh "$out/jre"   # the Dockerfile's runtime, linked the same way
cp "$jar" "$out/oneshot.jar"
java_bin="$out/jre/bin/java"
runner-action/train-cds.sh "$java_bin" "$out/oneshot.jar" "$demo_jar" "$out/oneshot.jsa"

mb() { du -sb "$@" | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }   # decimal MB of apparent size
echo
echo "== payload (on disk)"
echo "runtime ($out/jre):        $(mb "$out/jre") MB"
echo "oneshot.jar:               $(mb "$out/oneshot.jar") MB ($(stat -c %s "$out/oneshot.jar") bytes)"
echo "payload (runtime + jar):   $(mb "$out/jre" "$out/oneshot.jar") MB"
echo "CDS archive (not counted): $(mb "$out/oneshot.jsa") MB"
echo "runtime modules: $("$java_bin" --list-modules | sed 's/@.*//' | tr '\n' ' ')"

# Start-up against the same fakes train-cds.sh uses, served from another JVM.
fakes="$out/fakes"
java -cp "$demo_jar" io.oneshot.demo.TrainingFakes "$fakes" 900 >"$out/fakes.log" 2>&1 &
fakes_pid=$!
trap 'kill "$fakes_pid" 2>/dev/null || true; wait "$fakes_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [[ -f "$fakes/ready" ]] && break; sleep 0.2; done
mapfile -t environment <"$fakes/ecs.env"

millis() { echo $(( $(date +%s%N) / 1000000 )); }
# One round: start (2 runners, wait until online) then stop; prints "start_ms stop_ms".
round() {
  local flags=("$@") began start_ms stop_ms label
  began=$(millis)
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${environment[@]}" GITHUB_OUTPUT="$out/start.out" \
    "$java_bin" "${flags[@]}" -jar "$out/oneshot.jar" >"$out/round.log" 2>&1 || { cat "$out/round.log" >&2; exit 1; }
  start_ms=$(( $(millis) - began ))
  label=$(sed -n 's/^runner_id=//p' "$out/start.out" | tail -1)
  began=$(millis)
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${environment[@]}" GITHUB_OUTPUT="$out/stop.out" INPUT_MODE=stop \
    INPUT_RUNNER-ID="$label" "$java_bin" "${flags[@]}" -jar "$out/oneshot.jar" >"$out/round.log" 2>&1 \
    || { cat "$out/round.log" >&2; exit 1; }
  stop_ms=$(( $(millis) - began ))
  rm -f "$out/start.out" "$out/stop.out"
  echo "$start_ms $stop_ms"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
measure() {
  local name=$1; shift
  : >"$out/rounds.txt"
  round "$@" >/dev/null   # warm the page cache and the fakes
  for _ in $(seq 1 "$rounds"); do round "$@" >>"$out/rounds.txt"; done
  printf '%-34s start %5s ms   stop %5s ms   (rounds: %s)\n' "$name" \
    "$(cut -d' ' -f1 "$out/rounds.txt" | median)" "$(cut -d' ' -f2 "$out/rounds.txt" | median)" \
    "$(cut -d' ' -f1 "$out/rounds.txt" | tr '\n' ' ')"
}
echo
echo "== start-up, median of $rounds (process start to exit; start includes ~1 s of the fleet's first poll wait)"
measure "with the archive (image flags)" -XX:SharedArchiveFile="$out/oneshot.jsa" -XX:TieredStopAtLevel=1
measure "without the archive (the runtime carries no default CDS archive)" -XX:TieredStopAtLevel=1
measure "without any CDS (-Xshare:off)" -Xshare:off -XX:TieredStopAtLevel=1
echo
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
