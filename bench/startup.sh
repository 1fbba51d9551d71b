#!/usr/bin/env bash
# Issue 13's start-up benchmark (S1–S8, bench/README.md): the real CLI as a child process in Actions mode against
# fakes served from another JVM (io.oneshot.bench.StartupBench: fake GitHub and fake ECS/EC2 on loopback, the task
# RUNNING 0.45 s after RunTask and its runner online 0.3 s later), median and spread of ROUNDS runs (default 5).
#
#   bench/startup.sh                  # mvn package of runner-demo and bench (never install), link + train, measure
#   SKIP_BUILD=1 bench/startup.sh     # reuse the jars and bench/target/image (linked runtime + trained archive)
#   ROUNDS=9 ONLY=s1,s5 bench/startup.sh    # scenarios: floor,s1,s4,s2,s5,s6,s8
#   JVM_FLAGS='-Xlog:class+load:file=/tmp/cl.txt:uptime' ONLY=s1 ROUNDS=1 bench/startup.sh   # profile the image runs
#
# S1 runs the jar the way the action image does: the runtime linked as runner-action/Dockerfile links it, the CDS
# archive trained by runner-action/train-cds.sh, the Dockerfile's JVM flags. S2 runs ./oneshot from this checkout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
image=bench/target/image
demo_jar=runner-demo/target/oneshot-demo.jar
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -DskipTests -pl runner-demo,bench -am package
fi
if [[ -z "${SKIP_BUILD:-}" || ! -x "$image/jre/bin/java" ]]; then
  rm -rf "$image" && mkdir -p "$image"
  runner-action/link-runtime.sh "$image/jre"   # the Dockerfile's runtime, linked the same way
fi
cp runner-action/target/oneshot.jar "$image/oneshot.jar"
if [[ -z "${SKIP_BUILD:-}" || ! -f "$image/oneshot.jsa" || "$image/oneshot.jar" -nt "$image/oneshot.jsa" ]]; then
  runner-action/train-cds.sh "$image/jre/bin/java" "$image/oneshot.jar" "$demo_jar" "$image/oneshot.jsa"
fi
echo "load before: $(uptime)"
java -cp "$demo_jar:bench/target/classes" -Dbench.rounds="${ROUNDS:-5}" -Dbench.checkout="$root" \
  -Dbench.jar="$image/oneshot.jar" -Dbench.imageJava="$image/jre/bin/java" -Dbench.archive="$image/oneshot.jsa" \
  ${ONLY:+-Dbench.only="$ONLY"} ${JVM_FLAGS:+-Dbench.jvmFlags="$JVM_FLAGS"} io.oneshot.bench.StartupBench
echo "load after: $(uptime)"
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $(date -u +%F)"
