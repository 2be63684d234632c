"""Core statements run on the driver's own connection (quiz.direct) read and write exactly what
the same statements run through SQLAlchemy's Connection do, on both databases."""
from datetime import timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from quiz.db import make_engine
from quiz.delivery import fastpath
from quiz.delivery.models import AttemptQuestion
from quiz.direct import DirectConnection
from tests.factories import MORNING


@pytest.fixture
def engine(app):
    return app.extensions["quiz.engine"]


@pytest.fixture
def question(engine, started):
    with engine.connect() as connection:
        return connection.execute(select(AttemptQuestion.__table__)
                                  .where(AttemptQuestion.attempt_id == started.id,
                                         AttemptQuestion.position == 2)).first()


def _read_for_save(started, position=2):
    return {"attempt_id": started.id, "user_id": started.candidate_id, "position": position}


def _answer_of(engine, question_id):
    with engine.connect() as connection:
        return connection.execute(
            select(AttemptQuestion.chosen, AttemptQuestion.seq, AttemptQuestion.answered_at)
            .where(AttemptQuestion.id == question_id)).one()


def test_a_row_read_directly_is_the_row_a_connection_reads(engine, started):
    with engine.connect() as connection:
        expected = connection.execute(fastpath._READ_FOR_SAVE, _read_for_save(started)).one()
    with DirectConnection(engine) as direct:
        row = direct.execute(fastpath._READ_FOR_SAVE, _read_for_save(started)).first()

    assert tuple(row) == tuple(expected)
    assert row._mapping == dict(expected._mapping)
    assert row.option_order == expected.option_order and isinstance(row.option_order, list)
    assert row.started_at.tzinfo == timezone.utc
    assert fastpath.AttemptRow.of(row) == fastpath.AttemptRow.of(expected)


def test_a_select_that_finds_nothing_gives_no_row(engine, started):
    with DirectConnection(engine) as direct:
        assert direct.execute(fastpath._READ_FOR_SAVE,
                              _read_for_save(started, position=99)).first() is None


def test_a_committed_update_stores_its_values_as_a_connection_would(engine, question):
    moment = MORNING + timedelta(minutes=3)
    with DirectConnection(engine) as direct:
        changed = direct.execute(fastpath._STORE_ANSWER, {
            "question_id": question.id, "new_chosen": "C", "new_seq": 7, "now": moment})
        direct.commit()

    assert changed.rowcount == 1
    assert tuple(_answer_of(engine, question.id)) == ("C", 7, moment)


def test_what_is_not_committed_is_rolled_back(engine, question):
    with DirectConnection(engine) as direct:
        direct.execute(fastpath._STORE_ANSWER, {
            "question_id": question.id, "new_chosen": "C", "new_seq": 7, "now": MORNING})

    assert tuple(_answer_of(engine, question.id)) == (question.chosen, question.seq,
                                                      question.answered_at)


def test_an_error_rolls_back_and_gives_the_connection_back_to_the_pool(engine, question):
    with pytest.raises(RuntimeError):
        with DirectConnection(engine) as direct:
            direct.execute(fastpath._STORE_ANSWER, {
                "question_id": question.id, "new_chosen": "D", "new_seq": 9, "now": MORNING})
            raise RuntimeError("the rules refused it")

    assert _answer_of(engine, question.id).chosen == question.chosen
    assert engine.pool.checkedout() == 0


def test_a_database_error_is_the_drivers_own(engine, question):
    with pytest.raises(engine.dialect.loaded_dbapi.Error):  # seq may not be NULL
        with DirectConnection(engine) as direct:
            direct.execute(update(AttemptQuestion.__table__).values(seq=None), {})

    assert engine.pool.checkedout() == 0
    assert _answer_of(engine, question.id).seq == question.seq


def test_statements_it_cannot_run_as_they_are_are_refused(engine):
    table = AttemptQuestion.__table__
    with DirectConnection(engine) as direct:
        with pytest.raises(ValueError, match="plain bound parameters"):
            direct.execute(select(table.c.id).where(table.c.id.in_([1, 2])), {})
        with pytest.raises(ValueError, match="RETURNING"):
            direct.execute(update(table).values(seq=1).returning(table.c.id), {})


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL locks rows instead
def test_on_sqlite_it_holds_the_write_lock_from_its_start(engine, db_url, started):
    other = make_engine(db_url, autocommit=True)  # the same file, another connection
    try:
        with DirectConnection(engine):
            with other.connect() as connection:
                connection.exec_driver_sql("PRAGMA busy_timeout = 50")
                with pytest.raises(OperationalError, match="locked"):
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        other.dispose()
