"""Every message rendered from its three files over the one base: sentences not glued, text as written, escaped HTML,
the marking in subject and body, and no message telling anyone to run a command.
"""

import re
from html.parser import HTMLParser

import pytest

from notifications.render import TEMPLATES, make_message, uk_date, uk_time
from tests.notifications.samples import contexts

NAMES = sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and not p.name.startswith("_"))

_NOT_PROSE = re.compile(r"https?://\S+|mailto:\S+|[\w.+-]+@[\w.-]+|\S+\.(?:docx|ics|pdf)\b|\d+(?:\.\d+)+")
GLUED = re.compile(r"[a-z][.!?;:)][A-Za-z(]|\)[a-z]")
"""A sentence or bracket run into the next word: "due soon.Please", ")for a new one"."""

BLOCKS = {"p", "li", "h1", "h2", "h3", "tr", "td", "th", "div", "br", "ul", "table", "blockquote", "title"}


class _Text(HTMLParser):
    """The words of an HTML body as a reader sees them: block elements separated, tags gone."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        self.skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def glued(text: str) -> list[str]:
    prose = _NOT_PROSE.sub(" ", text)
    return [prose[max(0, m.start() - 20) : m.end() + 20] for m in GLUED.finditer(prose)]


def test_every_message_has_a_sample_context() -> None:
    assert set(NAMES) == set(contexts()), "add a context for each new message to tests/notifications/samples.py"


@pytest.mark.parametrize("name", NAMES)
def test_no_sentence_is_glued_to_the_next(name: str) -> None:
    message = make_message(name, contexts()[name])
    assert glued(message.subject) == []
    assert glued(message.text) == []
    assert glued(" ".join(visible_text(message.html).split("\n"))) == []
    for line in visible_text(message.html).split("\n"):
        assert glued(line) == [], line


def test_the_glue_check_catches_the_bugs_users_saw() -> None:
    assert glued("This action you own is due soon.Please record your progress")
    assert glued("ask your liaison officer (Jo, jo@example.org)for a new one")
    assert glued("due 17 June 2021 (in 14 days). See https://example.org/a/x.y and return.docx") == []


@pytest.mark.parametrize("name", NAMES)
def test_the_marking_is_in_the_subject_and_both_bodies(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONED_MARKING", "OFFICIAL-SENSITIVE")
    message = make_message(name, contexts()[name])
    assert message.subject.startswith("OFFICIAL-SENSITIVE: ")
    assert message.text.startswith("OFFICIAL-SENSITIVE\n")
    assert message.text.rstrip().endswith("OFFICIAL-SENSITIVE")
    assert visible_text(message.html).split().count("OFFICIAL-SENSITIVE") == 2


def test_no_marking_when_the_setting_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONED_MARKING", "")
    message = make_message("reminder", contexts()["reminder"])
    assert message.subject.startswith("Safe to share?: ")
    assert "OFFICIAL" not in message.text


@pytest.mark.parametrize("name", NAMES)
def test_no_message_tells_anyone_to_run_a_command(name: str) -> None:
    message = make_message(name, contexts()[name])
    for body in (message.text, visible_text(message.html)):
        assert "actioned " not in body.lower().replace("actioned.example", "")
        assert "<pre" not in message.html
        assert "<code>actioned" not in message.html


@pytest.mark.parametrize("name", NAMES)
def test_html_is_one_skeleton_and_escapes_what_people_typed(name: str) -> None:
    context = contexts()[name]
    hostile = '<script>alert("x")</script> & Co'
    for key in ("recipient_name", "signer_name", "owner_name", "agency_name"):
        if key in context:
            context[key] = hostile
    message = make_message(name, context)
    assert message.html.startswith('<!doctype html>\n<html lang="en-GB">')
    assert message.html.count("<body") == 1
    assert 'name="viewport"' in message.html
    assert "<script>" not in message.html
    if any(k in context for k in ("recipient_name", "signer_name", "owner_name")):
        assert "&lt;script&gt;" in message.html
        assert hostile in message.text  # plain text is shown as typed


def test_the_subject_names_what_and_when() -> None:
    assert make_message("reminder", contexts()["reminder"]).subject == (
        "OFFICIAL: Safe to share?: 2 actions due 17 June 2021"
    )


def test_the_first_thing_after_the_greeting_is_the_first_action_and_its_link() -> None:
    message = make_message("reminder", contexts()["reminder"])
    first_link = message.html.index('href="https://actioned.example.org/a/token-for-action-1"')
    assert message.html.index("Recommendation 1") < first_link < message.html.index("Recommendation 4")
    assert message.text.index("Update it: https://actioned.example.org/a/token-for-action-1") < 900


def test_paragraphs_and_bullets_are_kept_as_written() -> None:
    message = make_message("signoff", contexts()["signoff"])
    assert "    We have written the policy.\n\n    It was adopted on 3 May:\n\n    - by the board;\n" in message.text
    assert "<li>by the board;</li>" in message.html
    assert message.html.count('<p style="margin: 0 0 12px;">We have written the policy.</p>') == 1


def test_no_blank_runs_from_template_whitespace() -> None:
    for name in NAMES:
        message = make_message(name, contexts()[name])
        assert "\n\n\n" not in message.text, name
        assert "\n\n" not in message.html, name


def test_dates_and_times_read_as_in_the_uk() -> None:
    from datetime import UTC, date, datetime

    assert uk_date(date(2021, 6, 7)) == "7 June 2021"
    assert uk_time(datetime(2021, 6, 17, 13, 5, tzinfo=UTC)) == "17 June 2021, 14:05 BST"
    assert uk_time(datetime(2021, 12, 17, 13, 5, tzinfo=UTC)) == "17 December 2021, 13:05 GMT"
