"""Wall time and peak memory of a command, and of each step of a Dagster run within it.

A command runs as a child process; every SAMPLE_SECONDS the resident memory (RSS) of its whole
process tree (dbt's subprocess included) is summed, so a step's peak is the highest sample between
its start and end (a peak shorter than the interval can be missed; shared pages count per process).
The steps of a `pdw run` come from the run's own event log in its Dagster instance.
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.1


@dataclass
class Meting:
    seconden: float
    piek: int  # bytes
    geslaagd: bool
    samples: list[tuple[float, int]]  # (epoch seconds, RSS of the tree)

    def piek_tussen(self, start: float, eind: float) -> int:
        return max((rss for t, rss in self.samples if start <= t <= eind), default=0)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(command: list[str], log: Path, env: dict[str, str] | None = None) -> Meting:
    """Run `command` (output to `log`), sampling its process tree's memory until it ends."""
    samples = []
    started = time.perf_counter()
    with open(log, "w") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        process = psutil.Process(child.pid)
        while True:
            try:
                samples.append((time.time(), _tree_rss(process)))
            except psutil.Error:
                pass
            try:
                child.wait(SAMPLE_SECONDS)
                break
            except subprocess.TimeoutExpired:
                continue
    seconds = time.perf_counter() - started
    return Meting(seconds, max((rss for _, rss in samples), default=0), child.returncode == 0, samples)


def stage(step_key: str) -> str:
    """The bench's name for a Dagster step: load per system, dbt, checks, publish, report; another
    step keeps its own name."""
    if step_key.startswith("gx_"):  # one step per source system and layer (orchestration.quality.build_check)
        return "controles (GX)"
    if step_key.startswith("raw_"):
        return f"laden {step_key.removeprefix('raw_')}"
    return {"dbt_modellen": "dbt build", "dq_bevindingen": "bevindingen (dbt)", "marts__dq_bevindingen": "bevindingen (dbt)",
            "publicatie__published": "publiceren", "publicatie__docs": "docs",
            "publicatie__exports": "exports", "publicatie__bestuursrapportage": "rapport"}.get(step_key, step_key)


def steps(dagster_home: Path, since: float) -> list[tuple[str, float, float]]:
    """(step key, start, end) of every step of the newest run started after `since`, in start order;
    empty when the command started no Dagster run (nothing to do)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = [r for r in instance.get_run_records(limit=1) if (r.start_time or 0) >= since]
        if not runs:
            return []
        stats = instance.get_run_step_stats(runs[0].dagster_run.run_id)
    return sorted(((s.step_key, s.start_time, s.end_time) for s in stats if s.start_time and s.end_time),
                  key=lambda s: s[1])
