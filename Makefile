# kgraft: live patching with per-task consistency, as a patch series on
# Linux 6.12. This Makefile is the menu; each target is one script in
# scripts/. 'make help' lists them.

CONFIGS ?= default livepatch realfix
CFG ?= default
# 'make test ARCH=s390' (or build, boot): the s390x configuration, under
# qemu-system-s390x; scripts/lib.sh (cfg_arch) maps configurations to
# architectures.
ifeq ($(ARCH),s390)
CONFIGS = s390
CFG = s390
endif
export CONFIGS

.PHONY: help all deps tree export build initramfs test demo migration boot bisect check harness-check bench soak clean distclean kgr-build

help: ## list the targets
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  make %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "  variables: CFG=$(CFG) (build, boot), CONFIGS='$(CONFIGS)' (test), FORCE=1 (tree),"
	@echo "             ARCH=s390 (build, boot, test: the s390x guest, configuration 's390'),"
	@echo "             KEEP_TREE=1 (build and test build/linux with its uncommitted edits),"
	@echo "             TESTS=a,b (test: only the tests whose path contains a or b)"

demo: ## build everything, boot, live patch the running kernel and revert
	@scripts/demo.sh

migration: ## table: which task migrates at which migration point (guest trace)
	@scripts/migration.sh

test: ## build what is missing, run the selftests in QEMU for each of CONFIGS
	@scripts/test.sh

deps: ## install the Debian packages (pinned linux-source-6.12 included)
	@scripts/deps.sh

tree: deps ## build/linux: the base commit plus patches/series applied with git am
	@scripts/tree.sh

export: ## write build/linux base..HEAD back to patches/ (then commit patches/)
	@scripts/export.sh

build: ## kernel, modules and initramfs for CFG
	@scripts/build-all.sh $(CFG)

kgr-build: ## a patch module from DIFF=fix.diff for the kernel of CFG, into the guest's /patches
	@NAME=$(NAME) scripts/kgr-build.sh $(CFG) $(DIFF)

boot: ## interactive guest shell for CFG (Ctrl-A X quits)
	@scripts/boot.sh $(CFG)

bisect: ## build every commit; boot + test-basic from the x86 enablement on (FIRST=, LAST=; slow, not in CI)
	@FIRST=$(FIRST) LAST=$(LAST) scripts/bisect.sh $(CFG)

check: ## checkpatch --strict per patch, series list, MAINTAINERS, kernel-doc -Wall, export round-trip
	@scripts/check.sh

bench: ## kgraft against livepatch in one boot: handler, transitions, scale, latency (CFG=livepatch)
	@scripts/bench.sh $(if $(filter command line,$(origin CFG)),$(CFG),livepatch)

soak: ## the consistency stress test for DURATION seconds (default 600; not in CI)
	@scripts/soak.sh $(CFG)

harness-check: tree ## make test must fail on a bad patch, a broken build, a hung guest (about 9 min)
	@scripts/harness-check.sh

clean: ## remove build outputs but keep the work tree build/linux
	rm -rf build/obj-* build/modules-* build/patches-* build/initramfs-* build/test_modules-* build/bench-* build/logs build/harness-check

distclean: ## remove build/ entirely (the work tree too: export first!)
	rm -rf build
