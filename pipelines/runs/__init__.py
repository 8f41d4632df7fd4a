"""Run-level concerns of `betamonitor run`: the warehouse lock, the persistent Dagster instance,
the no-change fingerprint, the run report and the test pause hook. No Dagster assets imported here."""
