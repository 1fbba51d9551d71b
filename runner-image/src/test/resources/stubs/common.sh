# Shared by the stubs that stand in for the runner's files in the entrypoint tests.
# STUB_DIR: where the stubs leave what they saw; STUB_LOG: one line per event.

stub_log() {
  printf '%s\n' "$*" >>"$STUB_LOG"
}

# Sleeps for milliseconds in short steps, so a signal that is ignored does not end the wait.
stub_sleep_ms() {
  local end now
  now=${EPOCHREALTIME//[!0-9]/}
  end=$((10#$now / 1000 + $1))
  while :; do
    now=${EPOCHREALTIME//[!0-9]/}
    (( 10#$now / 1000 < end )) || return 0
    sleep 0.05
  done
}
