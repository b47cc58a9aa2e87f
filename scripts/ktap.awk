# Turn the guest's framed test output (guest/run-tests.sh) into KTAP
# result lines, numbered from 'first', each prefixed with the kernel
# configuration. qrc is QEMU's exit status (124: killed by the watchdog).
# 'expected' lists the tests that must run (as "dir/test-x.sh"): one that
# did not, or that reported fewer results than it planned, fails.
# Writes "pass fail skip" to the file 'counts'.
function emit(ok, desc, directive) {
	n++
	if (directive ~ /^SKIP/) skip++
	else if (ok) pass++
	else fail++
	printf "%s %d %s: %s%s\n", ok ? "ok" : "not ok", first + n - 1, cfg, desc,
		directive != "" ? " # " directive : ""
}
BEGIN {
	n = 0; pass = fail = skip = 0; name = ""; done = 0
	nexp = split(expected, exp_list, " ")
}
{ sub(/\r$/, "") }
/^@@BEGIN / { name = $2; ran[name] = 1; cases = 0; failed = 0; plan = -1; next }
/^@@END / {
	rc = $3; sub(/^rc=/, "", rc)
	if (cases == 0)
		emit(rc == 0 || rc == 4, name, rc == 4 ? "SKIP" : "")
	else if (rc != 0 && rc != 4 && failed == 0)
		emit(0, name ": exited with status " rc " after its results")
	if (plan >= 0 && cases != plan)
		emit(0, name ": planned " plan " results, reported " cases)
	name = ""
	next
}
/^@@DONE/ { done = 1; next }
name != "" && /^(not )?ok [0-9]+/ {
	ok = ($1 == "ok")
	line = $0
	sub(/^(not )?ok [0-9]+ ?(- )?/, "", line)
	directive = ""
	if (match(line, / # /)) {
		directive = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
	}
	cases++
	if (!ok) failed++
	emit(ok, name ": " line, directive)
	next
}
name != "" && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
name != "" && /^K?TAP version/ { next }
name != "" && /^#/ { print "#   " $0; next }
name != "" && NF { print "#   | " $0 }
END {
	if (name != "")
		emit(0, name ": did not finish (the guest hung or crashed in it)")
	for (i = 1; i <= nexp; i++)
		if (!(exp_list[i] in ran))
			emit(0, exp_list[i] ": did not run")
	if (!done || qrc != 0)
		emit(0, "the guest ran every test and powered off" \
		     (qrc == 124 ? " (killed by the watchdog)" : qrc != 0 ? " (QEMU exit status " qrc ")" : ""))
	printf "%d %d %d\n", pass, fail, skip > counts
}
