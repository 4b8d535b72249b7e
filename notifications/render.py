"""The Jinja2 environment for messages: ``templates/<kind>/{subject.txt, body.txt, body.html}``.

HTML is autoescaped (what an owner typed, "<", ">", "&", quotes, cannot change the markup); plain text is not, since
it is shown as typed. StrictUndefined turns a missing value into an error instead of a silent gap in a message.
"""

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject (one line), plain text and HTML of the message ``kind``."""
    env = environment()
    subject = " ".join(env.get_template(f"{kind}/subject.txt").render(context).split())
    text = env.get_template(f"{kind}/body.txt").render(context)
    html = env.get_template(f"{kind}/body.html").render(context)
    return subject, text, html
