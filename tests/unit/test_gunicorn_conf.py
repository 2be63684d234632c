"""The shipped gunicorn.conf.py: workers chosen by the database, as measured."""
import os
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def settings(monkeypatch, **env) -> dict:
    for name in ("QUIZ_DATABASE_URL", "GUNICORN_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_postgresql_gets_one_gevent_worker_per_core(monkeypatch):
    conf = settings(monkeypatch, QUIZ_DATABASE_URL="postgresql+psycopg://quiz@db/quiz")
    assert conf["worker_class"] == "gevent" and conf["workers"] == os.cpu_count()


def test_sqlite_and_the_default_database_get_two_per_core(monkeypatch):
    assert settings(monkeypatch, QUIZ_DATABASE_URL="sqlite:///quiz.sqlite3")["workers"] == \
        2 * os.cpu_count()
    assert settings(monkeypatch)["workers"] == 2 * os.cpu_count()


def test_the_environment_still_overrides_the_count(monkeypatch):
    conf = settings(monkeypatch, QUIZ_DATABASE_URL="postgresql+psycopg://quiz@db/quiz",
                    GUNICORN_WORKERS="3")
    assert conf["workers"] == 3
