"""stored search vector of cases (PostgreSQL)

A search over every case (a status chosen, a statistics figure's list) walks the list's own
index and checks each row against the words; with the tsvector computed from search_text on
every check, that cost more than taking every match from the GIN index and sorting them,
which at a million cases is 125,000 matches for a common phrase (docs/performance.md, "Search
over all cases at a million"). So on PostgreSQL:

- cases.search_vector, a generated column to_tsvector('simple', search_text) STORED:
  PostgreSQL keeps it in step with the text itself, checking a row is reading it, and
  ANALYZE gathers its word frequencies, so the planner knows how common a word is;
- the two GIN indexes (0011 every case, 0016 open cases) are on that column instead of the
  expression.

SQLite keeps its FTS5 tables (0011, 0016): nothing changes there.

Like the search indexes, the column is outside the models (search_index.OBJECTS): the ORM
never reads nor writes it.

Revision ID: 0023_search
Revises: 0022_stats
Create Date: 2026-12-06 14:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_search"
down_revision = "0022_stats"
branch_labels = None
depends_on = None

OPEN = "WHERE next_due_on IS NOT NULL"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE cases ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    op.execute("DROP INDEX IF EXISTS ix_cases_search_tsv")
    op.execute("DROP INDEX IF EXISTS ix_cases_open_search_tsv")
    op.execute("CREATE INDEX ix_cases_search_vector ON cases USING gin (search_vector)")
    op.execute(
        f"CREATE INDEX ix_cases_open_search_vector ON cases USING gin (search_vector) {OPEN}"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_cases_open_search_vector")
    op.execute("DROP INDEX IF EXISTS ix_cases_search_vector")
    op.execute("ALTER TABLE cases DROP COLUMN search_vector")
    op.execute(
        "CREATE INDEX ix_cases_search_tsv ON cases USING gin (to_tsvector('simple', search_text))"
    )
    op.execute(
        "CREATE INDEX ix_cases_open_search_tsv ON cases "
        f"USING gin (to_tsvector('simple', search_text)) {OPEN}"
    )
