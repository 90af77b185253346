"""Upgrading an empty database through the migrations gives exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.extensions import db


def _differences() -> list:
    with db.engine.connect() as connection:
        from portal.models.search_index import include_object

        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_object": include_object},
        )
        return compare_metadata(context, db.metadata)


def test_migrations_from_empty_equal_the_models(app_ctx) -> None:
    db.session.remove()
    downgrade(revision="base")
    with db.engine.connect() as connection:
        assert db.engine.dialect.get_table_names(connection) == ["alembic_version"]
    # the search index is created by the migrations too
    upgrade()
    with db.engine.connect() as connection:
        names = set(db.engine.dialect.get_table_names(connection))
        if db.engine.dialect.name == "sqlite":
            assert "cases_fts" in names
    downgrade(revision="base")
    upgrade()
    assert _differences() == []


def test_migrations_are_numbered(app) -> None:
    from pathlib import Path

    versions = Path(app.root_path).parent / "migrations" / "versions"
    names = sorted(p.name for p in versions.glob("*.py"))
    assert names, "no migrations"
    for index, name in enumerate(names, start=1):
        assert name.startswith(f"{index:04d}_"), name
