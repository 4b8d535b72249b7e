"""The request's database session (``web.deps.database``): committed when the page ends normally, rolled back when
it fails, whatever happened on the event loop and in the thread pool between.
"""

import asyncio

import pytest
from sqlmodel import select

from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Agency
from web.deps import database


def _agency(agency_id: str) -> Agency:
    return Agency(id=agency_id, name=f"Test agency {agency_id}", kind="force")


async def _page(*, fails: bool) -> None:
    pages = database()
    session = await pages.__anext__()
    session.add(_agency("written-by-a-page"))
    session.flush()
    if fails:
        await pages.athrow(RuntimeError("the page failed after writing"))
    else:
        with pytest.raises(StopAsyncIteration):
            await pages.__anext__()


def _written() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(Agency.id).where(Agency.id == "written-by-a-page")))


def test_a_page_that_ends_normally_is_committed(db: Settings) -> None:
    asyncio.run(_page(fails=False))
    assert _written() == ["written-by-a-page"]


def test_a_page_that_fails_leaves_nothing_behind(db: Settings) -> None:
    with pytest.raises(RuntimeError, match="the page failed"):
        asyncio.run(_page(fails=True))
    assert _written() == []
