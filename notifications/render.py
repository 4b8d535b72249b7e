"""The one renderer for everything Actioned writes for people: messages, the return's HTML version, the Word text.

Every message is ``templates/<name>/{subject.txt, body.txt, body.html}``, and every body extends the one base
(``_base.txt``, ``_base.html``): the protective marking, the greeting, the footer and the HTML skeleton are written
once. :func:`make_message` renders the three files (as healthchecks' ``make_message`` does). HTML is autoescaped (what
an owner typed, "<", ">", "&", quotes, cannot change the markup); plain text is not, since it is shown as typed.
StrictUndefined turns a missing value into an error instead of a silent gap. ``trim_blocks`` and ``lstrip_blocks``
are on for every template, so a block tag on a line of its own leaves no blank line behind; a sentence that follows a
block tag on the next line must therefore be joined with an explicit space or newline (the tests look for glued
sentences in every message).

The Word document is filled by docxtpl with :func:`document_environment`: the same escaping and strictness, and the
same filters, over the XML of the template instead of a template folder.
"""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.rules.vocabulary import Rag, label_of
from models.rules.wording import Block, blocks, extract, short_title

TEMPLATES = Path(__file__).parent / "templates"
DOCUMENTS = Path(__file__).parent / "documents"
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Rendered:
    """A message as its three files render it: the subject on one line, the plain text and the HTML."""

    subject: str
    text: str
    html: str


def uk_date(value: date | None, missing: str = "no date set") -> str:
    """A date as people in the UK write it: 17 June 2021."""
    return f"{value.day} {value:%B %Y}" if value else missing


def uk_time(value: datetime) -> str:
    """A moment in Europe/London, with its zone: 17 June 2021, 14:05 BST."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
    return f"{uk_date(local.date())}, {local:%H:%M} {local.tzname()}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 action", "4 actions"."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def _filters(env: Environment) -> Environment:
    env.filters.update(
        uk_date=uk_date,
        uk_time=uk_time,
        plural=plural,
        blocks=blocks,
        extract=extract,
        short_title=short_title,
        rag_label=lambda value: label_of(Rag, value),
    )
    env.globals["Block"] = Block
    return env


def folder_environment(*folders: Path, html_only: bool = True) -> Environment:
    """The one environment for templates read from folders: messages, the return's HTML version and the web pages.

    The same filters, strictness and whitespace rules everywhere (a block tag on a line of its own leaves nothing
    behind), so a page and a message render the same value the same way. ``html_only``: only ``.html`` files are
    escaped (messages have plain-text bodies); the pages' folder holds nothing but HTML, so every file is escaped.
    ``auto_reload=False``: the templates ship with the code, so nothing asks the file system whether they changed.
    """
    return _filters(
        Environment(
            loader=FileSystemLoader([str(f) for f in folders]),
            autoescape=select_autoescape(["html"], default=not html_only),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,
        )
    )


@functools.cache
def environment() -> Environment:
    """Templates from the message folder and the documents folder (the return's HTML version lives there)."""
    return folder_environment(TEMPLATES, DOCUMENTS)


def document_environment() -> Environment:
    """For docxtpl (the Word documents): everything escaped (it is XML), undefined names fail, the same filters.

    A fresh environment each call: docxtpl compiles the template's XML with ``from_string`` and keeps nothing of it.
    """
    return _filters(Environment(autoescape=True, undefined=StrictUndefined))


def marking() -> str:
    """The protective marking every message and document carries (Government Security Classifications)."""
    from models.settings import load_settings

    return load_settings().marking


_SPACES = re.compile(r"\s+")


def make_message(name: str, context: Mapping[str, Any]) -> Rendered:
    """The message ``name`` rendered from ``templates/<name>/``: the subject squeezed onto one line and prefixed with
    the protective marking, the bodies as written. ``marking`` may be given in ``context``; the setting otherwise.
    """
    env = environment()
    values = {"marking": marking(), **context}
    subject = _SPACES.sub(" ", env.get_template(f"{name}/subject.txt").render(values)).strip()
    if values["marking"]:
        subject = f"{values['marking']}: {subject}"
    return Rendered(
        subject=subject,
        text=env.get_template(f"{name}/body.txt").render(values),
        html=env.get_template(f"{name}/body.html").render(values),
    )


def render_page(name: str, context: Mapping[str, Any]) -> str:
    """A standalone HTML page from the template ``name`` (the return's web version)."""
    return environment().get_template(name).render({"marking": marking(), **context})
