"""Quality gates: Great Expectations suites (expectations/*.json) run on the small marts before publishing."""
