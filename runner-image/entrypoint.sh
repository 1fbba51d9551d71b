#!/usr/bin/env bash
# oneshot runner entrypoint.
#
# Registers one GitHub Actions runner (JIT config, or a registration token), lets it run exactly one
# job, and ends the container when the job is done, when no job has started within the idle
# timeout, when the maximum lifetime is reached, or when the platform stops the container. The exit
# code says which; the table is in runner-image/README.md and io.oneshot.spi.RunnerExitCodes.
#
# Secrets (the JIT config, the registration token, the seal private key) are never printed and never
# put on a command line: no `set -x`, no dump of the environment.
#
# Sealed credentials (docs/sealed-jit.md): when the launcher sealed the JIT config or the token to the
# public key of seal-public-key, the container gets ONESHOT_SEALED_JITCONFIG or
# ONESHOT_SEALED_RUNNER_TOKEN, and the platform injects ONESHOT_SEAL_PRIVATE_KEY from its secret
# store. The entrypoint opens the value with `openssl cms` first and starts itself again without the
# key and the sealed value in its environment, so no process that a job can see ever holds the key.
#
# Sourcing this file only defines its functions (the tests do that); running it runs main.

set -uo pipefail

# The exit codes. Keep in step with runner-image/README.md and RunnerExitCodes.java (a test checks).
readonly EXIT_JOB_DONE=0
readonly EXIT_RUNNER_FAILED=1
readonly EXIT_REGISTRATION_FAILED=3
readonly EXIT_NO_JOB=4
readonly EXIT_IDLE_TIMEOUT=5
readonly EXIT_MAX_LIFETIME=6
readonly EXIT_INVALID_SETUP=64
readonly EXIT_UNSEAL_FAILED=65
# A stop by the platform's signal exits 128 + the signal's number: 143 SIGTERM, 130 SIGINT, 129 SIGHUP.

readonly DEFAULT_IDLE_TIMEOUT=10m
readonly DEFAULT_MAX_LIFETIME=6h
readonly DEFAULT_STOP_GRACE=20s
readonly DURATION_FORMS='whole seconds (600) or h, m, s, ms units (90s, 10m, 1h30m, 500ms; ISO PT10M also works)'

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNNER_HOME_DIR=${ONESHOT_RUNNER_HOME:-/home/runner}
STATE_DIR=${ONESHOT_STATE_DIR:-/tmp/oneshot}

MODE=""                  # jit | token
OPENED=""                # open_sealed: the opened credential, only until it is exported
REG_TOKEN=""             # token mode: the registration token, never exported
IDLE_MS=0
MAX_MS=0
GRACE_MS=0
IDLE_DEADLINE=0
MAX_DEADLINE=0
NOW_MS=0
DURATION_MS=0
TICK_FD=""
CHILD_PID=""
CHILD_RC=0
JOB_STARTED=0
REGISTRATION_ATTEMPTED=0
PENDING_SIGNAL=""

log() {
  printf 'oneshot: %s\n' "$*" >&2
}

# Prints a duration in milliseconds the way it was probably given: 600s, or 300ms below a second.
format_ms() {
  if (($1 % 1000 == 0)); then
    printf '%ss' $(($1 / 1000))
  else
    printf '%sms' "$1"
  fi
}

# Sets NOW_MS to the wall clock in milliseconds, without forking.
now_ms() {
  local micros=${EPOCHREALTIME//[!0-9]/}
  NOW_MS=$((10#$micros / 1000))
}

# Parses a duration into DURATION_MS: whole seconds ("600"), or units in the order h, m, s, ms
# ("90s", "10m", "1h30m", "500ms"), or the same as ISO-8601 ("PT1H30M"). Returns 1 when the text
# is not such a duration or is zero.
parse_duration() {
  local text=${1,,} total=0 rank=0 number unit unit_rank
  if [[ $text =~ ^[0-9]{1,9}$ ]]; then
    total=$((10#$text * 1000))
  else
    text=${text#pt}
    [[ -n $text ]] || return 1
    while [[ -n $text ]]; do
      [[ $text =~ ^([0-9]{1,9})(ms|h|m|s)(.*)$ ]] || return 1
      number=$((10#${BASH_REMATCH[1]}))
      unit=${BASH_REMATCH[2]}
      text=${BASH_REMATCH[3]}
      case $unit in
        h) unit_rank=1; total=$((total + number * 3600000)) ;;
        m) unit_rank=2; total=$((total + number * 60000)) ;;
        s) unit_rank=3; total=$((total + number * 1000)) ;;
        ms) unit_rank=4; total=$((total + number)) ;;
      esac
      ((unit_rank > rank)) || return 1
      rank=$unit_rank
    done
  fi
  ((total > 0)) || return 1
  DURATION_MS=$total
}

# Reads one duration variable into the named global, or adds a one-line problem to PROBLEMS.
read_duration() {
  local name=$1 default=$2 target=$3 value
  value=${!name:-$default}
  if parse_duration "$value"; then
    printf -v "$target" '%s' "$DURATION_MS"
  else
    PROBLEMS+=("$name: \"$value\" is not a positive duration; use $DURATION_FORMS")
  fi
}

# Checks the whole environment at once and picks the mode; prints every problem, one line each.
check_environment() {
  PROBLEMS=()
  local jit=${ACTIONS_RUNNER_INPUT_JITCONFIG:-} url=${RUNNER_URL:-}
  if [[ -n $jit && ( -n $url || -n $REG_TOKEN ) ]]; then
    PROBLEMS+=("set either ACTIONS_RUNNER_INPUT_JITCONFIG (JIT mode) or RUNNER_URL and RUNNER_TOKEN (token mode), not both")
  elif [[ -n $jit ]]; then
    MODE=jit
  elif [[ -n $url || -n $REG_TOKEN ]]; then
    MODE=token
    if [[ -z $url ]]; then
      PROBLEMS+=("RUNNER_URL is missing: token mode needs the URL to register at, such as https://github.com/octo-org/app")
    elif [[ ! $url =~ ^https?://[^[:space:]]+$ ]]; then
      PROBLEMS+=("RUNNER_URL: \"$url\" is not an http(s) URL; use the repository, organization or enterprise URL, such as https://github.com/octo-org/app")
    fi
    if [[ -z $REG_TOKEN ]]; then
      PROBLEMS+=("RUNNER_TOKEN is missing: token mode needs a registration token")
    fi
    if [[ -z ${RUNNER_NAME:-} ]]; then
      PROBLEMS+=("RUNNER_NAME is missing: token mode needs a runner name unique in its scope (config.sh --replace would take over a runner of the same name)")
    fi
  else
    PROBLEMS+=("no runner credential: set ACTIONS_RUNNER_INPUT_JITCONFIG (JIT mode) or RUNNER_URL and RUNNER_TOKEN (token mode)")
  fi
  read_duration ONESHOT_IDLE_TIMEOUT "$DEFAULT_IDLE_TIMEOUT" IDLE_MS
  read_duration ONESHOT_MAX_LIFETIME "$DEFAULT_MAX_LIFETIME" MAX_MS
  read_duration ONESHOT_STOP_GRACE "$DEFAULT_STOP_GRACE" GRACE_MS
  if [[ ! -x $RUNNER_HOME_DIR/run.sh ]]; then
    PROBLEMS+=("ONESHOT_RUNNER_HOME: no executable run.sh in $RUNNER_HOME_DIR; point it at the runner's folder (default /home/runner)")
  elif [[ $MODE == token && ! -x $RUNNER_HOME_DIR/config.sh ]]; then
    PROBLEMS+=("ONESHOT_RUNNER_HOME: no executable config.sh in $RUNNER_HOME_DIR; token mode needs it to register")
  fi
  local problem
  for problem in "${PROBLEMS[@]}"; do
    log "$problem"
  done
  ((${#PROBLEMS[@]} == 0))
}

# Opens one sealed value (base64 DER CMS, as io.oneshot.spi.CredentialSealer writes it) into OPENED
# with the PEM key in $2. The key reaches openssl through a pipe, never a file or an argument.
open_sealed() {
  local sealed=$1 key=$2
  # pipefail (set above) fails the substitution when base64 or openssl fails; openssl checks the GCM tag.
  OPENED=$(base64 -d <<<"$sealed" 2>/dev/null \
    | openssl cms -decrypt -binary -inform DER -inkey /dev/fd/3 3< <(printf '%s\n' "$key") 2>/dev/null) \
    && [[ -n $OPENED ]]
}

# Opens the sealed JIT config or token and starts the entrypoint again with the opened credential in
# the variable the unsealed flow reads, and without ONESHOT_SEAL_PRIVATE_KEY or the sealed values in
# its environment: exec leaves nothing of this process behind. Never returns.
unseal_and_restart() {
  local key=${ONESHOT_SEAL_PRIVATE_KEY:-} jit=${ONESHOT_SEALED_JITCONFIG:-} token=${ONESHOT_SEALED_RUNNER_TOKEN:-}
  local name=ONESHOT_SEALED_JITCONFIG target=ACTIONS_RUNNER_INPUT_JITCONFIG sealed=$jit
  if [[ -n $jit && -n $token ]]; then
    log "set either ONESHOT_SEALED_JITCONFIG or ONESHOT_SEALED_RUNNER_TOKEN, not both"
    exit "$EXIT_INVALID_SETUP"
  elif [[ -n $token ]]; then
    name=ONESHOT_SEALED_RUNNER_TOKEN target=RUNNER_TOKEN sealed=$token
  fi
  if [[ -n $sealed ]]; then
    if [[ -n ${!target:-} ]]; then
      log "set either $name or $target, not both"
      exit "$EXIT_INVALID_SETUP"
    fi
    if [[ -z $key ]]; then
      log "$name is sealed but ONESHOT_SEAL_PRIVATE_KEY is not set; inject the private key from the secret store (ECS: the task definition's secrets; Cloud Run: the job's --set-secrets), see docs/sealed-jit.md"
      exit "$EXIT_UNSEAL_FAILED"
    fi
    if ! command -v openssl >/dev/null || ! command -v base64 >/dev/null; then
      log "$name is sealed but the image has no openssl (or base64) to open it; install openssl 3 in the image"
      exit "$EXIT_UNSEAL_FAILED"
    fi
    if ! open_sealed "$sealed" "$key"; then
      log "$name could not be opened with ONESHOT_SEAL_PRIVATE_KEY: the key is not the private half of seal-public-key, is not a PEM private key, or the value was changed on the way"
      exit "$EXIT_UNSEAL_FAILED"
    fi
    export "$target=$OPENED"
    OPENED=""
    log "opened the sealed credential ($name)"
  fi
  exec env -u ONESHOT_SEAL_PRIVATE_KEY -u ONESHOT_SEALED_JITCONFIG -u ONESHOT_SEALED_RUNNER_TOKEN "$BASH" "$0" "$@"
}

# Makes the state folder (the job-started marker) and the tick pipe the supervisor sleeps on.
prepare_state() {
  if ! mkdir -p "$STATE_DIR" 2>/dev/null || [[ ! -w $STATE_DIR ]]; then
    log "ONESHOT_STATE_DIR: cannot write to $STATE_DIR; give it a folder the runner user can write"
    return 1
  fi
  rm -f "$STATE_DIR/job-started" "$STATE_DIR/tick"
  mkfifo -m 600 "$STATE_DIR/tick" || return 1
  exec {TICK_FD}<>"$STATE_DIR/tick"
  rm -f "$STATE_DIR/tick"
}

# Waits up to 200 ms without forking; a trapped signal is handled on the next turn of the loop.
tick() {
  read -r -t 0.2 -u "$TICK_FD" _ || true
}

on_signal() {
  [[ -n $PENDING_SIGNAL ]] || PENDING_SIGNAL=$1
}

signal_exit_code() {
  case $1 in
    HUP) echo 129 ;;
    INT) echo 130 ;;
    *) echo 143 ;;
  esac
}

# Whether a Runner.Worker of this runner is running: the listener starts one as soon as it has a
# job, before the job-started hook runs, so this closes the gap between the two.
worker_running() {
  local file
  local -a argv
  for file in /proc/[0-9]*/cmdline; do
    { mapfile -d '' -t argv <"$file"; } 2>/dev/null || continue
    if [[ ${argv[0]:-} == "$RUNNER_HOME_DIR"/bin*/Runner.Worker \
       || ${argv[1]:-} == "$RUNNER_HOME_DIR"/bin*/Runner.Worker ]]; then
      return 0
    fi
  done
  return 1
}

# Whether this runner has taken its job: the hook's marker, or a running worker.
job_has_started() {
  if ((JOB_STARTED)) || [[ -e $STATE_DIR/job-started ]] || worker_running; then
    JOB_STARTED=1
  fi
  ((JOB_STARTED))
}

# Sends a signal to a process, its process group and every descendant (found through /proc, as
# the base image has no ps).
kill_tree() {
  local signal=$1 root=$2 file stat pid
  local -A children=()
  local -a fields more queue tree
  for file in /proc/[0-9]*/stat; do
    { IFS= read -r stat <"$file"; } 2>/dev/null || continue
    pid=${file#/proc/}
    pid=${pid%/stat}
    read -r -a fields <<<"${stat##*") "}"
    children[${fields[1]:-0}]+=" $pid"
  done
  queue=("$root")
  tree=()
  while ((${#queue[@]} > 0)); do
    pid=${queue[0]}
    queue=("${queue[@]:1}")
    tree+=("$pid")
    read -r -a more <<<"${children[$pid]:-}"
    queue+=("${more[@]}")
  done
  kill -s "$signal" -- "-$root" 2>/dev/null
  kill -s "$signal" -- "${tree[@]}" 2>/dev/null
  return 0
}

# Asks the child to stop (SIGTERM to its process group), and kills its whole tree when it has not
# stopped within the grace period.
stop_child() {
  kill -0 "$CHILD_PID" 2>/dev/null || return 0
  kill -s TERM -- "-$CHILD_PID" 2>/dev/null || kill -s TERM "$CHILD_PID" 2>/dev/null
  now_ms
  local deadline=$((NOW_MS + GRACE_MS))
  while kill -0 "$CHILD_PID" 2>/dev/null && ((NOW_MS < deadline)); do
    tick
    now_ms
  done
  if kill -0 "$CHILD_PID" 2>/dev/null; then
    log "the runner did not stop within $(format_ms "$GRACE_MS") of SIGTERM; killing it"
    kill_tree KILL "$CHILD_PID"
  fi
  wait "$CHILD_PID" 2>/dev/null
  return 0
}

# Token mode: removes the registration that never ran a job, so GitHub keeps no offline runner.
deregister() {
  log "removing the runner's registration"
  ACTIONS_RUNNER_INPUT_TOKEN=$REG_TOKEN "$RUNNER_HOME_DIR/config.sh" remove --unattended {TICK_FD}<&- &
  CHILD_PID=$!
  now_ms
  local deadline=$((NOW_MS + GRACE_MS)) rc
  while kill -0 "$CHILD_PID" 2>/dev/null && ((NOW_MS < deadline)); do
    tick
    now_ms
  done
  if kill -0 "$CHILD_PID" 2>/dev/null; then
    kill_tree KILL "$CHILD_PID"
  fi
  wait "$CHILD_PID"
  rc=$?
  if ((rc == 0)); then
    log "registration removed"
  else
    log "could not remove the registration (config.sh remove exited with $rc); the sweep deletes offline runners"
  fi
}

# Ends the container with a code; deregisters first when a token-mode runner never took a job.
finish() {
  local code=$1
  if [[ $MODE == token ]] && ((REGISTRATION_ATTEMPTED)) && ! job_has_started; then
    deregister
  fi
  [[ -z $TICK_FD ]] || exec {TICK_FD}<&-
  log "exit $code"
  exit "$code"
}

# Stops the runner for a reason of ours or the platform's and ends the container.
stop_and_exit() {
  local code=$1 reason=$2
  job_has_started || true
  log "$reason; stopping the runner"
  stop_child
  finish "$code"
}

# Watches the child until it exits (CHILD_RC) or a signal, the idle timeout or the maximum
# lifetime ends the container.
supervise() {
  while kill -0 "$CHILD_PID" 2>/dev/null; do
    if [[ -n $PENDING_SIGNAL ]]; then
      stop_and_exit "$(signal_exit_code "$PENDING_SIGNAL")" "SIG$PENDING_SIGNAL from the platform"
    fi
    now_ms
    if ((!JOB_STARTED && NOW_MS >= IDLE_DEADLINE)) && ! job_has_started; then
      stop_and_exit "$EXIT_IDLE_TIMEOUT" "idle timeout: no job started within $(format_ms "$IDLE_MS")"
    fi
    if ((NOW_MS >= MAX_DEADLINE)); then
      stop_and_exit "$EXIT_MAX_LIFETIME" "maximum lifetime of $(format_ms "$MAX_MS") reached"
    fi
    tick
  done
  wait "$CHILD_PID"
  CHILD_RC=$?
}

register() {
  local -a args=(--unattended --ephemeral --disableupdate --replace --url "$RUNNER_URL" --name "$RUNNER_NAME")
  [[ -z ${RUNNER_LABELS:-} ]] || args+=(--labels "$RUNNER_LABELS")
  [[ -z ${RUNNER_GROUP:-} ]] || args+=(--runnergroup "$RUNNER_GROUP")
  [[ -z ${RUNNER_WORKDIR:-} ]] || args+=(--work "$RUNNER_WORKDIR")
  log "registering runner $RUNNER_NAME at $RUNNER_URL"
  REGISTRATION_ATTEMPTED=1
  # The runner reads ACTIONS_RUNNER_INPUT_TOKEN as --token and masks it; no argument list shows it.
  ACTIONS_RUNNER_INPUT_TOKEN=$REG_TOKEN "$RUNNER_HOME_DIR/config.sh" "${args[@]}" {TICK_FD}<&- &
  CHILD_PID=$!
  supervise
  if ((CHILD_RC != 0)); then
    log "registration failed: config.sh exited with $CHILD_RC"
    REGISTRATION_ATTEMPTED=0
    finish "$EXIT_REGISTRATION_FAILED"
  fi
  if [[ -n $PENDING_SIGNAL ]]; then
    finish "$(signal_exit_code "$PENDING_SIGNAL")"
  fi
}

run_runner() {
  log "starting the runner"
  # JIT mode: run.sh reads ACTIONS_RUNNER_INPUT_JITCONFIG itself, masks it and drops it from the
  # environment its jobs see.
  "$RUNNER_HOME_DIR/run.sh" {TICK_FD}<&- &
  CHILD_PID=$!
  supervise
  job_has_started || true
  if ((CHILD_RC != 0)); then
    log "the runner exited with $CHILD_RC"
    finish "$EXIT_RUNNER_FAILED"
  elif ((JOB_STARTED)); then
    log "the runner ran its job"
    finish "$EXIT_JOB_DONE"
  else
    log "the runner exited without running a job"
    finish "$EXIT_NO_JOB"
  fi
}

main() {
  # PID 1 ignores signals it has no handler for: trap before anything else.
  trap 'on_signal TERM' TERM
  trap 'on_signal INT' INT
  trap 'on_signal HUP' HUP
  if [[ -n ${ONESHOT_SEAL_PRIVATE_KEY+x} || -n ${ONESHOT_SEALED_JITCONFIG+x} || -n ${ONESHOT_SEALED_RUNNER_TOKEN+x} ]]; then
    unseal_and_restart "$@"
  fi
  if [[ -n ${RUNNER_TOKEN:-} ]]; then
    # Start again without the token in the environment: a job runs as the same user and could read
    # /proc/1/environ. The token comes back over a pipe into a shell variable.
    exec env -u RUNNER_TOKEN ONESHOT_INTERNAL_TOKEN_FD=3 "$BASH" "$0" "$@" 3<<<"$RUNNER_TOKEN"
  fi
  if [[ ${ONESHOT_INTERNAL_TOKEN_FD:-} == 3 ]]; then
    IFS= read -r REG_TOKEN <&3 || true
    exec 3<&-
    unset ONESHOT_INTERNAL_TOKEN_FD
  fi
  check_environment || exit "$EXIT_INVALID_SETUP"
  prepare_state || exit "$EXIT_INVALID_SETUP"
  # Job control: the runner gets its own process group, and SIGINT is not ignored in it (bash
  # ignores SIGINT in background commands otherwise, and the runner stops on SIGINT).
  set -m
  export ONESHOT_STATE_DIR=$STATE_DIR
  if [[ -n ${ACTIONS_RUNNER_HOOK_JOB_STARTED:-} && $ACTIONS_RUNNER_HOOK_JOB_STARTED != "$SCRIPT_DIR/job-started.sh" ]]; then
    export ONESHOT_USER_JOB_STARTED_HOOK=$ACTIONS_RUNNER_HOOK_JOB_STARTED
  fi
  export ACTIONS_RUNNER_HOOK_JOB_STARTED=$SCRIPT_DIR/job-started.sh
  export RUNNER_MANUALLY_TRAP_SIG=${RUNNER_MANUALLY_TRAP_SIG:-1}
  now_ms
  IDLE_DEADLINE=$((NOW_MS + IDLE_MS))
  MAX_DEADLINE=$((NOW_MS + MAX_MS))
  log "$MODE mode; idle timeout $(format_ms "$IDLE_MS"), maximum lifetime $(format_ms "$MAX_MS")"
  if [[ -n $PENDING_SIGNAL ]]; then
    finish "$(signal_exit_code "$PENDING_SIGNAL")"
  fi
  if [[ $MODE == token ]]; then
    register
  fi
  run_runner
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
