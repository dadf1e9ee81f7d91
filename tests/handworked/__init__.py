"""Hand-worked KPI cases: a few records each, with the value every panel must show worked out by hand from
Amazon Connect's metric definitions (never by the simulator or the queries). One module per dashboard;
tests/localquery and tests/influx feed them through the same loaders as the simulated data."""
