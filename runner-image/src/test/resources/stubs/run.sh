#!/usr/bin/env bash
# Stand-in for the runner's run.sh. STUB_RUN says what it does:
#   job              run the job-started hook the way the runner does, work STUB_JOB_MS, exit 0
#   worker-then-hook start a Runner.Worker, run the hook only after STUB_HOOK_DELAY_MS, then as job
#   idle             wait for a job that never comes; SIGTERM/SIGINT end it with 0 (like the runner)
#   stubborn         ignore SIGTERM, with a worker child that ignores it too
#   exit:N           exit N at once, without a job
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
. "$here/common.sh"

stub_log "run.sh args=[$*]"
[[ -z ${ACTIONS_RUNNER_INPUT_JITCONFIG:-} ]] || printf '%s' "$ACTIONS_RUNNER_INPUT_JITCONFIG" >"$STUB_DIR/run-jitconfig"
[[ -z ${RUNNER_TOKEN+x} ]] || stub_log "run.sh saw RUNNER_TOKEN"
[[ -z ${ACTIONS_RUNNER_INPUT_TOKEN+x} ]] || stub_log "run.sh saw ACTIONS_RUNNER_INPUT_TOKEN"
stub_log "run.sh hook=${ACTIONS_RUNNER_HOOK_JOB_STARTED:-}"
stub_log "run.sh manual-trap=${RUNNER_MANUALLY_TRAP_SIG:-}"
stub_log "run.sh $(grep SigIgn /proc/self/status)"
# What a job, running as the same user, could read of the entrypoint's environment.
tr '\0' '\n' <"/proc/$PPID/environ" >"$STUB_DIR/entrypoint-environ"

worker_pid=""
start_worker() {
  "$here/bin/Runner.Worker" &
  worker_pid=$!
}
run_hook() {
  bash -e "$ACTIONS_RUNNER_HOOK_JOB_STARTED"
  stub_log "run.sh hook exited $?"
}
on_stop() {
  stub_log "run.sh got $1"
  [[ -z $worker_pid ]] || kill "$worker_pid" 2>/dev/null
  exit 0
}

case ${STUB_RUN:-job} in
  job)
    trap 'on_stop TERM' TERM
    trap 'on_stop INT' INT
    start_worker
    run_hook
    stub_sleep_ms "${STUB_JOB_MS:-0}"
    kill "$worker_pid" 2>/dev/null
    stub_log "run.sh job done"
    exit 0
    ;;
  worker-then-hook)
    trap 'on_stop TERM' TERM
    trap 'on_stop INT' INT
    start_worker
    stub_sleep_ms "${STUB_HOOK_DELAY_MS:-0}"
    run_hook
    stub_sleep_ms "${STUB_JOB_MS:-0}"
    kill "$worker_pid" 2>/dev/null
    stub_log "run.sh job done"
    exit 0
    ;;
  idle)
    trap 'on_stop TERM' TERM
    trap 'on_stop INT' INT
    while :; do
      sleep 0.05
    done
    ;;
  stubborn)
    trap 'stub_log "run.sh ignored TERM"' TERM
    STUB_WORKER_IGNORES_TERM=1 start_worker
    while :; do
      sleep 0.05
    done
    ;;
  exit:*)
    stub_log "run.sh exits ${STUB_RUN#exit:}"
    exit "${STUB_RUN#exit:}"
    ;;
esac
