"""A context for every message, as the code that sends it builds it: the tests render each one the way people see it."""

from typing import Any

URL = "https://actioned.example.org/a/token-for-action"
LIAISON = {"name": "Michelle Francis", "email": "liaison@wiltshire.police.example.org"}
REC_1 = (
    "As an interim measure, pending the outcome of recommendation 2, where officers only have concerns or doubts about "
    "a victim's immigration status, we recommend that they immediately stop sharing information on domestic abuse "
    "victims with Immigration Enforcement.\n\nThis applies where police officers have doubts about a victim's "
    "immigration status."
)
REC_4 = (
    "Chief constables should take steps to ensure that all migrant victims are supported.\n\nThey should:\n"
    "• ensure there is a proper policy and practice framework in place;\n• develop victim and witness support "
    "policies; and\n• promote police engagement in regular outreach community work."
)
TITLE = (
    "Safe to share? Report on Liberty and Southall Black Sisters' super-complaint on policing and immigration status"
)


def _item(number: str, text: str, *, overdue: bool = False, response: str | None = None) -> dict[str, Any]:
    return {
        "action_id": int(number),
        "report_title": TITLE,
        "report_short_title": "Safe to share?",
        "number": number,
        "kind_label": "recommendation",
        "text": text,
        "agency_name": "Wiltshire Police",
        "agency_id": "wiltshire-police",
        "due_on": "17 June 2021",
        "due_date": None,
        "overdue": overdue,
        "when": "3 days ago" if overdue else "in 14 days",
        "stage": "overdue-3" if overdue else "before-14",
        "kind": "chaser" if overdue else "reminder",
        "stage_label": "3 days overdue" if overdue else "due in 14 days",
        "status_label": "in progress",
        "response": response,
        "silent_days": 35,
        "url": f"{URL}-{number}",
        "task": None,
    }


def digest(kind: str, count: int = 2) -> dict[str, Any]:
    items = [_item("1", REC_1, overdue=kind != "reminder"), _item("4", REC_4, overdue=kind != "reminder")][:count]
    return {
        "recipient_name": "Sam Owner",
        "items": items,
        "copied": [("Supt Mant", "portfolio lead")],
        "copies_text": "Supt Mant (portfolio lead)",
        "liaison": LIAISON,
        "link_days": 30,
        "subject_title": "Safe to share?",
        "nearest_due": "17 June 2021",
        "headline": f"{count} actions due 17 June 2021",
        "has_calendar": True,
    }


def _action() -> dict[str, Any]:
    return {
        "action_id": 4,
        "report_title": TITLE,
        "number": "4",
        "kind_label": "recommendation",
        "text": REC_4,
        "agency_name": "Wiltshire Police",
        "due_on": "17 June 2021",
        "response": "We have written the policy.\n\nIt was adopted on 3 May:\n- by the board;\n- by the federation.",
        "owner": "Sam Owner",
        "owner_name": "Sam Owner",
        "link_days": 30,
        "liaison": LIAISON,
        "url": URL,
    }


def _liaison_notice() -> dict[str, Any]:
    return {
        "recipient_name": "Michelle Francis",
        "agency_name": "Wiltshire Police",
        "agency_id": "wiltshire-police",
        "report_id": "safe-to-share",
        "report_title": TITLE,
        "url": "https://actioned.example.org/l/token-for-liaison",
        "due_on": "17 June 2021",
    }


def _return(kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "agency_name": "Wiltshire Police",
        "report_title": TITLE,
        "round": 2,
        "rows": [
            {"number": "1", "status_label": "Complete", "has_response": True},
            {"number": "4", "status_label": "In progress", "has_response": False},
        ],
        "sha256": "0" * 64,
        "send_as_is": "liaison@wiltshire.police.example.org",
        "filename": "safe-to-share-wiltshire-police-1.docx",
        "liaison": {**LIAISON, "role": "HMICFRS Liaison Officer"},
    }


def contexts() -> dict[str, dict[str, Any]]:
    """Every message template there is, with a context for it."""
    return {
        "reminder": digest("reminder"),
        "chaser": digest("chaser"),
        "escalation": digest("escalation"),
        "nudge": digest("nudge", 1),
        "signoff": {**_action(), "signer_name": "Supt Mant", "closing": "not accepted"},
        "allocated": {
            **digest("reminder"),
            "items": [{**i, "stage_label": "now yours"} for i in digest("reminder")["items"]],
            "headline": "You now own 2 actions",
        },
        "declined": {
            **_action(),
            "recipient_name": "Michelle Francis",
            "owner": "sam.owner@wiltshire.police.example.org",
            "reason": "Custody, not public protection.\n\nAsk the custody lead.",
            "action_page": "http://127.0.0.1:8000/agencies/wiltshire-police/actions/1",
        },
        "signoff-rejected": {
            **_action(),
            "reason": "Attach the board minutes.\n\nThen send it again.",
            "signer": "Supt Mant",
        },
        "signoff-approved": {**_action(), "signer": "Supt Mant"},
        "comments-reminder": {**_liaison_notice(), "days_left": 5, "missing": ["the PCC's comments"]},
        "return-missing": {
            **_liaison_notice(),
            "kind": "progress",
            "missing": ["a response to recommendation 4", "the chief officer's comments"],
        },
        "return": _return("progress"),
        "delivery-refused": {
            "recipient_name": "Michelle Francis",
            "agency_name": "Wiltshire Police",
            "agency_id": "wiltshire-police",
            "report_id": "safe-to-share",
            "subject": "Safe to share?: progress return from Wiltshire Police",
            "address": "returns@inspectorate.example.org",
            "reply": "550 5.1.1 <returns@inspectorate.example.org>: mailbox unknown",
            "is_return": True,
            "return_page": "http://127.0.0.1:8000/agencies/wiltshire-police/reports/safe-to-share/return",
            "register_page": "http://127.0.0.1:8000/agencies/wiltshire-police/register",
        },
        "fresh-link": {
            **digest("reminder", 1),
            "items": [{**i, "stage_label": "due in 14 days"} for i in digest("reminder", 1)["items"]],
            "headline": "Recommendation 1: due in 14 days",
            "sender": "Lee Liaison",
        },
        "due-moved": {
            **_action(),
            "due_on": "30 September 2021",
            "was_due_on": "17 June 2021",
            "why": "priya.shah@wiltshire.police.example.org approved the change: awaiting the new IT system.",
        },
        "further-evidence": {
            **_action(),
            "note": "Send the training records for all response officers.\n\nThe policy alone is not enough.",
        },
        "due-request": {
            **_action(),
            "signer_name": "Supt Mant",
            "from_on": "17 June 2021",
            "to_on": "30 September 2021",
            "reason": "The new IT system arrives in August.\n\nThe board meets on 29 September.",
        },
        "s55-request": {
            "recipient_name": "Catherine Roper",
            "role": "chief_officer",
            "asked": True,
            "report_title": "PEEL 2023-25: An inspection of Wiltshire Police",
            "body_name": "Police and Crime Commissioner for Wiltshire",
            "force_name": "Wiltshire Police",
            "due_on": "14 February 2024",
            "body_due": "5 March 2024",
            "stage_label": "asked",
            "url": f"{URL}-s55",
        },
    }
