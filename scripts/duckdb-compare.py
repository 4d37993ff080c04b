#!/usr/bin/env python3
"""Answers one simulation question with DuckDB SQL and times it next to `slate simulate`.

The question: the calendar-time first-response breach rate per recorded priority, with the
smaller-account first-response targets of the shipped SLA policy (critical 30m, high 2h,
medium 4h, low 8h; no priority counts as medium). DuckDB answers only this, in calendar time;
Slate answers every metric in business time with pauses, re-targeting and escalations — the
ratio is what the full policy semantics cost over a single SQL aggregate.

Usage: scripts/duckdb-compare.py SLATE_BINARY TICKETS.jsonl   (needs `pip install duckdb`)
"""
import subprocess
import sys
import time

import duckdb

SQL = """
WITH t AS (
  SELECT coalesce(lower(priority), 'medium') AS priority,
         created_at::TIMESTAMPTZ AS created,
         list_min(list_transform(list_filter(events, lambda e: e.type = 'agent_reply'), lambda e: e.at::TIMESTAMPTZ)) AS replied
  FROM read_json(?, format = 'newline_delimited', columns = {
    id: 'VARCHAR', created_at: 'VARCHAR', priority: 'VARCHAR',
    events: 'STRUCT("at" VARCHAR, "type" VARCHAR)[]'})
)
SELECT replace(priority, 'p1', 'critical') AS priority,
       count(*) AS tickets,
       round(100.0 * avg(CASE WHEN replied IS NULL OR replied - created > to_minutes(
         CASE replace(priority, 'p1', 'critical') WHEN 'critical' THEN 30 WHEN 'high' THEN 120
              WHEN 'low' THEN 480 ELSE 240 END) THEN 1 ELSE 0 END), 1) AS breach_rate
FROM t GROUP BY 1 ORDER BY 1
"""


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    slate, tickets = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    start = time.perf_counter()
    rows = con.execute(SQL, [tickets]).fetchall()
    duck = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([slate, "simulate", "--tickets", tickets, "--format", "json"], check=True, stdout=subprocess.DEVNULL)
    full = time.perf_counter() - start
    for row in rows:
        print(f"  {row[0]:<10} {row[1]:>8} tickets  {row[2]:>5} % first responses breached (calendar time)")
    print(f"duckdb: {duck:.2f} s   slate simulate: {full:.2f} s   ratio slate/duckdb: {full / duck:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
