"""The national view's pure rules, by tables of cases."""

from datetime import date

import pytest

from models.rules.cells import neutralise
from models.rules.errors import ActionedError
from models.rules.national import (
    NO_RETURN,
    RecommendationRef,
    SubmittedResponse,
    closure_line,
    collate,
    covered_response,
    decide_closure,
    parse_closure,
    return_progress,
    working_days_late,
)
from models.rules.vocabulary import Closure, ReturnProgress, Status
from notifications.documents.collate import sheet_name

DUE = date(2021, 6, 17)  # a Thursday
SPRING = frozenset({date(2021, 5, 31)})


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"responses": 0, "missing": 4}, ReturnProgress.NOT_STARTED),
        ({"responses": 2, "missing": 2}, ReturnProgress.IN_PROGRESS),
        ({"responses": 4, "missing": 0}, ReturnProgress.READY),
        ({"responses": 1, "missing": 3, "send_as_is": True}, ReturnProgress.READY),
        ({"responses": 4, "missing": 0, "on_hold": True}, ReturnProgress.HELD),
        ({"responses": 4, "missing": 0, "on_hold": True, "queued": True}, ReturnProgress.SENT),
        ({"responses": 4, "missing": 0, "queued": True, "accepted": True}, ReturnProgress.ACCEPTED),
        ({"responses": 0, "missing": 4, "accepted": True}, ReturnProgress.ACCEPTED),
    ],
)
def test_where_a_return_stands(facts, expected):
    values = {"on_hold": False, "send_as_is": False, "queued": False, "accepted": False, **facts}
    assert return_progress(**values) is expected


@pytest.mark.parametrize(
    ("today", "accepted_on", "holidays", "late"),
    [
        (date(2021, 6, 16), None, frozenset(), 0),  # before the return date
        (DUE, None, frozenset(), 0),  # the return date itself is on time
        (date(2021, 6, 18), None, frozenset(), 1),  # Friday
        (date(2021, 6, 20), None, frozenset(), 1),  # the weekend does not count
        (date(2021, 6, 21), None, frozenset(), 2),
        (date(2021, 6, 21), None, frozenset({date(2021, 6, 18)}), 1),  # nor does a bank holiday
        (date(2021, 9, 1), date(2021, 6, 17), frozenset(), 0),  # accepted on time stays on time
        (date(2021, 9, 1), date(2021, 6, 24), frozenset(), 5),  # accepted a week late: 5 working days, for ever
        (date(2021, 6, 18), date(2026, 1, 5), frozenset(), 1),  # accepted after the as-of day: counted to it
    ],
)
def test_working_days_late(today, accepted_on, holidays, late):
    assert working_days_late(due_on=DUE, today=today, accepted_on=accepted_on, holidays=holidays) == late


def test_no_return_date_is_never_late():
    assert working_days_late(due_on=None, today=date(2030, 1, 1), accepted_on=None, holidays=SPRING) == 0


@pytest.mark.parametrize(
    ("status", "current", "decision", "note", "evidence", "has_owner", "expected"),
    [
        (Status.COMPLETE, None, Closure.CLOSED, "Seen.", "Policy v2", True, (Status.COMPLETE, False)),
        (Status.IN_PROGRESS, None, Closure.CLOSED, "Seen.", "Revisit", True, (Status.IN_PROGRESS, False)),
        (Status.COMPLETE, None, Closure.FURTHER_EVIDENCE, "Send the policy.", "", True, (Status.IN_PROGRESS, True)),
        (Status.PENDING_SIGNOFF, None, Closure.FURTHER_EVIDENCE, "More.", "", True, (Status.IN_PROGRESS, True)),
        (Status.OPEN, None, Closure.FURTHER_EVIDENCE, "More.", "", True, (Status.OPEN, True)),
        (Status.COMPLETE, Closure.CLOSED, Closure.FURTHER_EVIDENCE, "Reopened.", "", True, (Status.IN_PROGRESS, True)),
        (
            Status.COMPLETE,
            Closure.FURTHER_EVIDENCE,
            Closure.CLOSED,
            "Now seen.",
            "Audit",
            True,
            (Status.COMPLETE, False),
        ),
    ],
)
def test_the_inspectorates_decision(status, current, decision, note, evidence, has_owner, expected):
    outcome = decide_closure(
        status=status, current=current, decision=decision, note=note, evidence=evidence, has_owner=has_owner
    )
    assert (outcome.status, outcome.restart_ladder) == expected
    assert outcome.closure is decision


@pytest.mark.parametrize(
    ("current", "decision", "note", "evidence", "has_owner", "field"),
    [
        (None, Closure.CLOSED, " ", "Policy", True, "note"),
        (None, Closure.CLOSED, "Seen.", "", True, "evidence"),
        (Closure.CLOSED, Closure.CLOSED, "Again.", "Policy", True, "decision"),
        (None, Closure.FURTHER_EVIDENCE, "", "", True, "note"),
        (None, Closure.FURTHER_EVIDENCE, "More.", "", False, "decision"),
    ],
)
def test_a_decision_that_cannot_be_made_names_the_field(current, decision, note, evidence, has_owner, field):
    with pytest.raises(ActionedError) as err:
        decide_closure(
            status=Status.COMPLETE,
            current=current,
            decision=decision,
            note=note,
            evidence=evidence,
            has_owner=has_owner,
        )
    assert err.value.field == field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("closed", Closure.CLOSED),
        ("further-evidence", Closure.FURTHER_EVIDENCE),
        ("Further evidence", Closure.FURTHER_EVIDENCE),
    ],
)
def test_decisions_are_read_from_their_names(text, expected):
    assert parse_closure(text) is expected


def test_an_unknown_decision_is_refused():
    with pytest.raises(ActionedError, match="'done' is not a decision"):
        parse_closure("done")


def test_the_decision_in_words():
    assert closure_line(None, None, None) is None
    assert closure_line(Closure.CLOSED, date(2021, 9, 1), "Policy seen.") == (
        "Closed by the inspectorate on 1 September 2021: Policy seen."
    )


def test_a_covered_return_names_the_national_body():
    assert "National Police Chiefs' Council" in covered_response("National Police Chiefs' Council")


RECS = [RecommendationRef("8", "To all", "Update.", 3), RecommendationRef("1", "To chief constables", "Stop.", 0)]


def test_collation_puts_every_addressed_agency_side_by_side_latest_round_winning():
    got = collate(
        recommendations=RECS,
        addressed={"1": ["b", "a"], "8": ["a", "b", "c"]},
        names={"a": "Avon", "b": "Bedfordshire", "c": "Cumbria"},
        submitted=[
            SubmittedResponse("a", "1", "First.", 1, date(2021, 6, 17)),
            SubmittedResponse("a", "1", "Second.", 2, date(2021, 7, 1)),
            SubmittedResponse("b", "8", "Noted.", 1, date(2021, 6, 18)),
        ],
        inspectorate={("a", "1"): "Closed"},
    )
    assert [r.number for r in got] == ["1", "8"]
    assert [(row.agency_name, row.response, row.inspectorate) for row in got[0].rows] == [
        ("Avon", "Second.", "Closed"),
        ("Bedfordshire", NO_RETURN, ""),
    ]
    assert got[0].rows[0].source == "Return round 2, accepted 1 July 2021"
    assert [row.response for row in got[1].rows] == [NO_RETURN, "Noted.", NO_RETURN]
    assert got[1].received == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x.test")', '\'=HYPERLINK("http://x.test")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Wiltshire Police notes", "Wiltshire Police notes"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(value, expected):
    assert neutralise(value) == expected


def test_sheet_names_keep_excels_rules():
    taken: set[str] = set()
    assert sheet_name("7.1", taken) == "Rec 7.1"
    assert sheet_name("7.1", taken) == "Rec 7.1 (2)"
    assert sheet_name("a/b:c", taken) == "Rec a-b-c"
    assert len(sheet_name("9" * 40, taken)) <= 31
