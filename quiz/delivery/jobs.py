"""Background jobs: entry points like requests, each opening its own session."""
from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from quiz.db import utcnow
from quiz.delivery.service import finalise_expired

log = logging.getLogger(__name__)


def finalise_expired_job(sessions: sessionmaker[Session], grace: timedelta) -> list[int]:
    """Submit every attempt whose time has run out, in a transaction of its own.

    Finding them only reads; the write lock is taken only when some are due.
    """
    with sessions() as session:
        finalised = finalise_expired(session, utcnow(), grace)
        session.commit()
    if finalised:
        log.info("submitted %d attempt(s) whose time ran out: %s", len(finalised), finalised)
    return finalised


def make_scheduler(app: Flask, scheduler_class=BackgroundScheduler):
    """Return a scheduler that runs the finalising job at the configured interval."""
    scheduler = scheduler_class(daemon=True) if scheduler_class is BackgroundScheduler \
        else scheduler_class()
    scheduler.add_job(
        finalise_expired_job, "interval", seconds=app.config["QUIZ_FINALISE_EVERY_SECONDS"],
        args=[app.extensions["quiz.request_sessions"],
              timedelta(seconds=app.config["QUIZ_ANSWER_GRACE_SECONDS"])],
        id="finalise_expired", max_instances=1, coalesce=True, replace_existing=True)
    return scheduler


def start_scheduler(app: Flask) -> BackgroundScheduler:
    """Start the finalising job in this process, alongside the web app."""
    scheduler = make_scheduler(app)
    scheduler.start()
    app.extensions["quiz.scheduler"] = scheduler
    return scheduler
