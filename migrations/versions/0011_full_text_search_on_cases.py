"""full-text search on cases

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 05:58:19.978726

"""
from alembic import op
import sqlalchemy as sa

import portal.models.types


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_cases_search_tsv ON cases "
            "USING gin (to_tsvector('simple', search_text))"
        )
        return
    # SQLite: an FTS5 index over cases.search_text, kept in step by triggers.
    op.execute(
        "CREATE VIRTUAL TABLE cases_fts USING fts5("
        "search_text, content='cases', content_rowid='id', tokenize='unicode61')"
    )
    op.execute("INSERT INTO cases_fts(rowid, search_text) SELECT id, search_text FROM cases")
    op.execute(
        "CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN "
        "INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN "
        "INSERT INTO cases_fts(cases_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_text ON cases BEGIN "
        "INSERT INTO cases_fts(cases_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_tsv")
        return
    for trigger in ("cases_fts_insert", "cases_fts_delete", "cases_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS cases_fts")
