"""The bare stack: the same gunicorn and database, one endpoint doing one INSERT per request.

The load harness measures the app's save throughput against this ceiling in the same run, so
the ratio says what the app's own work costs, whatever else the machine is doing.
"""
from __future__ import annotations

import json
import os

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, insert

from quiz.db import make_engine

metadata = MetaData()
saves = Table("bench_bare_save", metadata, Column("id", Integer, primary_key=True),
              Column("attempt", Integer), Column("position", Integer), Column("choice", Integer),
              Column("seq", BigInteger))


def create_table(url: str) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def create_app():
    """Return a WSGI app: POST /save stores one row and answers once it is committed."""
    engine = make_engine(os.environ["QUIZ_DATABASE_URL"])

    def app(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/save":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(size))
            with engine.begin() as connection:
                connection.execute(insert(saves), body)
            reply = b'{"status": "saved"}'
        else:
            reply = b"{}"
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(reply)))])
        return [reply]
    return app
