"""The receive-replies flow: read the return address's mailbox over IMAP and keep each reply to a return in the
agency's return history (``notifications.inbox``). Thin: one task, retried when the server cannot be reached.
"""

from typing import Any

from prefect import flow, task

from notifications.inbox import configured_mailbox, receive


@task(retries=2, retry_delay_seconds=[10, 60])
def read_mailbox() -> dict[str, Any]:
    """One reading of the configured mailbox: the replies recorded and the messages that answer no return."""
    found = receive(configured_mailbox())
    return {"recorded": found.recorded, "unmatched": found.unmatched}


@flow(name="receive-replies", log_prints=True)
def receive_replies() -> dict[str, Any]:
    """Read the return address's mailbox and record the replies to returns."""
    return read_mailbox()
