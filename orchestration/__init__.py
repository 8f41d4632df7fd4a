"""The top layer: the Dagster code location (definitions: job, schedule, sensors), running the job
in process, run reports, and the `betamonitor` command. Built on `assets/` and `pipelines/`."""
