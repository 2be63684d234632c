"""gunicorn settings for Quiz, chosen from measurements (bench/RESULTS.md, docs/scaling.md).

    QUIZ_SCHEDULER=0 gunicorn -c gunicorn.conf.py 'quiz:create_app()'
    quiz worker        # exactly one per database, beside the web servers

Each setting can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_WORKER_CLASS, GUNICORN_BIND) so the load harness can compare them on one machine.
"""
import multiprocessing
import os

cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gevent: a worker holds thousands of idle connections cheaply, which the push channel (one
# server-sent event stream per candidate, replacing the status polls) needs; psycopg 3 waits
# cooperatively under it. Measured against sync and gthread (bench/RESULTS.md, "Choosing the
# workers"): the same CPU per start and save on SQLite; on PostgreSQL 20-50% more CPU per start
# than gthread, which the streams repay many times over by removing the polls. Without the
# streams (or on SQLite) GUNICORN_WORKER_CLASS=gthread is as good or better. SQLite calls block a
# gevent worker while they run, which is why a request holds SQLite's write lock only for its own
# statements.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
# On SQLite two per core: a SQLite call blocks its gevent worker while it runs, so the other
# computes meanwhile. On PostgreSQL one per core: a worker's waits on the database yield to its
# own loop, and more workers than cores only add switching. Measured alternately (PostgreSQL,
# 3,000 starts in 25 s): CPU per start 10.6 and 10.7 ms with 2 workers against 12.2 and 13.3 with
# 4, first question p95 58-59 ms against 290-553 ms (bench/RESULTS.md, "Ninth pass").
_on_postgresql = os.environ.get("QUIZ_DATABASE_URL", "").startswith("postgresql")
workers = int(os.environ.get("GUNICORN_WORKERS", cores if _on_postgresql else 2 * cores))
threads = int(os.environ.get("GUNICORN_THREADS", 4))  # gthread only
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))  # gevent only

# A whole hall connects in the same second: keep the queue of waiting connections long
# (the kernel caps it at net.core.somaxconn).
backlog = 4096
# Saves and starts take milliseconds; a request running for a minute is stuck, not slow.
timeout = 60
graceful_timeout = 20
keepalive = 5
# Each worker makes its own app, engine and connection pool after the fork (no preload): a
# database connection must never be shared between processes.
preload_app = False
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
