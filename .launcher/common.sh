# shellcheck shell=bash
# Shared by ./safeimport and ./safeimport-dev (sourced, not executed).
#
# launch NAME MODULE JAR_NAME ARGS... builds MODULE's shaded jar when it is missing or older
# than the sources, then replaces the shell with the JVM. The launcher's own messages go to
# stderr: stdout belongs to the program (--output json must stay parseable). The working
# directory is left alone because the embedded database lives in ./data relative to it.
#
# Needs SAFEIMPORT_ROOT (the repository root) to be set by the caller.

# JVM options the launchers always pass (before JAVA_OPTS, which can override them).
# -XX:InlineSmallCode=1000 (HotSpot's default on x86 is 2500): the JIT inlines less into the big
# per-row methods, so it spends less CPU compiling and recompiling them after deoptimizations. On a
# 2-core machine the JIT's C2 thread used 7-10 s of CPU in a 17-22 s dry-run of 1,000,000 users;
# with 1000, 4.7-6.4 s, and the dry-run took 15.6-17.8 s against 18.4-22.5 s (five runs each,
# interleaved, 2026-12-02). 500 and 1500 were in between.
launcher_jvm_options=(-XX:InlineSmallCode=1000)

launcher_die() { # launcher_die STATUS MESSAGE
    printf '%s: %s\n' "$launcher_name" "$2" >&2
    exit "$1"
}

# True when the jar is missing, or any pom.xml or anything under */src/main is newer than it.
# Directories count too: deleting a source file changes its directory and forces a rebuild.
launcher_jar_is_stale() {
    [[ -f $launcher_jar ]] || return 0
    local -a inputs
    shopt -s nullglob
    inputs=("$SAFEIMPORT_ROOT"/pom.xml "$SAFEIMPORT_ROOT"/*/pom.xml "$SAFEIMPORT_ROOT"/*/src/main)
    shopt -u nullglob
    [[ -n $(find "${inputs[@]}" -newer "$launcher_jar" -print -quit 2>/dev/null) ]]
}

launcher_build() {
    local reason="sources changed"
    [[ -f $launcher_jar ]] || reason="first use"
    command -v mvn >/dev/null 2>&1 \
        || launcher_die 70 "cannot build $launcher_jar: 'mvn' (Maven 3.8 or later) is not on PATH"
    printf '%s: building the jar (%s)...\n' "$launcher_name" "$reason" >&2
    # The jar gets the build's start time, so a source saved while Maven runs is still newer.
    local started="$launcher_lock_dir/.launcher-build-started"
    : >"$started" || launcher_die 70 "cannot write $started"
    # Maven must not write to stdout nor read the user's piped stdin; fd 9 is the build lock.
    if ! (cd -- "$SAFEIMPORT_ROOT" && mvn -q -B -DskipTests -pl "$launcher_module" -am package) \
            </dev/null >&2 9>&-; then
        launcher_die 70 "the build failed (Maven output above); to retry by hand: cd '$SAFEIMPORT_ROOT' && mvn -B -DskipTests -pl $launcher_module -am package"
    fi
    [[ -f $launcher_jar ]] || launcher_die 70 "the build succeeded but did not produce $launcher_jar"
    touch -r "$started" -- "$launcher_jar"
}

launcher_build_if_stale() {
    if launcher_jar_is_stale; then
        launcher_build
    fi
}

# Both launchers take the same lock (importer-dev's build includes importer-cli), so two
# launchers starting at once never run Maven over the same target folders. Whoever gets the
# lock second re-checks the jar and finds it fresh.
launcher_locked_build() {
    mkdir -p -- "$launcher_lock_dir" || launcher_die 70 "cannot create $launcher_lock_dir"
    local lock="$launcher_lock_dir/.launcher-build.lock"
    if command -v flock >/dev/null 2>&1; then
        (
            exec 9>>"$lock" || launcher_die 70 "cannot open the lock file $lock"
            if ! flock -n 9; then
                printf '%s: waiting for another launcher to finish building...\n' "$launcher_name" >&2
                flock 9
            fi
            launcher_build_if_stale
        ) || exit $?
        return
    fi
    # No flock (macOS): an atomic mkdir; a lock left by a killed launcher is taken over.
    local dir="$lock.d" waited=0 holder
    until mkdir -- "$dir" 2>/dev/null; do
        holder=$(cat -- "$dir/pid" 2>/dev/null || true)
        if [[ -n $holder ]] && ! kill -0 "$holder" 2>/dev/null; then
            rm -rf -- "$dir"
            continue
        fi
        ((waited == 0)) && printf '%s: waiting for another launcher to finish building...\n' "$launcher_name" >&2
        ((waited++ < 900)) || launcher_die 70 "gave up waiting for the build lock; if no build is running, remove $dir"
        sleep 1
    done
    # shellcheck disable=SC2064 # expand $dir now: it is local
    trap "rm -rf -- '$dir'" EXIT
    echo "$$" >"$dir/pid"
    launcher_build_if_stale
    rm -rf -- "$dir"
    trap - EXIT
}

launch() { # launch NAME MODULE JAR_NAME ARGS...
    launcher_name=$1
    launcher_module=$2
    launcher_jar="$SAFEIMPORT_ROOT/$2/target/$3"
    launcher_lock_dir="$SAFEIMPORT_ROOT/importer-cli/target"
    shift 3

    local java=java
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        java=$JAVA_HOME/bin/java
    fi
    command -v "$java" >/dev/null 2>&1 \
        || launcher_die 70 "'java' is not on PATH (and JAVA_HOME is not set): install Java 17 or later"

    if launcher_jar_is_stale; then
        launcher_locked_build
    fi

    # JAVA_OPTS is split into words on purpose (JAVA_OPTS='-Xmx256m -Dfoo=bar'), never globbed. It comes
    # after the launcher's own JVM options, so an option given there wins.
    set -f
    # shellcheck disable=SC2086
    exec "$java" "${launcher_jvm_options[@]}" ${JAVA_OPTS:-} -jar "$launcher_jar" "$@"
}
