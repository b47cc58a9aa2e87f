#!/usr/bin/env bash
# Which task migrates at which migration point: build, boot the guest and
# run guest/migration.sh, which traces kgr_task_migrate() during the
# patching and unpatching transitions of the sample patch and prints a
# table per task and a summary per migration point.
. "$(dirname "$0")/lib.sh"

"$ROOT/scripts/build-all.sh" default
stage "booting the guest (console log: $LOGS/guest-default-migration.log)"
KGRAFT_GUEST_TIMEOUT=${KGRAFT_GUEST_TIMEOUT:-600} "$ROOT/scripts/qemu.sh" default migration
