"""Profile a start: keycode page, keycode, instructions, Start, first question, in one process.

Signs N candidates in (not measured), then runs each one's start under cProfile through the
Flask test client on a fresh SQLite database, and prints the CPU milliseconds per start (process
time, so other work on the machine does not count) and the functions that took the most time.
Run it on two checkouts to compare a change:

    .venv/bin/python -m bench.profile_start --candidates 200 [--top 25]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import time

from bench.servers import prepare_exam_day, scratch_folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database", default=None, help="a SQLAlchemy URL (default: SQLite)")
    args = parser.parse_args(argv)
    from quiz import create_app
    url = args.database or "sqlite:///" + str(scratch_folder() / "profile.sqlite3")
    exam = prepare_exam_day(url, args.candidates)
    app = create_app({"QUIZ_DATABASE_URL": url, "SECRET_KEY": "profile", "QUIZ_SCHEDULER": False,
                      "WTF_CSRF_ENABLED": False})
    clients = []
    for name in exam.usernames:
        client = app.test_client()
        assert client.post("/login", data={"username": name, "password": exam.password}
                           ).status_code == 302
        clients.append(client)
    sitting = exam.sitting_id
    requests = 0

    def start(client) -> None:
        nonlocal requests
        client.get(f"/sittings/{sitting}/join")
        client.post(f"/sittings/{sitting}/join", data={"keycode": exam.keycode})
        client.get(f"/sittings/{sitting}/instructions")
        response = client.post(f"/sittings/{sitting}/start")
        requests += 4
        while response.status_code in (302, 303):
            response = client.get(response.headers["Location"])
            requests += 1
        assert response.status_code == 200 and re.search(rb"/attempts/\d+/q/1", response.data)

    profiler = cProfile.Profile()
    cpu, wall = time.process_time(), time.perf_counter()
    profiler.enable()
    for client in clients:
        start(client)
    profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(clients)
    print(f"{n} starts, {requests / n:.0f} requests each: {cpu / n * 1000:.1f} ms CPU per start "
          f"(under cProfile; wall {wall / n * 1000:.1f} ms)")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    # The same again without the profiler's overhead, on fresh candidates' second visit.
    app.extensions["quiz.engine"].dispose()


if __name__ == "__main__":
    main()
