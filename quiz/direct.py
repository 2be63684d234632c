"""Core statements run on the database driver's own connection, for the hottest request.

A candidate's save is three statements in one transaction, sent dozens of times by every
candidate of a hall. Run through SQLAlchemy's Connection, each statement costs some 30 us of
bookkeeping around the driver's own 3-6 us (the compiled-cache lookup, the execution context,
the result's metadata, the transaction's events), and the connection, BEGIN and COMMIT another
30 us: 155 us a save against 40 us on the driver's cursor (bench/RESULTS.md, "Eleventh pass").
On SQLite all of it is time the write lock is held.

DirectConnection keeps the statements as they are written, in Core, and runs them on the
pooled driver connection: each statement is compiled once per dialect (the driver's SQL, its
parameters in the driver's order, and each type's own bind and result processors, so values
go in and come out exactly as through a Connection); a result row answers by attribute and by
`_mapping`, as a Row does. It runs statements with plain bound parameters only: no expanding
IN, no executemany, no RETURNING, nothing SQLAlchemy would render at execution time.

The engine's before_cursor_execute and after_cursor_execute listeners see each statement, as
they would through a Connection (with None for the connection and context), so a tracer or a
test counting statements still sees the save's.

Errors are the driver's own (`dialect.loaded_dbapi.Error`), not SQLAlchemy's; after one the
caller rolls back. A connection the error says is gone is invalidated, so the pool replaces it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql import ClauseElement


@dataclass
class Prepared:
    """One statement compiled for one dialect, ready for the driver's cursor."""

    sql: str
    positional: tuple[str, ...] | None  # parameter names in order, for qmark-style drivers
    binds: dict[str, Callable[[Any], Any]]  # name -> the type's bind processor, where it has one
    given: dict[str, Any]  # values the statement itself holds, such as .values(seq=1)
    row: type | None  # the result's row class, for statements that return rows
    types: tuple  # the result's column types, dialect-specific
    # Per column, the type's result processor: made at the first run, from the driver's own
    # description of the columns (some processors depend on the type the driver reports).
    results: tuple[Callable[[Any], Any] | None, ...] | None = None

    @classmethod
    def compile(cls, statement: ClauseElement, dialect: Dialect) -> Prepared:
        compiled = statement.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("DirectConnection runs only statements with plain bound parameters")
        binds, given = {}, {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds[name] = process
            if not bind.required:
                given[name] = bind.effective_value
        positional = tuple(compiled.positiontup) if compiled.positional else None
        if getattr(statement, "_returning", ()):
            raise ValueError("DirectConnection reads rows from SELECTs only, not RETURNING")
        columns = statement.selected_columns if getattr(statement, "is_select", False) else None
        row, types = None, ()
        if columns is not None:
            row = _row_class(tuple(column.key for column in columns))
            types = tuple(column.type.dialect_impl(dialect) for column in columns)
        return cls(compiled.string, positional, binds, given, row, types)

    def processors(self, dialect: Dialect, description) -> tuple:
        """Return each column's result processor, made once from the cursor's description."""
        if self.results is None:
            self.results = tuple(kind.result_processor(dialect, described[1])
                                 for kind, described in zip(self.types, description))
        return self.results

    def parameters(self, values: dict[str, Any]):
        """Return `values` as the driver takes them: processed, in order where it is positional."""
        if self.given:
            values = {**self.given, **values}
        if self.binds:
            values = {name: (self.binds[name](value) if name in self.binds else value)
                      for name, value in values.items()}
        if self.positional is not None:
            return tuple(values[name] for name in self.positional)
        return values


def _row_class(names: tuple[str, ...]) -> type:
    taken = set(names) & set(dir(tuple))
    if taken:
        raise ValueError(f"a row's column may not be named as a tuple's method: {sorted(taken)}")
    index = {name: n for n, name in enumerate(names)}

    class DirectRow(tuple):
        """A result row: by position, by attribute, and by name through `_mapping`."""

        __slots__ = ()

        def __getattr__(self, name: str):
            try:
                return self[index[name]]
            except KeyError:
                raise AttributeError(name) from None

        @property
        def _mapping(self) -> dict[str, Any]:
            return dict(zip(names, self))

    return DirectRow


class DirectResult:
    """What a statement returned: its rows (if any) and how many rows it changed."""

    def __init__(self, rows: list, rowcount: int):
        self._rows, self.rowcount = rows, rowcount

    def first(self):
        return self._rows[0] if self._rows else None

    def all(self) -> list:
        return list(self._rows)


class DirectConnection:
    """A pooled driver connection running prepared Core statements in one transaction.

    Use it as a context manager: the transaction begins on entry (on SQLite with the write lock,
    BEGIN IMMEDIATE, as every transaction that writes does here: quiz.db) and is committed by
    `commit()`; anything not committed is rolled back, and the connection always goes back to
    the pool.
    """

    _prepared: dict[tuple[ClauseElement, str], Prepared] = {}
    _preparing = threading.Lock()

    def __init__(self, engine: Engine):
        self.dialect = engine.dialect
        self._dispatch = engine.dispatch
        self._connection = engine.raw_connection()  # may raise the pool's TimeoutError
        self._cursor = None
        self._open = False

    def __enter__(self) -> DirectConnection:
        try:
            self._cursor = self._connection.cursor()
            if self.dialect.name == "sqlite":
                self._run("BEGIN IMMEDIATE", ())
            self._open = True  # psycopg begins its transaction at the first statement
        except BaseException as error:
            self._close(error)
            raise
        return self

    def __exit__(self, kind, error, _traceback) -> None:
        self._close(error)

    def execute(self, statement: ClauseElement, values: dict[str, Any]) -> DirectResult:
        """Run a Core statement with these bound values; return its rows and rowcount."""
        prepared = self._prepare(statement)
        cursor = self._run(prepared.sql, prepared.parameters(values))
        rows = []
        if prepared.row is not None:
            processors = prepared.processors(self.dialect, cursor.description)
            for raw in cursor.fetchall():
                rows.append(prepared.row(value if process is None else process(value)
                                         for process, value in zip(processors, raw)))
        return DirectResult(rows, cursor.rowcount)

    def _run(self, sql: str, parameters):
        cursor, dispatch = self._cursor, self._dispatch
        for listener in dispatch.before_cursor_execute:  # each returns what it was given
            sql, parameters = listener(None, cursor, sql, parameters, None, False)
        cursor.execute(sql, parameters)
        for listener in dispatch.after_cursor_execute:
            listener(None, cursor, sql, parameters, None, False)
        return cursor

    def commit(self) -> None:
        self._connection.commit()
        self._open = False

    def _prepare(self, statement: ClauseElement) -> Prepared:
        key = (statement, self.dialect.name)  # the statement object itself, by identity
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = Prepared.compile(statement, self.dialect)
            with self._preparing:
                self._prepared.setdefault(key, prepared)
        return prepared

    def _close(self, error: BaseException | None = None) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        dbapi_error = self.dialect.loaded_dbapi.Error
        gone = isinstance(error, dbapi_error) and self.dialect.is_disconnect(
            error, connection.dbapi_connection, self._cursor)
        try:
            if self._open and not gone:
                connection.rollback()
        except dbapi_error as failed:
            error, gone = failed, True  # a connection that cannot roll back is not reused
        finally:
            self._open = False
            if gone:
                connection.invalidate(error)  # the pool opens a new one in its place
            elif self._cursor is not None:
                self._cursor.close()
            connection.close()  # back to the pool, or discarded when invalidated
