"""The command line of `bench/run.py` (and so of `make bench`, through BENCH_ARGS)."""

import argparse
import os
from dataclasses import dataclass

from environment import DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class Options:
    argv: list[str]  # as the report names the run
    database_url: str
    scale: float
    program_size: int
    caseload: int
    runs: int
    iterations: int
    warmup: int
    duration: float
    threads: int
    connections: int
    rss_requests: int
    no_write: bool
    skip_prepare: bool
    roster_only: bool


def parse_options(argv: list[str], description: str) -> Options:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="Default: $BENCH_DATABASE_URL, else " + DEFAULT_DATABASE_URL,
    )
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE") or 1.0))
    parser.add_argument(
        "--program-size",
        type=int,
        default=int(os.environ.get("BENCH_PROGRAM_SIZE") or 2000),
        help="seed_scale --program-size: the bench program's relationships (default 2000)",
    )
    parser.add_argument(
        "--caseload",
        type=int,
        default=int(os.environ.get("BENCH_CASELOAD") or 80),
        help="seed_scale --caseload: bench-mentor's open relationships (default 80)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rss-requests", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="Do not touch docs/benchmarks.md")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--roster-only", action="store_true", help="Only the roster import (step 7), not the pages"
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 run, 10 iterations, 2 s, 1,500 requests"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.iterations, args.duration, args.rss_requests = 1, 10, 2.0, 1500
    return Options(
        argv=["bench/run.py", *argv],
        database_url=args.database_url,
        scale=args.scale,
        program_size=args.program_size,
        caseload=args.caseload,
        runs=args.runs,
        iterations=args.iterations,
        warmup=args.warmup,
        duration=args.duration,
        threads=args.threads,
        connections=args.connections,
        rss_requests=args.rss_requests,
        no_write=args.no_write,
        skip_prepare=args.skip_prepare,
        roster_only=args.roster_only,
    )
