#!/usr/bin/env python3
"""bench-report.py DIR: the table and plot data of 'make bench'.

Reads DIR/raw.txt, the "BENCH <part> <system> <parameter> <metric> <value>"
lines guest/bench.sh printed, and writes DIR/table.txt (medians, and the
ratios kgraft/livepatch) and the data files the plots are drawn from.
"""
import collections
import statistics
import sys

d = sys.argv[1]
runs = collections.defaultdict(list)
meta = {}
for line in open(f"{d}/raw.txt"):
    f = line.split()
    if len(f) != 6 or f[0] != "BENCH":
        continue
    _, part, system, param, metric, value = f
    if part == "meta":
        meta[metric] = value
        continue
    runs[(part, system, param, metric)].append(float(value))


def med(part, system, param, metric):
    v = runs.get((part, system, str(param), metric))
    return statistics.median(v) if v else None


def n(part, system, param, metric):
    return len(runs.get((part, system, str(param), metric), []))


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def ratio(a, b, digits=2):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.{digits}f}"


out = []
p = out.append
params = lambda part: sorted({k[2] for k in runs if k[0] == part}, key=float)

p("kgraft bench: medians; ratio = kgraft / livepatch (below 1: kgraft is faster)")
p("")
p(f"1. Handler: ns per call of a patched function ({meta.get('calls', '?')} calls a run,"
  f" {n('handler', 'kgraft', 'patched', 'ns_per_call')} runs)")
p(f"   {'mode':<17}{'kgraft':>10}{'livepatch':>11}{'ratio':>8}{'paired':>8}{'kgraft/unp':>12}{'lp/unp':>9}")
for mode in ("unpatched", "in_transition", "patched", "patched_handler", "reverted"):
    k = med("handler", "kgraft", mode, "ns_per_call")
    lp = med("handler", "livepatch", mode, "ns_per_call")
    ku = med("handler", "kgraft", "unpatched", "ns_per_call")
    lu = med("handler", "livepatch", "unpatched", "ns_per_call")
    # The runs alternate kgraft, livepatch: the median of the ratios of
    # neighbouring runs cancels the drift of the emulated machine.
    pairs = list(zip(runs.get(("handler", "kgraft", mode, "ns_per_call"), []),
                     runs.get(("handler", "livepatch", mode, "ns_per_call"), [])))
    pr = statistics.median(a / b for a, b in pairs) if pairs else None
    p(f"   {mode:<17}{fmt(k, 2):>10}{fmt(lp, 2):>11}{ratio(k, lp):>8}{fmt(pr, 2):>8}"
      f"{ratio(k, ku):>12}{ratio(lp, lu):>9}")
p("   (ratio: of the medians; paired: median of the ratios of alternating runs)")
p("")

p("2. Common case: a patch no task is inside; N user threads asleep"
  " (nanosleep, pipe read, futex, epoll, wait4) and a busy loop")
p("   kgraft: the default patch (whole-syscall consistency); kgraft_fn: the same patch"
  " with .consistency = KGR_CONSISTENCY_FUNCTION")
p(f"   {'threads':>7}  {'kgraft as':<10}{'enable ms kgr/lp':>22}{'ratio':>7}  {'disable ms kgr/lp':>22}"
  f"{'ratio':>7}  {'woken kgr/lp':>15}  {'kicked':>7}  {'longest pass us kgr/lp':>23}"
  f"  {'kgr in-kernel ms':>17}")
with open(f"{d}/common.dat", "w") as dat:
    dat.write("# threads kgraft_enable_ms livepatch_enable_ms kgraft_disable_ms livepatch_disable_ms"
              " kgraft_fn_enable_ms kgraft_fn_disable_ms\n")
    for t in params("common"):
        if t == "0" and not runs.get(("common", "kgraft", t, "enable_ms")):
            continue
        le, ld = med("common", "livepatch", t, "enable_ms"), med("common", "livepatch", t, "disable_ms")
        lw = med("common", "livepatch", t, "enable_woken")
        ll = runs.get(("common", "livepatch", t, "enable_lock_us"), []) + \
            runs.get(("common", "livepatch", t, "disable_lock_us"), [])
        ll = max(ll) if ll else None
        row = {}
        for k in ("kgraft", "kgraft_fn"):
            if not runs.get(("common", k, t, "enable_ms")):
                continue
            ke, kd = med("common", k, t, "enable_ms"), med("common", k, t, "disable_ms")
            row[k] = (ke, kd)
            kw = med("common", k, t, "enable_woken")
            kk = med("common", k, t, "enable_kicked")
            kl = max(runs.get(("common", k, t, "enable_lock_us"), [0]) +
                     runs.get(("common", k, t, "disable_lock_us"), [0]))
            kie = med("common", k, t, "enable_kernel_ms")
            kid = med("common", k, t, "disable_kernel_ms")
            p(f"   {t if k == 'kgraft' else '':>7}  {k:<10}{fmt(ke) + ' / ' + fmt(le):>22}{ratio(ke, le):>7}"
              f"  {fmt(kd) + ' / ' + fmt(ld):>22}{ratio(kd, ld):>7}"
              f"  {fmt(kw, 0) + ' / ' + fmt(lw, 0):>15}  {fmt(kk, 0):>7}"
              f"  {fmt(kl, 0) + ' / ' + fmt(ll, 0):>23}  {fmt(kie, 0) + ' / ' + fmt(kid, 0):>17}")
        ke, kd = row.get("kgraft", (None, None))
        fe, fd = row.get("kgraft_fn", (None, None))
        dat.write(f"{t} {fmt(ke)} {fmt(le)} {fmt(kd)} {fmt(ld)} {fmt(fe)} {fmt(fd)}\n"
                  .replace(" -", " NaN"))
    fails = [int(v) for k, vs in runs.items() if k[0] == "common" and k[3] == "sleepers_failed"
             for v in vs]
    p(f"   sleepers whose call failed or ended early: {sum(fails) if fails else '-'}")
    p("   (enable and disable: from insmod or the write of 0 to enabled until user space"
      " sees the transition over, module load and ftrace set-up included; kgr in-kernel:"
      " kgraft's own start-to-complete time, enable / disable)")
    p("   (longest pass: kgraft's longest hold of tasklist_lock or one RCU read-side"
      " section in a walk; livepatch's time in one klp_try_complete_transition(),"
      " an upper bound of its tasklist_lock hold)")
p("")

p("3. Blocked case: 100 tasks asleep in nanosleep() inside the patched do_nanosleep()")
p(f"   {'':<10}{'enable ms':>11}{'disable ms':>12}{'kicked':>8}{'sleepers':>10}{'failed':>8}")
for s in ("kgraft", "livepatch"):
    p(f"   {s:<10}{fmt(med('blocked', s, 100, 'enable_ms')):>11}"
      f"{fmt(med('blocked', s, 100, 'disable_ms')):>12}"
      f"{fmt(med('blocked', s, 100, 'enable_kicked'), 0):>8}"
      f"{fmt(med('blocked', s, 100, 'sleepers_done'), 0):>10}"
      f"{fmt(med('blocked', s, 100, 'sleepers_failed'), 0):>8}")
p(f"   ratio     {ratio(med('blocked', 'kgraft', 100, 'enable_ms'), med('blocked', 'livepatch', 100, 'enable_ms'), 3):>10}"
  f"{ratio(med('blocked', 'kgraft', 100, 'disable_ms'), med('blocked', 'livepatch', 100, 'disable_ms'), 3):>12}")
p("")

p("4. Patch size: load (enable to complete), unpatch, and memory of a patch of N functions")
p(f"   {'funcs':>6}  {'enable ms kgr/lp':>22}{'ratio':>7}  {'disable ms kgr/lp':>22}{'ratio':>7}  {'memory KiB kgr/lp':>20}")
with open(f"{d}/size.dat", "w") as dat:
    dat.write("# functions kgraft_enable_ms livepatch_enable_ms kgraft_disable_ms livepatch_disable_ms\n")
    for f in params("size"):
        ke, le = med("size", "kgraft", f, "enable_ms"), med("size", "livepatch", f, "enable_ms")
        kd, ld = med("size", "kgraft", f, "disable_ms"), med("size", "livepatch", f, "disable_ms")
        km, lm = med("size", "kgraft", f, "mem_kb"), med("size", "livepatch", f, "mem_kb")
        p(f"   {f:>6}  {fmt(ke) + ' / ' + fmt(le):>22}{ratio(ke, le):>7}"
          f"  {fmt(kd) + ' / ' + fmt(ld):>22}{ratio(kd, ld):>7}  {fmt(km, 0) + ' / ' + fmt(lm, 0):>20}")
        dat.write(f"{f} {fmt(ke)} {fmt(le)} {fmt(kd)} {fmt(ld)}\n".replace(" -", " NaN"))
p("")

p("4b. Replace: a patch of N functions, then a cumulative patch (atomic replace) of the same N")
p(f"   {'funcs':>6}  {'enable ms kgr/lp':>22}{'ratio':>7}  {'replace ms kgr/lp':>22}{'ratio':>7}  {'disable ms kgr/lp':>22}{'ratio':>7}")
for f in params("replace"):
    cells = []
    for m in ("enable_ms", "replace_ms", "disable_ms"):
        k, lp = med("replace", "kgraft", f, m), med("replace", "livepatch", f, m)
        cells.append(f"  {fmt(k) + ' / ' + fmt(lp):>22}{ratio(k, lp):>7}")
    p(f"   {f:>6}" + "".join(cells))
p("")

p("5. Latency: worst wakeup delay of a 1 ms periodic task over 5 s (1000 threads asleep)")
with open(f"{d}/latency.dat", "w") as dat:
    dat.write("# system median_max_us runs...\n")
    for s, label in (("none", "no transition"), ("kgraft", "kgraft transitions"),
                     ("kgraft_fn", "kgraft_fn transitions"),
                     ("livepatch", "livepatch transitions")):
        m = med("latency", s, 1000, "max_us")
        v = runs.get(("latency", s, "1000", "max_us"), [])
        p(f"   {label:<24}{fmt(m, 0):>8} us   (runs: {' '.join(str(int(x)) for x in v) or '-'})")
        if m is not None:
            dat.write(f"\"{label}\" {m:.0f}\n")
p(f"   ratio kgraft / livepatch: {ratio(med('latency', 'kgraft', 1000, 'max_us'), med('latency', 'livepatch', 1000, 'max_us'))}"
  f", kgraft_fn / livepatch: {ratio(med('latency', 'kgraft_fn', 1000, 'max_us'), med('latency', 'livepatch', 1000, 'max_us'))}")

open(f"{d}/table.txt", "w").write("\n".join(out) + "\n")
print("\n".join(out))
