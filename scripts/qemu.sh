#!/usr/bin/env bash
# Boot the guest of one kernel configuration in QEMU (software emulation,
# 2 CPUs, 2 GiB). MODE is test, demo, migration, stress, bench or shell (see
# guest/init).
# In every mode but shell a watchdog kills a guest that does not power off within
# KGRAFT_GUEST_TIMEOUT seconds, so a hung or panicked guest never hangs
# the caller; the kernel panics into a reboot, which -no-reboot turns into
# an exit.
. "$(dirname "$0")/lib.sh"

CFG=${1:-default}
MODE=${2:-shell}
KERNEL=$(kernel_image "$CFG")
INITRD=$BUILD/initramfs-$CFG.cpio
CONSOLE=$LOGS/guest-$CFG-$MODE.log
KTAP=$LOGS/guest-$CFG-ktap.log
# s390x emulation runs the selftests at about 60 % of x86_64's speed.
TIMEOUT=${KGRAFT_GUEST_TIMEOUT:-$([ "$(cfg_arch "$CFG")" = s390 ] && echo 2400 || echo 1200)}
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || die "no kernel or initramfs for '$CFG'; run 'make build' first"

# Single-threaded TCG by default: with multi-threaded TCG (QEMU 7.2 of
# Debian 12) a CPU that runs a function while another one patches its
# ftrace call site can take an int3 that the kernel no longer expects,
# even with the plain function tracer and no kgraft patch loaded
# (guest/stress.sh reproduces it in seconds). KGRAFT_TCG_THREAD=multi
# brings the parallel mode back.
tcg="tcg,thread=${KGRAFT_TCG_THREAD:-single}"
# The console is the first serial port; in test mode the KTAP channel is
# a second one (x86: ttyS1) or a virtio console (s390x: hvc0, on
# virtio-ccw).
if [ "$(cfg_arch "$CFG")" = s390 ]; then
	qemu=(qemu-system-s390x -machine s390-ccw-virtio -accel "$tcg" -cpu max -smp 2 -m 2G
		-no-reboot -nodefaults -kernel "$KERNEL" -initrd "$INITRD")
	console=ttysclp0
	ktap_dev=(-device virtio-serial-ccw -chardev file,id=ktap,path="$KTAP"
		-device virtconsole,chardev=ktap)
	ktap_env=" KGKTAP=/dev/hvc0"
else
	qemu=(qemu-system-x86_64 -machine pc -accel "$tcg" -cpu max -smp 2 -m 2G -no-reboot
		-kernel "$KERNEL" -initrd "$INITRD")
	console=ttyS0
	ktap_dev=(-serial file:"$KTAP")
	ktap_env=
fi
# KGRAFT_GUEST_APPEND adds kernel parameters; 'name=value' ones the kernel
# does not know reach /init as environment variables (KGHANG=1 makes the
# test runner hang on purpose, see scripts/harness-check.sh).
append="console=$console panic=-1 KGMODE=$MODE${KGRAFT_GUEST_APPEND:+ $KGRAFT_GUEST_APPEND}"
rc=0
case "$MODE" in
test)
	: >"$KTAP"
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" -display none -monitor none \
		-serial file:"$CONSOLE" "${ktap_dev[@]}" -append "$append$ktap_env" </dev/null || rc=$?
	;;
demo|migration|stress|bench)
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" -display none -monitor none -serial stdio \
		-append "$append quiet" </dev/null | tee "$CONSOLE" || rc=$?
	;;
shell)
	say "QEMU: Ctrl-A X quits; the guest console log is not kept."
	exec "${qemu[@]}" -nographic -append "$append"
	;;
*) die "unknown guest mode '$MODE' (test, demo, migration, stress, bench, shell)" ;;
esac
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	printf 'error: the guest did not power off within %s s and was killed; last console lines (%s):\n' \
		"$TIMEOUT" "$CONSOLE" >&2
	tail -n 30 "$CONSOLE" | sed 's/^/  | /' >&2
	exit 124
fi
[ "$rc" -eq 0 ] || die "QEMU exited with status $rc (console log: $CONSOLE)"
