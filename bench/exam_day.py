"""The exam-day load harness: N candidates over real HTTP against gunicorn on 127.0.0.1.

Each simulated candidate signs in (ramped, at the rate of 10,000 in 10 minutes unless told
otherwise), then all of them enter the keycode and press Start within a window of W seconds,
reach their first question, answer with think time (some answers changed), poll their status at
the page's interval, and submit within a window of their own (60 s unless told otherwise).
Meanwhile the harness records every request's latency and every acknowledged save. Then it

- saturates the save endpoint with a closed loop of clients, and does the same to a bare
  endpoint on the same gunicorn and database doing one INSERT per request: app/bare;
- reconciles every acknowledged save against the database: lost must be 0;
- reports p50/p95/p99 per operation, errors by kind, the server's CPU per start and per save,
  and the machine's load average.

It only talks to 127.0.0.1, every phase has a time limit, and it stops by itself.

    .venv/bin/python -m bench.exam_day --database sqlite --candidates 500
    .venv/bin/python -m bench.exam_day --matrix --write bench/RESULTS.md   # make bench-exam-day
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.client import Browser, RequestFailed, path_of
from bench.servers import (ROOT, Database, ExamDay, app_env, finalising_worker, free_port,
                           gunicorn, prepare_exam_day, scratch_folder, wait_until_serving)

QUESTIONS = 30
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/q/(\d+)")
TARGETS = {"first_question_p95": 1.0, "save_p99": 0.2, "app_over_bare": 0.5}


@dataclass
class Plan:
    """How the simulated exam day runs; defaults follow the issue's scenario."""

    candidates: int = 500
    window: float = 60.0  # everyone enters the keycode and starts within this many seconds
    signin_rate: float = 10_000 / 600  # sign-ins a second: 10,000 in the 10 minutes before
    think: float = 75.0  # mean seconds between saves: 45 minutes over about 35 saves
    answer_seconds: float = 120.0  # how long the answering phase runs before submitting
    poll_seconds: float = 10.0  # the page's status poll
    # Everyone who started within the window submits within one of the same length: the end of
    # a sitting is as synchronised as its start (same duration, same minute), and a candidate who
    # has not submitted by then is finalised by the worker, not by a request. 0: all at once.
    submit_window: float = 60.0
    change_share: float = 0.15  # share of saves that change an earlier answer
    saturate_seconds: float = 15.0
    saturate_clients: int = 32
    seed: int = 1


@dataclass
class Candidate:
    username: str
    browser: Browser
    attempt_id: int | None = None
    token: str = ""
    join_token: str = ""  # the keycode page's form token, if sign-in landed there
    seq: int = 0
    acked: dict[int, tuple[int, int]] = field(default_factory=dict)  # position -> (seq, choice)


class Recorder:
    """Latencies per operation and failures by kind."""

    def __init__(self):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.acknowledged = 0

    def took(self, operation: str, seconds: float) -> None:
        self.latencies[operation].append(seconds)

    def failed(self, operation: str, kind: str) -> None:
        self.errors[f"{operation}: {kind}"] += 1

    def summary(self) -> dict:
        out = {}
        for operation, values in sorted(self.latencies.items()):
            values = sorted(values)
            out[operation] = {"n": len(values), "p50": _pct(values, 50), "p95": _pct(values, 95),
                              "p99": _pct(values, 99), "max": values[-1]}
        return out


def _pct(values: list[float], percent: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, int(round(percent / 100 * len(values) + 0.5)) - 1))
    return values[index]


class ExamDayRun:
    """One run of the scenario against one server."""

    def __init__(self, plan: Plan, exam: ExamDay, port: int, recorder: Recorder,
                 retry_until: float | None = None):
        self.plan, self.exam, self.port, self.rec = plan, exam, port, recorder
        self.rng = random.Random(plan.seed)
        self.candidates = [Candidate(name, Browser("127.0.0.1", port))
                           for name in exam.usernames[:plan.candidates]]
        self.retry_until = retry_until  # durability: retry failed saves until this monotonic time
        self.answering_until = 0.0

    async def request(self, candidate: Candidate, operation: str, method: str, path: str,
                      expect: tuple[int, ...] = (200,), **kwargs):
        """Send a request, timing it under `operation`; None (recorded) if it failed."""
        try:
            response = await candidate.browser.request(method, path, **kwargs)
        except RequestFailed:
            self.rec.failed(operation, "no answer")
            return None
        self.rec.took(operation, response.seconds)
        if response.status not in expect:
            self.rec.failed(operation, f"HTTP {response.status}")
            return None
        return response

    # --- the phases of one candidate ----------------------------------------------------------

    async def sign_in(self, candidate: Candidate, at: float) -> bool:
        await _sleep_until(at)
        page = await self.request(candidate, "sign-in page", "GET", "/login")
        if page is None:
            return False
        done = await self.request(candidate, "sign in", "POST", "/login", expect=(302, 303),
                                  form={"csrf_token": page.token(), "username": candidate.username,
                                        "password": self.exam.password})
        # The page after sign-in is part of signing in: a browser follows the redirect. Today's
        # server lands a candidate booked on one test on its keycode page, where they wait.
        landed = ""
        for _ in range(3):
            if done is None:
                return False
            if done.status == 200:
                break
            landed = path_of(done.location)
            done = await self.request(candidate, "page after sign-in", "GET", landed,
                                      expect=(200, 302, 303))
        if done is None:
            return False
        if landed.endswith(f"/sittings/{self.exam.sitting_id}/join") \
                and b'name="keycode"' in done.body:
            candidate.join_token = done.token()
        return True

    async def start(self, candidate: Candidate, at: float) -> bool:
        """Keycode and Start to the first question: the moment exam day is judged on.

        Follows whichever flow the server has: today's (the join page holds the instructions;
        one POST admits, starts and answers with question 1's page, which carries the paper),
        the one before it (the same POST redirects to question 1), or an older one (keycode,
        instructions, Start, question 1, then the page fetches /paper), so one harness measures
        both sides of a change.
        """
        await _sleep_until(at)
        began = time.perf_counter()
        sitting = self.exam.sitting_id
        token = candidate.join_token  # already on the keycode page (today's server)
        if not token:  # from the list of tests: open the keycode page first (before)
            join = await self.request(candidate, "keycode page", "GET",
                                      f"/sittings/{sitting}/join")
            if join is None:
                return False
            token = join.token()
        response = await self.request(
            candidate, "start", "POST", f"/sittings/{sitting}/join", expect=(200, 302, 303),
            form={"csrf_token": token, "keycode": self.exam.keycode})
        if response is not None and path_of(response.location).endswith("/instructions"):
            page = await self.request(candidate, "instructions", "GET", path_of(response.location))
            if page is None:
                return False
            response = await self.request(candidate, "start", "POST", f"/sittings/{sitting}/start",
                                          expect=(302, 303), form={"csrf_token": page.token()})
        for _ in range(3):  # follow redirects to the first question
            if response is None:
                return False
            if response.status == 200:
                break
            response = await self.request(candidate, "question page", "GET",
                                          path_of(response.location), expect=(200, 302, 303))
        body = response.body.decode(errors="replace") if response else ""
        found = ATTEMPT_URL.search(body)
        if response is None or response.status != 200 or found is None:
            self.rec.failed("first question", "not reached")
            return False
        self.rec.took("keycode to first question", time.perf_counter() - began)
        candidate.attempt_id = int(found.group(1))
        candidate.token = response.token()
        if 'id="paper-data"' not in body:  # the page's script fetches the paper, as a browser does
            if await self.request(candidate, "paper", "GET",
                                  f"/api/attempts/{candidate.attempt_id}/paper") is None:
                return False
        return True

    async def save(self, candidate: Candidate, position: int, choice: int) -> None:
        candidate.seq += 1
        body = {"position": position, "choice": choice, "seq": candidate.seq}
        path = f"/api/attempts/{candidate.attempt_id}/answers"
        while True:
            try:
                response = await candidate.browser.post(
                    path, body=body, headers={"X-CSRFToken": candidate.token})
            except RequestFailed:
                response = None
            if response is not None and response.status == 200:
                self.rec.took("save", response.seconds)
                reply = response.json()
                if reply["status"] in ("saved", "duplicate"):
                    candidate.acked[position] = (body["seq"], choice)
                    self.rec.acknowledged += 1
                return
            kind = "no answer" if response is None else f"HTTP {response.status}"
            if self.retry_until is None or time.monotonic() > self.retry_until:
                self.rec.failed("save", kind)
                return
            self.rec.errors[f"save retried: {kind}"] += 1  # the server is down; try again
            await asyncio.sleep(0.25)

    async def answer(self, candidate: Candidate, until: float) -> None:
        rng = random.Random(f"{self.plan.seed}:{candidate.username}")
        position = 1
        while position <= QUESTIONS:
            # Never sleep past the phase's end: the longest of 10,000 exponential waits with a
            # mean of 75 s is about 11 minutes, which held up the phase that long.
            think = rng.expovariate(1 / self.plan.think)
            await asyncio.sleep(min(think, max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                return
            if position > 1 and rng.random() < self.plan.change_share:
                await self.save(candidate, rng.randint(1, position - 1), rng.randrange(4))
            else:
                await self.save(candidate, position, rng.randrange(4))
                position += 1

    async def poll(self, candidate: Candidate, until: float) -> None:
        rng = random.Random(f"poll:{candidate.username}")
        await asyncio.sleep(rng.uniform(0, self.plan.poll_seconds))
        while time.monotonic() < until:
            await self.request(candidate, "status poll", "GET",
                               f"/api/attempts/{candidate.attempt_id}/status")
            await asyncio.sleep(self.plan.poll_seconds)

    async def submit(self, candidate: Candidate, at: float) -> None:
        await _sleep_until(at)
        page = await self.request(candidate, "confirm page", "GET",
                                  f"/attempts/{candidate.attempt_id}/submit")
        if page is not None:
            await self.request(candidate, "submit", "POST",
                               f"/attempts/{candidate.attempt_id}/submit", expect=(302, 303),
                               form={"csrf_token": page.token()})

    async def saturate(self, seconds: float, clients: int) -> int:
        """Saves back to back from `clients` candidates for `seconds`; return how many acked."""
        started = [c for c in self.candidates if c.attempt_id][:clients]
        stop = time.monotonic() + seconds
        before = self.rec.acknowledged

        async def loop(candidate: Candidate, n: int):
            rng = random.Random(n)
            while time.monotonic() < stop:
                await self.save(candidate, rng.randint(1, QUESTIONS), rng.randrange(4))
        await asyncio.gather(*(loop(c, n) for n, c in enumerate(started)))
        return self.rec.acknowledged - before


async def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


async def bare_saturate(port: int, seconds: float, clients: int) -> int:
    """The bare stack's ceiling: one INSERT per request, closed loop, same client code."""
    stop = time.monotonic() + seconds
    done = 0

    async def loop(n: int):
        nonlocal done
        browser = Browser("127.0.0.1", port)
        rng = random.Random(n)
        seq = 0
        while time.monotonic() < stop:
            seq += 1
            try:
                response = await browser.post("/save", body={
                    "attempt": n, "position": rng.randint(1, QUESTIONS),
                    "choice": rng.randrange(4), "seq": seq})
            except RequestFailed:
                continue
            done += response.status == 200
    await asyncio.gather(*(loop(n) for n in range(clients)))
    return done


# --- reconciling acknowledged saves against the database ------------------------------------------

def lost_answers(url: str, candidates: list[Candidate]) -> tuple[int, int]:
    """Return (acknowledged answers checked, answers lost): an acknowledged save is lost when
    the database holds an older sequence number for its question, or the same one with a
    different choice."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from quiz.db import make_engine
    from quiz.delivery.models import AttemptQuestion
    engine = make_engine(url, autocommit=True)
    checked = lost = 0
    ids = [c.attempt_id for c in candidates if c.attempt_id]
    stored = {}
    with Session(engine) as session:
        for chunk in range(0, len(ids), 500):
            rows = session.execute(
                select(AttemptQuestion.attempt_id, AttemptQuestion.position, AttemptQuestion.seq,
                       AttemptQuestion.chosen, AttemptQuestion.option_order)
                .where(AttemptQuestion.attempt_id.in_(ids[chunk:chunk + 500])))
            for attempt_id, position, seq, chosen, order in rows:
                stored[attempt_id, position] = (seq, None if chosen is None else order.index(chosen))
    engine.dispose()
    for candidate in candidates:
        for position, (seq, choice) in candidate.acked.items():
            checked += 1
            held_seq, held_choice = stored.get((candidate.attempt_id, position), (0, None))
            if held_seq < seq or (held_seq == seq and held_choice != choice):
                lost += 1
    return checked, lost


# --- one run --------------------------------------------------------------------------------------

@dataclass
class Result:
    database: str
    candidates: int
    workers: str
    figures: dict
    errors: dict
    acknowledged: int
    lost: int
    app_saves_per_s: float
    bare_saves_per_s: float
    cpu_ms_per_start: float
    cpu_ms_per_save: float
    load_before: tuple
    load_after: tuple
    seconds: float
    # server, quiz worker, database (PostgreSQL's own processes) and the load generator itself
    cpu_ms_per_start_by_part: dict = field(default_factory=dict)
    cpu_ms_per_save_by_part: dict = field(default_factory=dict)
    cpu_ms_per_bare_save_by_part: dict = field(default_factory=dict)

    @property
    def app_over_bare(self) -> float:
        return self.app_saves_per_s / self.bare_saves_per_s if self.bare_saves_per_s else 0.0

    def row(self) -> str:
        f = self.figures
        errors = sum(v for k, v in self.errors.items() if "retried" not in k)
        return (f"| {self.database} | {self.candidates:,} | {_ms(f, 'start', 'p95')} | "
                f"{_ms(f, 'keycode to first question', 'p95')} | {_ms(f, 'save', 'p99')} | "
                f"{self.app_saves_per_s:.0f} / {self.bare_saves_per_s:.0f} = "
                f"{self.app_over_bare:.2f} | {errors} | {self.lost} of {self.acknowledged:,} | "
                f"{self.cpu_ms_per_start:.1f} | {self.cpu_ms_per_save:.1f} | "
                f"{self.load_before[0]:.1f} / {self.load_after[0]:.1f} |")


def _ms(figures: dict, operation: str, which: str) -> str:
    value = figures.get(operation, {}).get(which)
    if value is None or value != value:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


HEADER = ("| database | N | start p95 | keycode to first question p95 | save p99 | "
          "saves/s app / bare = ratio | errors | lost | server CPU ms per start | "
          "per save | load avg before / after |\n|---|---|---|---|---|---|---|---|---|---|---|")


def run(database: str, plan: Plan, env_overrides: dict | None = None, verbose: bool = True) -> Result:
    """Prepare a fresh database, serve it with gunicorn and `quiz worker`, and run the day."""
    _raise_open_files_limit()
    folder = scratch_folder()
    log = folder / "server.log"
    began = time.monotonic()
    load_before = os.getloadavg()
    say = print if verbose else (lambda *a, **k: None)
    db = Database(database, folder)
    with db as url:
        say(f"[{database} N={plan.candidates}] preparing the database in {folder}")
        exam = prepare_exam_day(url, plan.candidates)
        port = free_port()
        env = app_env(url, **(env_overrides or {}))
        server = gunicorn("quiz:create_app()", port, env, log)
        worker = finalising_worker(env, log)
        server.start()
        worker.start()
        try:
            wait_until_serving(port)
            rec = Recorder()
            day = ExamDayRun(plan, exam, port, rec)
            meters = {"server": server.cpu_seconds, "quiz worker": worker.cpu_seconds,
                      "database": db.cpu_seconds, "load generator": time.process_time}
            figures = asyncio.run(_day(day, meters, say))
            checked, lost = lost_answers(url, day.candidates)
        finally:
            worker.stop()
            server.stop()
        say(f"[{database}] bare stack: one INSERT per request on the same gunicorn and database")
        bare, bare_cpu = _bare_ceiling(url, env, folder, plan, db, say)
    result = Result(
        database=database, candidates=plan.candidates, workers=_workers_text(env),
        figures=rec.summary(), errors=dict(rec.errors), acknowledged=checked, lost=lost,
        app_saves_per_s=figures["app_saves_per_s"], bare_saves_per_s=bare,
        cpu_ms_per_start=figures["cpu_ms_per_start"], cpu_ms_per_save=figures["cpu_ms_per_save"],
        cpu_ms_per_start_by_part=figures["cpu_ms_per_start_by_part"],
        cpu_ms_per_save_by_part=figures["cpu_ms_per_save_by_part"],
        cpu_ms_per_bare_save_by_part=bare_cpu,
        load_before=load_before, load_after=os.getloadavg(), seconds=time.monotonic() - began)
    for operation, f in result.figures.items():
        say(f"  {operation}: n {f['n']:,}, p50 {f['p50'] * 1000:.0f} ms, p95 "
            f"{f['p95'] * 1000:.0f} ms, p99 {f['p99'] * 1000:.0f} ms, max {f['max'] * 1000:.0f} ms")
    say(HEADER)
    say(result.row())
    if rec.errors:
        say("errors: " + ", ".join(f"{k} x{v}" for k, v in sorted(rec.errors.items())))
    return result


def _cpu(meters: dict) -> dict[str, float]:
    return {part: read() for part, read in meters.items()}


def _per(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Return each part's CPU milliseconds per unit of work between two readings."""
    return {part: (after[part] - before[part]) / max(1, count) * 1000 for part in before}


async def _day(day: ExamDayRun, meters: dict, say) -> dict:
    plan = day.plan
    now = time.monotonic()
    gap = 1 / plan.signin_rate
    say(f"  signing in {plan.candidates} candidates over {plan.candidates * gap:.0f} s")
    signed = await asyncio.gather(*(day.sign_in(c, now + n * gap)
                                     for n, c in enumerate(day.candidates)))
    signed_in = [c for c, ok in zip(day.candidates, signed) if ok]
    say(f"  {len(signed_in)} signed in; keycode and Start within {plan.window:.0f} s")
    cpu = _cpu(meters)
    now = time.monotonic() + 1
    rng = random.Random(plan.seed)
    started = await asyncio.gather(*(day.start(c, now + rng.uniform(0, plan.window))
                                     for c in signed_in))
    per_start = _per(cpu, _cpu(meters), sum(started))
    # The machine's budget: its cores over the window, shared by everyone who started in it.
    budget = (os.cpu_count() or 1) * plan.window / max(1, sum(started)) * 1000
    say("  CPU per start: " + ", ".join(f"{part} {ms:.1f} ms" for part, ms in per_start.items())
        + f"; {sum(per_start.values()):.1f} ms in all against {budget:.1f} ms of the machine's"
        f" {os.cpu_count()} cores over the {plan.window:.0f}-s window")
    running = [c for c, ok in zip(signed_in, started) if ok]
    say(f"  {len(running)} started; answering for {plan.answer_seconds:.0f} s")
    until = time.monotonic() + plan.answer_seconds
    await asyncio.gather(*(day.answer(c, until) for c in running),
                         *(day.poll(c, until) for c in running))
    say(f"  saturating saves with {plan.saturate_clients} clients for {plan.saturate_seconds:.0f} s")
    cpu = _cpu(meters)
    acked = await day.saturate(plan.saturate_seconds, plan.saturate_clients)
    per_save = _per(cpu, _cpu(meters), acked)
    say("  CPU per save at saturation: " + ", ".join(f"{part} {ms:.2f} ms"
                                                    for part, ms in per_save.items()))
    say(f"  submitting within {plan.submit_window:.0f} s")
    now = time.monotonic()
    await asyncio.gather(*(day.submit(c, now + rng.uniform(0, plan.submit_window))
                           for c in running))
    return {"app_saves_per_s": acked / plan.saturate_seconds,
            "cpu_ms_per_start": per_start["server"], "cpu_ms_per_save": per_save["server"],
            "cpu_ms_per_start_by_part": per_start, "cpu_ms_per_save_by_part": per_save}


def _bare_ceiling(url: str, env: dict, folder: Path, plan: Plan, db: Database,
                  say) -> tuple[float, dict[str, float]]:
    """Return the bare stack's saves a second and its CPU milliseconds per save by part."""
    from bench.bare import create_table
    create_table(url)
    port = free_port()
    server = gunicorn("bench.bare:create_app()", port, env, folder / "bare.log")
    server.start()
    try:
        wait_until_serving(port, "/")
        meters = {"server": server.cpu_seconds, "database": db.cpu_seconds,
                  "load generator": time.process_time}
        cpu = _cpu(meters)
        done = asyncio.run(bare_saturate(port, plan.saturate_seconds, plan.saturate_clients))
        per_save = _per(cpu, _cpu(meters), done)
    finally:
        server.stop()
    say("  CPU per bare save: " + ", ".join(f"{part} {ms:.2f} ms" for part, ms in per_save.items()))
    return done / plan.saturate_seconds, per_save


def _workers_text(env: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in sorted(env.items()) if k.startswith("GUNICORN_"))


def _raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- the table the lead runs ----------------------------------------------------------------------

MATRIX = [(db, n) for n in (1_000, 3_000, 10_000) for db in ("sqlite", "postgresql")]
BEGIN, END = "<!-- exam-day table: begin -->", "<!-- exam-day table: end -->"


def write_results(path: Path, results: list[Result], plan: Plan, command: str) -> None:
    """Replace the exam-day table in RESULTS.md (between its markers) with this run's."""
    lines = [BEGIN, "", f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
             f"`{command}`; window {plan.window:.0f} s, sign-in {plan.signin_rate:.1f}/s, think "
             f"{plan.think:.0f} s, answering {plan.answer_seconds:.0f} s, poll every "
             f"{plan.poll_seconds:.0f} s, submit within {plan.submit_window:.0f} s, saturation "
             f"{plan.saturate_clients} clients x {plan.saturate_seconds:.0f} s. Targets: first "
             "question p95 < 1 s, save p99 < 200 ms, app/bare >= 0.5, 0 errors, 0 lost.", "", HEADER]
    lines += [r.row() for r in results]
    errors = [f"- {r.database} {r.candidates:,}: " + ", ".join(
        f"{k} x{v}" for k, v in sorted(r.errors.items())) for r in results if r.errors]
    if errors:
        lines += ["", "Errors by kind:", *errors]
    lines += ["", END]
    text = path.read_text() if path.exists() else ""
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Exam day (generated by `make bench-exam-day`)\n\n" + block + "\n"
    path.write_text(text)
    with open(ROOT / "bench" / "exam_day_runs.jsonl", "a") as runs:
        for r in results:
            runs.write(json.dumps({**asdict(r), "app_over_bare": r.app_over_bare,
                                   "command": command}) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--candidates", "-n", type=int, default=Plan.candidates)
    parser.add_argument("--matrix", action="store_true",
                        help="N = 1,000, 3,000, 10,000 on SQLite and PostgreSQL")
    parser.add_argument("--window", type=float, default=Plan.window)
    parser.add_argument("--signin-rate", type=float, default=Plan.signin_rate)
    parser.add_argument("--think", type=float, default=Plan.think)
    parser.add_argument("--answer-seconds", type=float, default=Plan.answer_seconds)
    parser.add_argument("--poll-seconds", type=float, default=Plan.poll_seconds)
    parser.add_argument("--submit-window", type=float, default=Plan.submit_window,
                        help="everyone submits within this many seconds (0: all at once)")
    parser.add_argument("--saturate-seconds", type=float, default=Plan.saturate_seconds)
    parser.add_argument("--saturate-clients", type=int, default=Plan.saturate_clients)
    parser.add_argument("--write", type=Path, help="write the table into this RESULTS.md")
    args = parser.parse_args(argv)
    plans = MATRIX if args.matrix else [(args.database, args.candidates)]
    results, plan = [], Plan()
    for database, n in plans:
        plan = Plan(candidates=n, window=args.window, signin_rate=args.signin_rate,
                    think=args.think, answer_seconds=args.answer_seconds,
                    poll_seconds=args.poll_seconds, submit_window=args.submit_window,
                    saturate_seconds=args.saturate_seconds,
                    saturate_clients=args.saturate_clients)
        results.append(run(database, plan))
    print()
    print(HEADER)
    for result in results:
        print(result.row())
    if args.write:
        write_results(args.write, results, plan, " ".join(
            ["python -m bench.exam_day", *(argv if argv is not None else sys.argv[1:])]))
    return 0 if all(r.lost == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
