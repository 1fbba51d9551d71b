#!/usr/bin/env bash
# Stand-in for the runner's config.sh. STUB_CONFIG: ok (default), fail:N, or hang (until SIGTERM);
# STUB_REMOVE_EXIT: the exit code of `config.sh remove`.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
. "$here/common.sh"

stub_log "config.sh args=[$*]"
[[ -z ${RUNNER_TOKEN+x} ]] || stub_log "config.sh saw RUNNER_TOKEN"
if [[ ${1:-} == remove ]]; then
  printf '%s' "${ACTIONS_RUNNER_INPUT_TOKEN:-}" >"$STUB_DIR/remove-token"
  exit "${STUB_REMOVE_EXIT:-0}"
fi
printf '%s' "${ACTIONS_RUNNER_INPUT_TOKEN:-}" >"$STUB_DIR/config-token"
case ${STUB_CONFIG:-ok} in
  ok) exit 0 ;;
  fail:*) exit "${STUB_CONFIG#fail:}" ;;
  hang)
    trap 'stub_log "config.sh got TERM"; exit 143' TERM
    while :; do
      sleep 0.05
    done
    ;;
esac
