#!/usr/bin/env bash
# Build, start, stop the local Neo4j 5.26 server used by graphmem (see README.md beside this file).
#
#   tools/neo4j/ctl.sh build     build target/graphmem-neo4j.jar + target/lib/ (only when stale)
#   tools/neo4j/ctl.sh start     build if needed, start in the background, return once Bolt answers
#   tools/neo4j/ctl.sh stop      stop the server started by `start` (clean shutdown, SIGKILL after 60 s)
#   tools/neo4j/ctl.sh restart
#   tools/neo4j/ctl.sh status    exit 0 when running, 3 when not
#   tools/neo4j/ctl.sh logs      tail of the server's output and debug.log
#   tools/neo4j/ctl.sh with CMD ARGS...
#                                start if not running, run CMD with GRAPHMEM_NEO4J_URI exported,
#                                stop again only if this call started it; exits with CMD's status
#
# Environment (all optional):
#   GRAPHMEM_NEO4J_BOLT_PORT (7687)  GRAPHMEM_NEO4J_HTTP_PORT (7474)  GRAPHMEM_NEO4J_HOST (127.0.0.1)
#   GRAPHMEM_NEO4J_DATA (tools/neo4j/data)   store folder, kept across restarts
#   GRAPHMEM_NEO4J_PASSWORD (graphmem)       password given to user neo4j on a fresh store
#   GRAPHMEM_NEO4J_HEAP (1g)                 JVM -Xmx
#   GRAPHMEM_NEO4J_START_TIMEOUT (180)       seconds to wait for Bolt
#   GRAPHMEM_NEO4J_JAVA_OPTS                 extra JVM options
#   MAVEN_REPO_LOCAL                         Maven local repository (default ~/.m2/repository)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/target/graphmem-neo4j.jar"
RUN="${GRAPHMEM_NEO4J_RUN:-$HERE/run}"
PIDFILE="$RUN/neo4j.pid"
OUT="$RUN/neo4j.out"
HOST="${GRAPHMEM_NEO4J_HOST:-127.0.0.1}"
BOLT_PORT="${GRAPHMEM_NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${GRAPHMEM_NEO4J_HTTP_PORT:-7474}"
DATA="${GRAPHMEM_NEO4J_DATA:-$HERE/data}"
HEAP="${GRAPHMEM_NEO4J_HEAP:-1g}"
TIMEOUT="${GRAPHMEM_NEO4J_START_TIMEOUT:-180}"
READY="graphmem-neo4j ready"

SERVICE=neo4j
SERVICE_PATTERN=graphmem-neo4j
STOP_GRACE=60
# shellcheck source=../service.sh
source "$HERE/../service.sh"

need() {
    command -v "$1" >/dev/null 2>&1 \
        || die "'$1' not found; install Java 17+ and Maven 3.6+ (Debian: apt-get install -y openjdk-17-jdk-headless maven)"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

stale() {
    [[ -f "$JAR" && -d "$HERE/target/lib" ]] || return 0
    [[ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$JAR" -print -quit)" ]]
}

cmd_build() {
    if ! stale; then
        return 0
    fi
    need java
    need mvn
    local repo_opt=()
    if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then
        repo_opt=(-Dmaven.repo.local="$MAVEN_REPO_LOCAL")
    elif ! mkdir -p "${HOME:-/nonexistent}/.m2/repository" 2>/dev/null \
        || [[ ! -w "${HOME:-/nonexistent}/.m2/repository" ]]; then
        repo_opt=(-Dmaven.repo.local="$HERE/.m2repo")   # no writable ~/.m2: cache beside the project
    fi
    say "building (mvn package; the first build downloads ~200 MB from Maven Central) ..."
    local t0=$SECONDS
    rm -rf "$HERE/target/lib"   # no stale jars from an older version on the class path
    # (sed: Debian's mvn prints stray ANSI resets even in batch mode)
    mvn -B -q -Dstyle.color=never "${repo_opt[@]}" -f "$HERE/pom.xml" package -DskipTests 2>&1 \
        | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' \
        || die "maven build failed"
    touch "$JAR"
    say "built $JAR in $((SECONDS - t0)) s"
}

cmd_start() {
    if pid_alive; then
        say "already running (pid $(cat "$PIDFILE")), bolt://$HOST:$BOLT_PORT"
        return 0
    fi
    rm -f "$PIDFILE"
    if port_open "$BOLT_PORT"; then
        die "port $BOLT_PORT is already in use by another process (not started by this script); stop it or set GRAPHMEM_NEO4J_BOLT_PORT"
    fi
    if port_open "$HTTP_PORT"; then
        die "port $HTTP_PORT is already in use by another process; stop it or set GRAPHMEM_NEO4J_HTTP_PORT"
    fi
    cmd_build
    need java
    mkdir -p "$RUN" "$DATA"
    local setsid=()
    command -v setsid >/dev/null 2>&1 && setsid=(setsid)
    # shellcheck disable=SC2086
    GRAPHMEM_NEO4J_HOST="$HOST" GRAPHMEM_NEO4J_BOLT_PORT="$BOLT_PORT" GRAPHMEM_NEO4J_HTTP_PORT="$HTTP_PORT" \
        "${setsid[@]}" nohup java -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
        ${GRAPHMEM_NEO4J_JAVA_OPTS:-} \
        -jar "$JAR" --data "$DATA" --run "$RUN" --pid-file "$PIDFILE" \
        >"$OUT" 2>&1 </dev/null &
    local launcher=$! t0=$SECONDS
    say "starting (log: $OUT) ..."
    while true; do
        if grep -q "^$READY" "$OUT" 2>/dev/null && port_open "$BOLT_PORT"; then
            say "$(grep "^$READY" "$OUT" | tail -1)"
            say "started in $((SECONDS - t0)) s, pid $(cat "$PIDFILE" 2>/dev/null || echo "$launcher")"
            return 0
        fi
        if ! kill -0 "$launcher" 2>/dev/null && ! pid_alive && ! { sleep 2; pid_alive; }; then
            echo "neo4j: error: the server exited during start; last lines of $OUT:" >&2
            tail -n 40 "$OUT" >&2 || true
            rm -f "$PIDFILE"
            exit 1
        fi
        if ((SECONDS - t0 >= TIMEOUT)); then
            echo "neo4j: error: Bolt did not answer on $HOST:$BOLT_PORT within $TIMEOUT s; last lines of $OUT:" >&2
            tail -n 40 "$OUT" >&2 || true
            [[ -f "$RUN/logs/debug.log" ]] && { echo "--- debug.log ---" >&2; tail -n 40 "$RUN/logs/debug.log" >&2; }
            cmd_stop >/dev/null 2>&1 || true
            kill "$launcher" 2>/dev/null || true
            exit 1
        fi
        sleep 0.5
    done
}

cmd_logs() {
    [[ -f "$OUT" ]] && { echo "--- $OUT ---"; tail -n 40 "$OUT"; }
    [[ -f "$RUN/logs/debug.log" ]] && { echo "--- $RUN/logs/debug.log ---"; tail -n 40 "$RUN/logs/debug.log"; }
    return 0
}

address() { echo "bolt://$HOST:$BOLT_PORT  http://$HOST:$HTTP_PORT/browser/"; }

cmd_with() { service_with "GRAPHMEM_NEO4J_URI=bolt://$HOST:$BOLT_PORT" "$@"; }

case "${1:-}" in
    build) cmd_build ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    logs) cmd_logs ;;
    with) shift; cmd_with "$@" ;;
    *) echo "usage: $0 {build|start|stop|restart|status|logs|with CMD...}" >&2; exit 2 ;;
esac
