"""Who a message is from and whom to answer, as real mail says it: a From name, Reply-To the agency's liaison officer
(the machine's address takes no replies), and List-Unsubscribe where a person can ask to stop receiving it.

``Auto-Submitted: auto-generated`` goes on every message (``notifications.transport.build_email``); the Message-ID is
the delivery key's (``transport.message_id_for``).
"""

from urllib.parse import quote

from notifications.transport import FROM_NAME


def for_owner(agency_name: str, liaison_email: str | None, *, unsubscribe: bool = True) -> dict[str, str]:
    """Reminders and sign-off messages: from Actioned on the agency's behalf, answered by its liaison officer; a
    reminder's List-Unsubscribe asks that officer to take the reader off the action (reassign it).
    """
    headers = {FROM_NAME: f"Actioned for {agency_name}"}
    if liaison_email:
        headers["Reply-To"] = liaison_email
        if unsubscribe:
            subject = quote("Please reassign my actions: I should not receive these reminders")
            headers["List-Unsubscribe"] = f"<mailto:{liaison_email}?subject={subject}>"
    return headers


def for_return(agency_name: str, liaison_email: str | None) -> dict[str, str]:
    """The return to the inspectorate: sent on the agency's behalf, answered by its liaison officer."""
    headers = {FROM_NAME: f"{agency_name} via Actioned"}
    if liaison_email:
        headers["Reply-To"] = liaison_email
    return headers
