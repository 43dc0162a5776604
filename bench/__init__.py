"""The NowMetrix benchmark harness: `make bench` (full) and `make bench-quick` (CI smoke test).

See bench/README.md for what each section measures and how to read the table."""
