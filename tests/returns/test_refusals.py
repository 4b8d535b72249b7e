"""Returns against a mail gateway that greylists or refuses the inspectorate's address: a return is submitted only once
the return address accepted it, each goes once after the retry, and a permanent refusal is reported as not delivered.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

from models.rules.vocabulary import ReturnDecision
from models.settings import Settings
from models.store.db import session_scope
from models.store.returns import list_due
from tests.conftest import SmtpSink
from tests.returns.conftest import LIAISON
from tests.returns.test_submit import DUE, INSPECTORATE, submit, the_return


def decision(agency: str = "wiltshire-police") -> ReturnDecision:
    with session_scope() as session:
        (check,) = [c for c in list_due(session, today=DUE, report_id="safe-to-share") if c.agency_id == agency]
    return check.decision


def offered(smtp: SmtpSink, address: str) -> int:
    return sum(1 for envelope in smtp.envelopes for a in envelope.rcpt_tos if a == address)


def test_a_greylisted_return_address_delays_the_return_and_it_goes_once_after_the_retry(
    answered: Settings, smtp: SmtpSink
) -> None:
    smtp.answers[INSPECTORATE] = "450 4.7.1 Greylisted: please try again later"
    now = datetime.now(UTC)
    first = submit(DUE, now)
    assert first["submitted"] == []  # not "sent": the return address has not accepted it
    assert the_return().submitted_at is None
    assert decision() is ReturnDecision.SENDING
    assert first["unfinished"] == {"partly sent": 1}  # the liaison officer and the PCC had their copies
    assert offered(smtp, LIAISON) == 1
    assert offered(smtp, INSPECTORATE) == 0

    again = submit(DUE, now + timedelta(minutes=1))  # a rerun before the back-off: nothing new goes
    assert again["submitted"] == []
    assert offered(smtp, LIAISON) == 1

    del smtp.answers[INSPECTORATE]  # the gateway now accepts it
    later = submit(DUE, now + timedelta(minutes=6))
    row = the_return()
    assert later["submitted"] == [row.id]
    assert later["unfinished"] == {}
    assert decision() is ReturnDecision.SENT
    assert offered(smtp, INSPECTORATE) == 1
    assert offered(smtp, LIAISON) == 1  # the copies were not sent again
    ids = Counter(str(m["Message-ID"]) for m in smtp.messages)
    returns = {i: n for i, n in ids.items() if i.startswith("<return.safe-to-share.")}  # what it is, not a row id
    assert list(returns.values()) == [2]  # one message, offered twice (copies, then the return address), one id


def test_a_return_refused_for_good_is_reported_not_delivered_with_the_reply(answered: Settings, smtp: SmtpSink) -> None:
    smtp.answers[INSPECTORATE] = "550 5.1.1 <policesupercomplaint@hmicfrs.gov.uk>: Recipient address rejected"
    result = submit(DUE)
    assert result["submitted"] == []
    assert result["unfinished"] == {"failed for good": 1}
    assert any("Recipient address rejected" in line for line in result["lines"])
    assert the_return().submitted_at is None
    assert decision() is ReturnDecision.NOT_DELIVERED
    (notice,) = [m for m in smtp.messages if "Not delivered to" in str(m["Subject"])]
    assert notice["To"] == LIAISON
    assert "jordan.ellis@wiltshire-police.example" in str(notice["Cc"])  # the chief officer
    text = notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "NOT been submitted" in text
    assert "550 5.1.1" in text


def test_a_refused_copy_never_holds_back_a_delivered_return(answered: Settings, smtp: SmtpSink) -> None:
    smtp.answers["rowan.price@wiltshire-pcc.example"] = "550 5.1.1 No such user"
    result = submit(DUE)
    row = the_return()
    assert result["submitted"] == [row.id]
    assert row.submitted_at is not None
    assert decision() is ReturnDecision.SENT
    assert offered(smtp, INSPECTORATE) == 1
    notices = [m for m in smtp.messages if "Not delivered to" in str(m["Subject"])]
    assert [m["To"] for m in notices] == [LIAISON]


def test_returns_submit_exits_1_while_the_return_address_defers_saying_how_many_and_why(
    prefect_harness: None, answered: Settings, smtp: SmtpSink, cli_in_process
) -> None:
    smtp.answers[INSPECTORATE] = "450 4.7.1 Greylisted: please try again later"
    result = cli_in_process("returns", "submit", "--today", DUE.isoformat())
    assert result.code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "1 messages not finished (1 partly sent)" in line
    assert "450 4.7.1 Greylisted" in result.stdout  # the reason, per message, in the summary lines
    check = cli_in_process(
        "returns", "check", "safe-to-share", "--agency", "wiltshire-police", "--today", DUE.isoformat()
    )
    assert "sending" in check.stdout
    assert "sent" not in check.stdout.replace("sending", "")
