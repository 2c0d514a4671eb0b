# The life cycle that tools/neo4j/ctl.sh and tools/llama/ctl.sh share: a server started in
# the background with its pid in a file, stopped by SIGTERM (SIGKILL after a grace period),
# and `with CMD`, which runs CMD against it and stops it again only if it started it.
#
# Sourced, not run. The sourcing script sets, before it calls these:
#   SERVICE         its name, as `say` prints it ("neo4j", "llama")
#   SERVICE_PATTERN what the server's command line contains (a reused pid is not ours)
#   PIDFILE         the pid file its `cmd_start` writes
#   STOP_GRACE      seconds between SIGTERM and SIGKILL
# and defines `cmd_start` (start, return once the server answers) and `address` (where it
# answers, for `status`).

say() { echo "$SERVICE: $*"; }
die() { echo "$SERVICE: error: $*" >&2; exit 1; }

pid_alive() {
    local pid state
    [[ -s "$PIDFILE" ]] || return 1
    pid="$(cat "$PIDFILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    # a zombie, or a reused pid that is not our server, does not count
    state="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != Z* ]] || return 1
    ps -o args= -p "$pid" 2>/dev/null | grep -q -- "$SERVICE_PATTERN"
}

cmd_stop() {
    if ! pid_alive; then
        rm -f "$PIDFILE"
        say "not running"
        return 0
    fi
    local pid t0=$SECONDS
    pid="$(cat "$PIDFILE")"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS - t0 >= STOP_GRACE)); then
            say "no clean exit after $STOP_GRACE s, sending SIGKILL to $pid"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.2
    done
    rm -f "$PIDFILE"
    say "stopped (pid $pid) in $((SECONDS - t0)) s"
}

cmd_status() {
    if pid_alive; then
        say "running (pid $(cat "$PIDFILE")), $(address)"
        return 0
    fi
    say "not running"
    return 3
}

# service_with VAR=VALUE CMD ARGS...: CMD runs with VAR set to VALUE unless VAR is set.
service_with() {
    local setting="$1" started=0 status=0
    shift
    [[ $# -gt 0 ]] || die "usage: $0 with CMD [ARGS...]"
    local name="${setting%%=*}"
    if ! pid_alive; then
        cmd_start
        started=1
        trap 'cmd_stop; exit 130' INT TERM
    fi
    env "$name=${!name:-${setting#*=}}" "$@" || status=$?
    if ((started)); then
        cmd_stop
    fi
    return "$status"
}
