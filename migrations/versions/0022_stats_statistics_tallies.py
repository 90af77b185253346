"""tallies for the statistics

`case_tallies` counts cases per figure ("dimension"), local day, division and value, kept by
triggers on `cases`, `deadlines` and `case_events` on both databases, so that the statistics
of a year read a few thousand rows instead of a million cases (docs/performance.md, issue 18).
0 stands for "no division". The dimensions (the day is `received_on` unless said otherwise):

- kind, channel, field ('' when none): the case's;
- status: the status, "not_accepted/<ground>" for a refused case;
- rating: "<rating>/answered" when the case is resolved or closed, "<rating>/" otherwise;
- open: "<status>/<next_due_on or ''>" for a case in an open status;
- answered (day `answered_on`): "<received_on>/answered" or "<received_on>/";
- ended (day `ended_on`): "<received_on>" for a case ended without an answer;
- met (day `met_on` of a deadline of a case, not stopped): "<rule>/on_time", "<rule>/late",
  or "<rule>/" when the deadline has no due date; the division is its case's.

`cases.ended_on` (new) is the local day of the latest event that moved the case into a final
status without an answer (guided, forwarded, not accepted, filed, withdrawn), kept by a
trigger on `case_events` (Asia/Ho_Chi_Minh: +7 hours on SQLite, the zone on PostgreSQL).

On PostgreSQL one function per table changes a moved row's two tally rows in key order, like
0015 (two single-case moves in opposite directions cannot deadlock). A case's deadlines leave
the tallies before the case is deleted (BEFORE DELETE), and a deadline whose case is gone
changes nothing, so deleting a case through the cascade counts each deadline once.

Plain ALTER TABLE ADD COLUMN: no batch rebuild of `cases` (see 0016).

Revision ID: 0022_stats
Revises: 0021
Create Date: 2026-12-06 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_stats"
down_revision = "0021"
branch_labels = None
depends_on = None

# Frozen here as the statistics define them (a unit test checks they still agree).
OPEN = ("received", "accepted", "in_progress", "suspended")
ANSWERED = ("resolved", "closed")
ENDED = ("guided", "forwarded", "not_accepted", "filed", "withdrawn")
KEY = "dimension, day, division_id, value"
CASE_COLUMNS = (
    "kind, channel, field, status, outcome_ground, satisfaction_rating, received_on, "
    "next_due_on, answered_on, ended_on, division_id"
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _case_dimensions(r: str, postgresql: bool) -> list[tuple[str, str, str, str]]:
    """(dimension, day, value, condition) of the case row `r` ("new", "old" or "c")."""

    def iso(column: str) -> str:
        return f"to_char({column}, 'YYYY-MM-DD')" if postgresql else column

    rating = (
        f"{r}.satisfaction_rating::text"
        if postgresql
        else (f"CAST({r}.satisfaction_rating AS TEXT)")
    )
    answered_flag = f"CASE WHEN {_in(f'{r}.status', ANSWERED)} THEN '/answered' ELSE '/' END"
    return [
        ("kind", f"{r}.received_on", f"{r}.kind", "TRUE"),
        ("channel", f"{r}.received_on", f"{r}.channel", "TRUE"),
        ("field", f"{r}.received_on", f"coalesce({r}.field, '')", "TRUE"),
        (
            "status",
            f"{r}.received_on",
            f"CASE WHEN {r}.status = 'not_accepted' "
            f"THEN 'not_accepted/' || coalesce({r}.outcome_ground, '') ELSE {r}.status END",
            "TRUE",
        ),
        (
            "rating",
            f"{r}.received_on",
            f"{rating} || {answered_flag}",
            f"{r}.satisfaction_rating IS NOT NULL",
        ),
        (
            "open",
            f"{r}.received_on",
            f"{r}.status || '/' || coalesce({iso(f'{r}.next_due_on')}, '')",
            _in(f"{r}.status", OPEN),
        ),
        (
            "answered",
            f"{r}.answered_on",
            f"{iso(f'{r}.received_on')} || {answered_flag}",
            f"{r}.answered_on IS NOT NULL",
        ),
        (
            "ended",
            f"{r}.ended_on",
            iso(f"{r}.received_on"),
            f"{_in(f'{r}.status', ENDED)} AND {r}.ended_on IS NOT NULL",
        ),
    ]


def _met_value(d: str) -> str:
    return (
        f"{d}.rule_id || '/' || CASE WHEN {d}.met_on <= {d}.due_on THEN 'on_time' "
        f"WHEN {d}.met_on > {d}.due_on THEN 'late' ELSE '' END"
    )


def _met_condition(d: str) -> str:
    return f"{d}.case_id IS NOT NULL AND {d}.met_on IS NOT NULL AND {d}.stopped_reason IS NULL"


# --- PostgreSQL ---------------------------------------------------------------------------

POSTGRESQL_ADD = """
CREATE OR REPLACE FUNCTION case_tallies_add(dim text, d date, division integer, val text,
                                            change integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tallies (dimension, day, division_id, value, cases)
    VALUES (dim, d, division, val, change)
    ON CONFLICT (dimension, day, division_id, value)
    DO UPDATE SET cases = case_tallies.cases + change;
    IF change < 0 THEN
        DELETE FROM case_tallies
        WHERE dimension = dim AND day = d AND division_id = division AND value = val
          AND cases <= 0;
    END IF;
END $$
"""

POSTGRESQL_MOVE = """
CREATE OR REPLACE FUNCTION case_tallies_move(dim text, old_day date, old_division integer,
        old_value text, new_day date, new_division integer, new_value text)
        RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF old_day IS NULL AND new_day IS NULL THEN
        RETURN;
    END IF;
    IF (old_day, old_division, old_value) IS NOT DISTINCT FROM
       (new_day, new_division, new_value) THEN
        RETURN;
    END IF;
    -- Lower key first: two moves in opposite directions lock their rows in the same order.
    IF new_day IS NOT NULL AND (old_day IS NULL
            OR (new_day, new_division, new_value) < (old_day, old_division, old_value)) THEN
        PERFORM case_tallies_add(dim, new_day, new_division, new_value, 1);
        new_day := NULL;
    END IF;
    IF old_day IS NOT NULL THEN
        PERFORM case_tallies_add(dim, old_day, old_division, old_value, -1);
    END IF;
    IF new_day IS NOT NULL THEN
        PERFORM case_tallies_add(dim, new_day, new_division, new_value, 1);
    END IF;
END $$
"""


def _postgresql_case_function() -> str:
    old, new = _case_dimensions("OLD", True), _case_dimensions("NEW", True)
    declare = "".join(
        f"    o_{n}_day date; o_{n}_value text; n_{n}_day date; n_{n}_value text;\n"
        for n, *_ in old
    )

    def assign(prefix: str, dims: list[tuple[str, str, str, str]]) -> str:
        return "".join(
            f"        {prefix}_{n}_day := CASE WHEN {cond} THEN {day} END;\n"
            f"        {prefix}_{n}_value := {value};\n"
            for n, day, value, cond in dims
        )

    moves = "".join(
        f"    PERFORM case_tallies_move('{n}', o_{n}_day, o_division, o_{n}_value, "
        f"n_{n}_day, n_division, n_{n}_value);\n"
        for n, *_ in old
    )
    return f"""
CREATE OR REPLACE FUNCTION case_tallies_follow_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o_division integer := 0;
    n_division integer := 0;
    deadline record;
{declare}BEGIN
    IF TG_OP <> 'INSERT' THEN
        o_division := coalesce(OLD.division_id, 0);
{assign("o", old)}    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_division := coalesce(NEW.division_id, 0);
{assign("n", new)}    END IF;
{moves}    IF TG_OP = 'UPDATE' AND o_division <> n_division THEN
        FOR deadline IN SELECT met_on, {_met_value("d")} AS value FROM deadlines d
                WHERE {_met_condition("d")} AND d.case_id = NEW.id
                ORDER BY met_on, value LOOP
            PERFORM case_tallies_move('met', deadline.met_on, o_division, deadline.value,
                                      deadline.met_on, n_division, deadline.value);
        END LOOP;
    END IF;
    RETURN NULL;
END $$
"""


POSTGRESQL_CASE_DELETED = f"""
CREATE OR REPLACE FUNCTION case_tallies_case_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    deadline record;
BEGIN
    FOR deadline IN SELECT met_on, {_met_value("d")} AS value FROM deadlines d
            WHERE {_met_condition("d")} AND d.case_id = OLD.id ORDER BY met_on, value LOOP
        PERFORM case_tallies_add('met', deadline.met_on, coalesce(OLD.division_id, 0),
                                 deadline.value, -1);
    END LOOP;
    RETURN OLD;
END $$
"""

POSTGRESQL_DEADLINE = f"""
CREATE OR REPLACE FUNCTION case_tallies_follow_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o_day date; o_value text; o_division integer;
    n_day date; n_value text; n_division integer;
BEGIN
    IF TG_OP <> 'INSERT' AND {_met_condition("OLD")} THEN
        -- no case any more: it was deleted, and took its deadlines off the tallies first
        SELECT coalesce(division_id, 0) INTO o_division FROM cases WHERE id = OLD.case_id;
        IF FOUND THEN
            o_day := OLD.met_on;
            o_value := {_met_value("OLD")};
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND {_met_condition("NEW")} THEN
        SELECT coalesce(division_id, 0) INTO n_division FROM cases WHERE id = NEW.case_id;
        n_day := NEW.met_on;
        n_value := {_met_value("NEW")};
    END IF;
    PERFORM case_tallies_move('met', o_day, o_division, o_value, n_day, n_division, n_value);
    RETURN NULL;
END $$
"""

POSTGRESQL_EVENT = """
CREATE OR REPLACE FUNCTION cases_ended_on_follow_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET ended_on = (NEW.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
    WHERE id = NEW.case_id
      AND (ended_on IS NULL OR ended_on < (NEW.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
    RETURN NULL;
END $$
"""

POSTGRESQL_TRIGGERS = (
    "CREATE TRIGGER case_tallies_insert_delete AFTER INSERT OR DELETE ON cases "
    "FOR EACH ROW EXECUTE FUNCTION case_tallies_follow_case()",
    f"CREATE TRIGGER case_tallies_update AFTER UPDATE OF {CASE_COLUMNS} ON cases "
    "FOR EACH ROW EXECUTE FUNCTION case_tallies_follow_case()",
    "CREATE TRIGGER case_tallies_before_delete BEFORE DELETE ON cases "
    "FOR EACH ROW EXECUTE FUNCTION case_tallies_case_deleted()",
    "CREATE TRIGGER case_tallies_deadline AFTER INSERT OR DELETE OR UPDATE OF "
    "case_id, met_on, due_on, stopped_reason, rule_id ON deadlines "
    "FOR EACH ROW EXECUTE FUNCTION case_tallies_follow_deadline()",
    "CREATE TRIGGER cases_ended_on_event AFTER INSERT ON case_events FOR EACH ROW "
    f"WHEN ({_in('NEW.to_status', ENDED)}) EXECUTE FUNCTION cases_ended_on_follow_event()",
)

POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS case_tallies_insert_delete ON cases",
    "DROP TRIGGER IF EXISTS case_tallies_update ON cases",
    "DROP TRIGGER IF EXISTS case_tallies_before_delete ON cases",
    "DROP TRIGGER IF EXISTS case_tallies_deadline ON deadlines",
    "DROP TRIGGER IF EXISTS cases_ended_on_event ON case_events",
    "DROP FUNCTION IF EXISTS case_tallies_follow_case()",
    "DROP FUNCTION IF EXISTS case_tallies_case_deleted()",
    "DROP FUNCTION IF EXISTS case_tallies_follow_deadline()",
    "DROP FUNCTION IF EXISTS cases_ended_on_follow_event()",
    "DROP FUNCTION IF EXISTS case_tallies_move(text, date, integer, text, date, integer, text)",
    "DROP FUNCTION IF EXISTS case_tallies_add(text, date, integer, text, integer)",
)


# --- SQLite (one writer at a time: no lock order to keep) ----------------------------------


def _sqlite_add(dim: str, day: str, division: str, value: str, condition: str) -> str:
    return (
        f"INSERT INTO case_tallies ({KEY}, cases) SELECT '{dim}', {day}, {division}, {value}, 1 "
        f"WHERE {condition.replace('TRUE', '1')} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET cases = cases + 1;"
    )


def _sqlite_remove(dim: str, day: str, division: str, value: str, condition: str) -> str:
    match = (
        f"dimension = '{dim}' AND day = {day} AND division_id = {division} AND value = {value} "
        f"AND {condition.replace('TRUE', '1')}"
    )
    return (
        f"UPDATE case_tallies SET cases = cases - 1 WHERE {match}; "
        f"DELETE FROM case_tallies WHERE {match} AND cases <= 0;"
    )


def _sqlite_case(r: str, change: str) -> str:
    step = _sqlite_add if change == "add" else _sqlite_remove
    division = f"coalesce({r}.division_id, 0)"
    return " ".join(
        step(n, day, division, value, cond) for n, day, value, cond in _case_dimensions(r, False)
    )


def _sqlite_deadlines_of_case(case: str, division: str, change: str) -> str:
    """Each counted deadline of `case` added to (or taken from) the tallies of `division`."""
    rows = (
        f"SELECT 'met' AS dimension, d.met_on AS day, {division} AS division_id, "
        f"{_met_value('d')} AS value, count(*) AS n FROM deadlines d "
        f"WHERE {_met_condition('d')} AND d.case_id = {case}.id GROUP BY 2, 4"
    )
    if change == "add":
        return (
            f"INSERT INTO case_tallies ({KEY}, cases) SELECT dimension, day, division_id, value, "
            f"n FROM ({rows}) WHERE 1 ON CONFLICT ({KEY}) DO UPDATE SET cases = cases + "
            "excluded.cases;"
        )
    return (
        f"UPDATE case_tallies SET cases = cases - (SELECT m.n FROM ({rows}) m "
        "WHERE m.day = case_tallies.day AND m.value = case_tallies.value) "
        f"WHERE dimension = 'met' AND division_id = {division} "
        f"AND (day, value) IN (SELECT day, value FROM ({rows})); "
        f"DELETE FROM case_tallies WHERE dimension = 'met' AND division_id = {division} "
        "AND cases <= 0;"
    )


def _sqlite_deadline(d: str, change: str) -> str:
    division = f"(SELECT coalesce(division_id, 0) FROM cases WHERE id = {d}.case_id)"
    condition = f"{_met_condition(d)} AND EXISTS (SELECT 1 FROM cases WHERE id = {d}.case_id)"
    step = _sqlite_add if change == "add" else _sqlite_remove
    return step("met", f"{d}.met_on", division, _met_value(d), condition)


def _sqlite_triggers() -> tuple[str, ...]:
    return (
        f"CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases BEGIN "
        f"{_sqlite_case('new', 'add')} END",
        f"CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases BEGIN "
        f"{_sqlite_case('old', 'remove')} END",
        "CREATE TRIGGER case_tallies_before_delete BEFORE DELETE ON cases BEGIN "
        f"{_sqlite_deadlines_of_case('old', 'coalesce(old.division_id, 0)', 'remove')} END",
        f"CREATE TRIGGER case_tallies_update AFTER UPDATE OF {CASE_COLUMNS} ON cases BEGIN "
        f"{_sqlite_case('old', 'remove')} {_sqlite_case('new', 'add')} END",
        "CREATE TRIGGER case_tallies_division AFTER UPDATE OF division_id ON cases "
        "WHEN old.division_id IS NOT new.division_id BEGIN "
        f"{_sqlite_deadlines_of_case('old', 'coalesce(old.division_id, 0)', 'remove')} "
        f"{_sqlite_deadlines_of_case('new', 'coalesce(new.division_id, 0)', 'add')} END",
        "CREATE TRIGGER case_tallies_deadline_insert AFTER INSERT ON deadlines BEGIN "
        f"{_sqlite_deadline('new', 'add')} END",
        "CREATE TRIGGER case_tallies_deadline_delete AFTER DELETE ON deadlines BEGIN "
        f"{_sqlite_deadline('old', 'remove')} END",
        "CREATE TRIGGER case_tallies_deadline_update AFTER UPDATE OF "
        "case_id, met_on, due_on, stopped_reason, rule_id ON deadlines BEGIN "
        f"{_sqlite_deadline('old', 'remove')} {_sqlite_deadline('new', 'add')} END",
        "CREATE TRIGGER cases_ended_on_event AFTER INSERT ON case_events "
        f"WHEN {_in('new.to_status', ENDED)} BEGIN "
        "UPDATE cases SET ended_on = date(new.at, '+7 hours') WHERE id = new.case_id "
        "AND (ended_on IS NULL OR ended_on < date(new.at, '+7 hours')); END",
    )


SQLITE_TRIGGER_NAMES = (
    "case_tallies_insert",
    "case_tallies_delete",
    "case_tallies_before_delete",
    "case_tallies_update",
    "case_tallies_division",
    "case_tallies_deadline_insert",
    "case_tallies_deadline_delete",
    "case_tallies_deadline_update",
    "cases_ended_on_event",
)


def _backfill(postgresql: bool) -> None:
    local_day = (
        "(max(at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
        if postgresql
        else "date(max(at), '+7 hours')"
    )
    op.execute(
        f"UPDATE cases SET ended_on = (SELECT {local_day} FROM case_events e "
        f"WHERE e.case_id = cases.id AND {_in('e.to_status', ENDED)}) "
        f"WHERE id IN (SELECT case_id FROM case_events WHERE {_in('to_status', ENDED)})"
    )
    for name, day, value, condition in _case_dimensions("c", postgresql):
        op.execute(
            f"INSERT INTO case_tallies ({KEY}, cases) "
            f"SELECT '{name}', {day}, coalesce(c.division_id, 0), {value}, count(*) "
            f"FROM cases c WHERE {condition} GROUP BY 2, 3, 4"
        )
    op.execute(
        f"INSERT INTO case_tallies ({KEY}, cases) "
        f"SELECT 'met', d.met_on, coalesce(c.division_id, 0), {_met_value('d')}, count(*) "
        f"FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE {_met_condition('d')} "
        "GROUP BY 2, 3, 4"
    )


def upgrade():
    op.add_column("cases", sa.Column("ended_on", sa.Date(), nullable=True))
    op.create_table(
        "case_tallies",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("division_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "day", "division_id", "value", name=op.f("pk_case_tallies")
        ),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        # A running app may write meanwhile: hold its writers until the triggers exist (this
        # transaction), so no change falls between the counts and the triggers.
        op.execute("LOCK TABLE cases, deadlines, case_events IN SHARE ROW EXCLUSIVE MODE")
    _backfill(postgresql)
    if postgresql:
        for statement in (
            POSTGRESQL_ADD,
            POSTGRESQL_MOVE,
            _postgresql_case_function(),
            POSTGRESQL_CASE_DELETED,
            POSTGRESQL_DEADLINE,
            POSTGRESQL_EVENT,
            *POSTGRESQL_TRIGGERS,
        ):
            op.execute(statement)
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)
    # the planner's figures for the new table (PostgreSQL's autovacuum would come later)
    op.execute("ANALYZE case_tallies")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP:
            op.execute(statement)
    else:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("case_tallies")
    op.drop_column("cases", "ended_on")
