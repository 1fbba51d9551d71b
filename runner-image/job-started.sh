#!/usr/bin/env bash
# oneshot job-started hook. The entrypoint names this file in ACTIONS_RUNNER_HOOK_JOB_STARTED, so
# the runner runs it (as `bash -e job-started.sh`) when its job starts, before the job's first step.
#
# Run binding: when the launcher bound the runner to a repository (ONESHOT_BOUND_REPOSITORY, owner/repo)
# and a workflow run (ONESHOT_BOUND_RUN_ID), a job of any other repository or run is refused: the hook
# exits non-zero, so the runner fails that job before any step, and prints one line (into that job's
# log) naming both. The runner gives the hook the job's GITHUB_REPOSITORY and GITHUB_RUN_ID. A bound
# variable that is unset is not checked; ONESHOT_RUN_BINDING=off turns the check off.
#
# Then it leaves a marker that turns the entrypoint's idle timer off and runs the image's own
# job-started hook if there was one. An accepted job gets no output from it: hook output goes into
# the job's log.
set -euo pipefail

bound_repository=${ONESHOT_BOUND_REPOSITORY:-}
bound_run=${ONESHOT_BOUND_RUN_ID:-}
if [[ ${ONESHOT_RUN_BINDING:-on} != [Oo][Ff][Ff] ]] && [[ -n $bound_repository || -n $bound_run ]]; then
  job_repository=${GITHUB_REPOSITORY:-}
  job_run=${GITHUB_RUN_ID:-}
  # Repository names are case-insensitive in GitHub; run ids are numbers.
  if [[ -n $bound_repository && ${job_repository,,} != "${bound_repository,,}" ]] \
     || [[ -n $bound_run && $job_run != "$bound_run" ]]; then
    echo "oneshot: this runner is bound to repository ${bound_repository:-(any)} run ${bound_run:-(any)}; refusing a job of repository ${job_repository:-(unknown)} run ${job_run:-(unknown)} (ONESHOT_RUN_BINDING=off turns the check off)" >&2
    exit 1
  fi
fi

state_dir=${ONESHOT_STATE_DIR:-/tmp/oneshot}
if ! { mkdir -p "$state_dir" && : >"$state_dir/job-started"; } 2>/dev/null; then
  # The job goes on: the entrypoint also sees the runner's worker process.
  echo "oneshot: could not record the job start in $state_dir" >&2
fi

if [[ -n ${ONESHOT_USER_JOB_STARTED_HOOK:-} ]]; then
  exec bash -e "$ONESHOT_USER_JOB_STARTED_HOOK"
fi
