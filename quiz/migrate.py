"""Apply schema migrations (Alembic) to the app's database."""
from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
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
