"""The migrations build exactly the schema the models describe, on both databases."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quiz.models import metadata


def test_migrations_match_the_models(app):
    with app.extensions["quiz.engine"].connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
