#!/usr/bin/env bash
# oneshot job-started hook. The entrypoint names this file in ACTIONS_RUNNER_HOOK_JOB_STARTED, so
# the runner runs it (as `bash -e job-started.sh`) when its job starts. It leaves a marker that
# turns the entrypoint's idle timer off, then runs the image's own job-started hook if there was
# one. It prints nothing: hook output goes into the job's log.
set -euo pipefail

state_dir=${ONESHOT_STATE_DIR:-/tmp/oneshot}
if ! { mkdir -p "$state_dir" && : >"$state_dir/job-started"; } 2>/dev/null; then
  # The job goes on: the entrypoint also sees the runner's worker process.
  echo "oneshot: could not record the job start in $state_dir" >&2
fi

if [[ -n ${ONESHOT_USER_JOB_STARTED_HOOK:-} ]]; then
  exec bash -e "$ONESHOT_USER_JOB_STARTED_HOOK"
fi
