# shellcheck shell=bash
# Helpers shared by the guest scripts (demo, migration, stress) and the
# harness tests, which run inside the guest.

# kgr_wait_idle [SECONDS]: wait until no kgraft transition runs, polling
# every 0.1 s for at most SECONDS (default 60); non-zero on timeout.
kgr_wait_idle() {
	local i n=$((${1:-60} * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(cat /sys/kernel/kgraft/in_progress)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
