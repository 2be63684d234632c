"""Profile a start: from the keycode to the first question with its paper, in one process.

Signs N candidates in (not measured; like a browser, each follows sign-in to the page it leads
to), then runs each one's start under cProfile through the Flask test client on a fresh SQLite
database, and prints the CPU milliseconds per start (process time, so other work on the machine
does not count) and the functions that took the most time.
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

from sqlalchemy import event

from bench.servers import prepare_exam_day, scratch_folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database", default=None, help="a SQLAlchemy URL (default: SQLite)")
    parser.add_argument("--without-paper", action="store_true",
                        help="stop at the first question page, as this profile did before the "
                             "page carried the paper (the browser's GET /paper not counted)")
    args = parser.parse_args(argv)
    with_paper = not args.without_paper
    from quiz import create_app
    url = args.database or "sqlite:///" + str(scratch_folder() / "profile.sqlite3")
    exam = prepare_exam_day(url, 2 * args.candidates + 5)
    app = create_app({"QUIZ_DATABASE_URL": url, "SECRET_KEY": "profile", "QUIZ_SCHEDULER": False,
                      "WTF_CSRF_ENABLED": False})
    sitting = exam.sitting_id
    clients, waiting = [], set()
    for name in exam.usernames:
        client = app.test_client()
        signed = client.post("/login", data={"username": name, "password": exam.password})
        assert signed.status_code == 302
        if signed.headers["Location"].endswith(f"/sittings/{sitting}/join"):
            # Today's server lands the candidate on the keycode page: they wait there.
            assert client.get(signed.headers["Location"]).status_code == 200
            waiting.add(id(client))
        clients.append(client)
    requests = 0

    def start(client) -> None:
        """From the keycode being announced to the first question with its paper, by whichever
        flow the server has (today's: the candidate waits on the keycode page sign-in led to,
        then one POST; before: from the list, the keycode page first; before that: keycode,
        instructions, Start, then the page's script fetching /paper)."""
        nonlocal requests
        if id(client) not in waiting:
            client.get(f"/sittings/{sitting}/join")
            requests += 1
        response = client.post(f"/sittings/{sitting}/join", data={"keycode": exam.keycode})
        requests += 1
        if response.headers.get("Location", "").endswith("/instructions"):
            client.get(response.headers["Location"])
            response = client.post(f"/sittings/{sitting}/start")
            requests += 2
        while response.status_code in (302, 303):
            response = client.get(response.headers["Location"])
            requests += 1
        found = re.search(rb"/attempts/(\d+)/q/1", response.data)
        assert response.status_code == 200 and found
        if not with_paper or b'id="paper-data"' in response.data:
            return
        assert client.get(f"/api/attempts/{int(found.group(1))}/paper").status_code == 200
        requests += 1

    warm, timed, profiled = clients[:5], clients[5:5 + args.candidates], clients[5 + args.candidates:]
    for client in warm:  # templates compiled, caches filled, as on a server that has been up
        start(client)
    requests = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for client in timed:
        start(client)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(timed)
    print(f"{n} starts, {requests / n:.0f} requests each from the keycode to the first question"
          f"{' and its paper' if with_paper else ''}: "
          f"{cpu / n * 1000:.1f} ms CPU per start (wall {wall / n * 1000:.1f} ms)")
    statements = []
    engine = app.extensions["quiz.engine"]
    count = lambda *_args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    profiler.enable()
    for client in profiled:
        start(client)
    profiler.disable()
    event.remove(engine, "before_cursor_execute", count)
    calls = pstats.Stats(profiler).total_calls
    print(f"then {len(profiled)} more under cProfile: {len(statements) / len(profiled):.1f} SQL "
          f"statements and {calls / len(profiled):,.0f} Python function calls per start; the "
          "functions taking the most time:")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    _per_request(timed)
    app.extensions["quiz.engine"].dispose()


def _per_request(clients) -> None:
    """Print the CPU of one save, one status poll and one question page, over many."""
    attempts = []
    for client in clients:
        page = client.get("/tests")
        found = re.search(rb"/attempts/(\d+)", page.data)
        attempts.append((client, int(found.group(1))))
    operations = {
        "save an answer": lambda c, a, n: c.post(f"/api/attempts/{a}/answers", json={
            "position": n % 30 + 1, "choice": n % 4, "seq": n + 1}),
        "status poll": lambda c, a, n: c.get(f"/api/attempts/{a}/status"),
        "question page": lambda c, a, n: c.get(f"/attempts/{a}/q/{n % 30 + 1}"),
    }
    for name, action in operations.items():
        cpu = time.process_time()
        count = 0
        for n in range(5):
            for client, attempt in attempts:
                assert action(client, attempt, n).status_code == 200
                count += 1
        print(f"{name}: {(time.process_time() - cpu) / count * 1000:.1f} ms CPU each "
              f"(mean of {count})")
    cpu = time.process_time()
    for client, attempt in attempts:  # as the harness submits: the confirm page, then the POST
        assert client.get(f"/attempts/{attempt}/submit").status_code == 200
        assert client.post(f"/attempts/{attempt}/submit").status_code in (302, 303)
    each = (time.process_time() - cpu) / len(attempts) * 1000
    print(f"submit (confirm page and POST): {each:.1f} ms CPU each (mean of {len(attempts)})")


if __name__ == "__main__":
    main()
