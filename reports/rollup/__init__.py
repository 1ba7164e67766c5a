"""The program leaders' roll-up: figures across the programs of an organization, logistics
only, in aggregate, with small cells suppressed (docs/design.md, "The roll-up").

- `filters.py`: what the leader asked for (a frozen dataclass, parsed from GET by a form);
- `scope.py`: which programs, sites and relationships a leader may count;
- `figures.py`: `build_rollup(scope, filters) -> Rollup`, the named tables and their charts;
- `suppression.py`: the small-cell rule, in one place;
- `exports.py`: each table as CSV or .xlsx, with the same cells.
"""
