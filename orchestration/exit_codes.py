"""The exit codes of `betamonitor run` (and the other commands): one spelling for every module."""

EXIT_OK = 0  # every mart published (or nothing changed)
EXIT_FAILED = 1  # a failure: a rejected input file, a failed step, the warehouse busy past the timeout
EXIT_GATE_BLOCKED = 2  # a quality gate blocked a publish, or a mart was held back behind one
EXIT_USAGE = 64  # a usage error: an unknown flag or a bad option value (sysexits EX_USAGE)
