"""search index of open cases

The working queue searches only cases with a running clock, a few percent of all cases.
Its own search index makes a common word cost what its matches among open cases cost, not
what its matches in every case ever received cost (docs/performance.md):

- PostgreSQL: a partial GIN index on the same expression as ix_cases_search_tsv; the
  planner takes it when the query says `next_due_on IS NOT NULL`.
- SQLite: a contentless FTS5 table holding the open cases only, kept by triggers, and a
  partial covering index (id, next_due_on) of open cases, so counting the matches by their
  nearest deadline reads neither the large cases table nor every open case.

Like cases_fts (0011) these objects are outside the models (search_index.OBJECTS); a
migration that rebuilds `cases` in batch mode on SQLite must create the triggers again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 10:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ADD_NEW = "INSERT INTO open_cases_fts (rowid, search_text) VALUES (new.id, new.search_text);"
REMOVE_OLD = (
    "INSERT INTO open_cases_fts (open_cases_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)

SQLITE = (
    "CREATE VIRTUAL TABLE open_cases_fts USING fts5("
    "search_text, content='', tokenize='unicode61')",
    "INSERT INTO open_cases_fts (rowid, search_text) "
    "SELECT id, search_text FROM cases WHERE next_due_on IS NOT NULL",
    "CREATE TRIGGER open_cases_fts_insert AFTER INSERT ON cases "
    f"WHEN new.next_due_on IS NOT NULL BEGIN {ADD_NEW} END",
    "CREATE TRIGGER open_cases_fts_delete AFTER DELETE ON cases "
    f"WHEN old.next_due_on IS NOT NULL BEGIN {REMOVE_OLD} END",
    # A case leaves the index when its clocks stop, comes back when one starts again, and is
    # indexed again when its text changes while open: one trigger, so the old entry is gone
    # before the new one comes.
    "CREATE TRIGGER open_cases_fts_update AFTER UPDATE OF next_due_on, search_text ON cases "
    "WHEN (old.next_due_on IS NULL) <> (new.next_due_on IS NULL) "
    "OR old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO open_cases_fts (open_cases_fts, rowid, search_text) "
    "SELECT 'delete', old.id, old.search_text WHERE old.next_due_on IS NOT NULL; "
    "INSERT INTO open_cases_fts (rowid, search_text) "
    "SELECT new.id, new.search_text WHERE new.next_due_on IS NOT NULL; END",
    "CREATE INDEX ix_cases_open_id_due ON cases (id, next_due_on) "
    "WHERE next_due_on IS NOT NULL",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_cases_open_search_tsv ON cases "
            "USING gin (to_tsvector('simple', search_text)) WHERE next_due_on IS NOT NULL"
        )
        return
    for statement in SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_open_search_tsv")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS open_cases_fts_{trigger}")
    op.execute("DROP INDEX IF EXISTS ix_cases_open_id_due")
    op.execute("DROP TABLE IF EXISTS open_cases_fts")
