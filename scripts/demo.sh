#!/usr/bin/env bash
# The main job: build everything, boot the guest and run guest/demo.sh
# (apply the sample live patch to the running kernel, watch the transition,
# revert), then power off.
. "$(dirname "$0")/lib.sh"

"$ROOT/scripts/build-all.sh" default
stage "booting the guest (console log: $LOGS/guest-default-demo.log)"
KGRAFT_GUEST_TIMEOUT=${KGRAFT_GUEST_TIMEOUT:-600} "$ROOT/scripts/qemu.sh" default demo
