"""The pieces of `make cluster-check` (bin/cluster_check.py, which runs them): the helpers every
piece uses (common), the child processes (processes), PostgreSQL and Redis (stores), a person's
browser and the mail folder (web), the nodes and the worker on one database (nodes), and the four
checks (checks)."""
