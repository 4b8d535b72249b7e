"""The fan-out benchmark's two sides write the same rows, and the product's fan-out gets the new ids from its insert:
one "created" event for each new action, past one INSERT ... RETURNING chunk.
"""

from sqlalchemy import text

from bench import fanout
from bench.workload import Spec, build
from models.settings import Settings
from models.store.bulk import INSERT_CHUNK
from models.store.db import engine_for

SPEC = Spec(reports=1, recommendations=10, agencies=300, seed=3)
"""One report reaching more than ``INSERT_CHUNK`` actions."""


def written(url: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The actions (without ids) and, per action, its events (kind, actor, to_value)."""
    with engine_for(url).connect() as conn:
        actions = conn.execute(
            text(
                "SELECT recommendation_id, agency_id, owner_email, owner_name, assignment, due_on, status, version"
                " FROM actions ORDER BY recommendation_id, agency_id"
            )
        )
        events = conn.execute(
            text(
                "SELECT a.recommendation_id, a.agency_id, e.kind, e.actor, e.to_value, a.status FROM actions a"
                " JOIN events e ON e.action_id = a.id ORDER BY a.recommendation_id, a.agency_id, e.id"
            )
        )
        return [tuple(str(v) for v in r) for r in actions], [tuple(str(v) for v in r) for r in events]


def test_each_new_action_gets_one_created_event_with_its_status_and_the_baseline_writes_the_same(
    db: Settings,
) -> None:
    url = db.database_url
    assert SPEC.expected_actions() > INSERT_CHUNK
    build(url, SPEC, actions=False)

    ours = fanout.actioned(url)
    actions, events = written(url)
    fanout.reset(url)
    base = fanout.baseline(url)

    assert ours["rows"] == base["rows"] == SPEC.expected_actions() == len(actions)
    assert len(events) == len(actions)
    assert all(e[2:4] == ("created", "actioned") and e[4] == e[5] for e in events)
    assert [e[:2] for e in events] == [a[:2] for a in actions]
    assert written(url) == (actions, events)
