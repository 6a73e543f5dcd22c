"""Storage tests: one suite, run against every backend."""
