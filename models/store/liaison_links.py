"""Liaison officers' links to an agency's report: revoking them, and asking whether a link was revoked.

A liaison link is a signed claim (``models.links``) naming one agency and one report; it carries no secret of its own
that could be changed. Revoking records an instant: every liaison link for that (report, agency) signed at or before
it is refused from then on, and a fresh one (``actioned agencies link``) works again.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from models.links import LinkClaim, is_revoked
from models.store.register import get_agency
from models.store.reports import get_report
from models.store.tables import LiaisonAccess


def revoke_liaison_links(
    session: Session, *, report_id: str, agency_id: str, by: str, now: datetime | None = None
) -> LiaisonAccess:
    """Kill every liaison link issued so far for ``agency_id``'s page of ``report_id``."""
    get_report(session, report_id=report_id)
    get_agency(session, agency_id=agency_id)
    row = session.get(LiaisonAccess, (report_id, agency_id)) or LiaisonAccess(report_id=report_id, agency_id=agency_id)
    row.links_revoked_at = now or datetime.now(UTC)
    row.revoked_by = by
    session.add(row)
    session.flush()
    return row


def liaison_link_revoked(session: Session, claim: LinkClaim) -> bool:
    """Whether ``claim`` (a liaison link) was issued before its (report, agency)'s links were revoked."""
    row = session.get(LiaisonAccess, (claim.report_id, claim.agency_id))
    return row is not None and is_revoked(claim, row.links_revoked_at)
