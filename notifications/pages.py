"""Where a message sends people to do the thing it asks: every link a message carries that is not an action's own
comes from here, so the staff pages can be repointed in one place. No message tells anyone to run a command.
"""

from datetime import datetime

from models.links import liaison_url
from models.settings import Settings, load_settings


def agency_report_page(
    *, agency_id: str, report_id: str, now: datetime | None = None, settings: Settings | None = None
) -> str:
    """The page where an agency's liaison officer sees its actions on a report, reassigns them, records the comments
    that stand around the responses in the return, and decides about the return.
    """
    settings = settings or load_settings()
    return liaison_url(settings.base_url, settings.secret_key(), agency_id=agency_id, report_id=report_id, now=now)


def agency_return_page(*, agency_id: str, report_id: str, settings: Settings | None = None) -> str:
    """The staff page of an agency's return (signed in): its preview, what is missing, and the decisions (approve,
    hold, release, send as it stands, resubmit).
    """
    settings = settings or load_settings()
    return f"{settings.base_url.rstrip('/')}/agencies/{agency_id}/reports/{report_id}/return"


def agency_action_page(*, agency_id: str, action_id: int, settings: Settings | None = None) -> str:
    """The staff page of one of the agency's actions (signed in): its owner, response and history; reassign it, send
    the owner a fresh link, chase now.
    """
    settings = settings or load_settings()
    return f"{settings.base_url.rstrip('/')}/agencies/{agency_id}/actions/{action_id}"


def agency_register_page(*, agency_id: str, settings: Settings | None = None) -> str:
    """The staff page of the agency's contacts (signed in): add, replace and remove them."""
    settings = settings or load_settings()
    return f"{settings.base_url.rstrip('/')}/agencies/{agency_id}/register"
