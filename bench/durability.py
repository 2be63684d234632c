"""Kill -9 every server process while candidates answer, restart, let them retry: none lost.

Candidates sign in, start and answer over real HTTP against gunicorn and `quiz worker`; part way
through the answering, every one of those processes (gunicorn's master, its workers and the
worker) is killed with SIGKILL at once. They are started again a moment later, the candidates'
browsers retry every save that got no answer (with the same sequence number, as the page does),
and at the end every save the server acknowledged is checked against the database.

    .venv/bin/python -m bench.durability --database sqlite --candidates 500
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time
from dataclasses import dataclass

from bench.exam_day import ExamDayRun, Plan, Recorder, lost_answers
from bench.servers import (Database, app_env, finalising_worker, free_port, gunicorn,
                           prepare_exam_day, scratch_folder, wait_until_serving)


@dataclass
class Durability:
    database: str
    candidates: int
    started: int
    acknowledged: int
    lost: int
    killed: int
    retried: int
    saves_before_kill: int  # saves acknowledged before the kill
    saves_after_restart: int  # and after the restart
    load: tuple

    def line(self) -> str:
        return (f"{self.database}: {self.candidates} candidates ({self.started} started), kill -9 "
                f"of {self.killed} server processes while answering: {self.lost} of "
                f"{self.acknowledged:,} acknowledged answers lost ({self.saves_before_kill} saves "
                f"acknowledged before the kill, {self.saves_after_restart} after the restart, "
                f"{self.retried} retried after no answer; load average {self.load[0]:.1f})")


def run(url: str, database: str, candidates: int, answer_seconds: float = 10.0,
        kill_after: float = 4.0, think: float = 0.3, down_seconds: float = 1.0) -> Durability:
    """Run the kill -9 scenario against a database URL; the database must be empty."""
    folder = scratch_folder()
    exam = prepare_exam_day(url, candidates)
    port = free_port()
    env = app_env(url)  # the shipped gunicorn.conf.py
    servers = [gunicorn("quiz:create_app()", port, env, folder / "server.log"),
               finalising_worker(env, folder / "worker.log")]
    plan = Plan(candidates=candidates, window=max(2.0, candidates / 25),
                signin_rate=max(20.0, candidates / 10),
                think=think, answer_seconds=answer_seconds, poll_seconds=2.0)
    for server in servers:
        server.start()
    try:
        wait_until_serving(port)
        rec = Recorder()
        day = ExamDayRun(plan, exam, port, rec,
                         retry_until=time.monotonic() + 600)  # bounded: 10 minutes at most
        killed, started, before = asyncio.run(_scenario(day, servers, port, kill_after,
                                                        down_seconds))
    finally:
        for server in servers:
            server.stop()
    acknowledged, lost = lost_answers(url, day.candidates)
    retried = sum(v for k, v in rec.errors.items() if k.startswith("save retried"))
    return Durability(database, candidates, started, acknowledged, lost, killed, retried,
                      before, rec.acknowledged - before, os.getloadavg())


async def _scenario(day: ExamDayRun, servers, port: int, kill_after: float,
                    down_seconds: float) -> tuple[int, int]:
    plan = day.plan
    now = time.monotonic()
    gap = 1 / plan.signin_rate
    signed = await asyncio.gather(*(day.sign_in(c, now + n * gap)
                                     for n, c in enumerate(day.candidates)))
    ready = [c for c, ok in zip(day.candidates, signed) if ok]
    now = time.monotonic()
    started = await asyncio.gather(*(day.start(c, now + plan.window * n / max(1, len(ready)))
                                     for n, c in enumerate(ready)))
    running = [c for c, ok in zip(ready, started) if ok]
    until = time.monotonic() + plan.answer_seconds
    answering = asyncio.gather(*(day.answer(c, until) for c in running))
    await asyncio.sleep(kill_after)
    killed, before = 0, day.rec.acknowledged
    for server in servers:
        killed += await asyncio.to_thread(server.kill9)
    await asyncio.sleep(down_seconds)
    for server in servers:
        server.start()
    await asyncio.to_thread(wait_until_serving, port)
    await answering
    return killed, len(running), before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--candidates", "-n", type=int, default=500)
    parser.add_argument("--answer-seconds", type=float, default=30.0)
    parser.add_argument("--kill-after", type=float, default=10.0)
    parser.add_argument("--think", type=float, default=8.0)
    args = parser.parse_args(argv)
    with Database(args.database, scratch_folder()) as url:
        result = run(url, args.database, args.candidates, args.answer_seconds, args.kill_after,
                     args.think)
    print(result.line())
    return 0 if result.lost == 0 and result.acknowledged else 1


if __name__ == "__main__":
    raise SystemExit(main())
