"""Apply schema migrations (Alembic) to the app's database."""
from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine


def alembic_config(url: str) -> AlembicConfig:
    """Return an Alembic configuration for our packaged migration scripts."""
    config = AlembicConfig()
    config.set_main_option("script_location", "quiz:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database's schema up to the given revision."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_problem(engine: Engine) -> str | None:
    """Say what keeps the database from being used (unreachable, no schema, an older schema),
    or return None when its schema is the latest."""
    from sqlalchemy.exc import OperationalError
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as err:
        return f"cannot open the database at {where}: {err.orig}"
    head = ScriptDirectory.from_config(alembic_config(where)).get_current_head()
    if current is None:
        return f"the database at {where} has no tables yet: run `quiz db upgrade` first"
    if current != head:
        return (f"the database at {where} is at schema {current}, not the latest ({head}): "
                "run `quiz db upgrade` first")
    return None
