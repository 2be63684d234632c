"""Measure how long a wrong sign-in takes for an existing and for an unknown username.

    .venv/bin/python scripts/signin_timing.py [--rounds 20]

Runs the real sign-in form through Flask's test client on a throwaway SQLite database and prints
the median time of each, and their ratio. Usernames must not be findable by timing: the ratio
should be close to 1. Wall-clock figures; run it on a quiet machine.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    from quiz import create_app
    from quiz.accounts.service import create_user
    from quiz.migrate import upgrade
    from quiz.web import db

    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "timing",
                      "QUIZ_SCHEDULER": False,
                      "QUIZ_DATABASE_URL": "sqlite:///" + str(Path(folder) / "t.sqlite3")})
    upgrade(app.extensions["quiz.engine"])
    with app.app_context():
        # One account per try, so no username is tried twice and nothing is slowed down.
        for n in range(rounds + 1):
            create_user(db(), username=f"real{n}", password="the-right-one",
                        full_name="Real Person", role="candidate")
        db().commit()
    client = app.test_client()

    def wrong_sign_in(username: str, n: int) -> float:
        started = time.perf_counter()
        # A fresh source address each time, so slowed-down guessing does not get in the way.
        client.post("/login", data={"username": username, "password": "wrong-wrong"},
                    environ_base={"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"})
        return time.perf_counter() - started

    wrong_sign_in("real0", 0)  # warm up (the first request builds caches)
    known = [wrong_sign_in(f"real{n}", n) for n in range(1, rounds + 1)]
    unknown = [wrong_sign_in(f"nobody{n}", rounds + n) for n in range(1, rounds + 1)]
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"wrong password, existing username: median {k * 1000:.1f} ms over {rounds}")
    print(f"wrong password, unknown username:  median {u * 1000:.1f} ms over {rounds}")
    print(f"ratio existing / unknown: {k / u:.2f}")


if __name__ == "__main__":
    main()
