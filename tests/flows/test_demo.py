"""``actioned demo`` never sends to a real server, whatever the environment says: every message goes to its outbox."""

from models.settings import Settings
from tests.conftest import SmtpSink


def test_the_demo_with_a_real_smtp_server_configured_sends_nothing_to_it(home: Settings, smtp: SmtpSink, cli) -> None:
    result = cli("demo", timeout=900)
    assert result.code == 0, result.stderr[-3000:]
    assert "never sent to a mail server or a channel (ACTIONED_SMTP_URL is ignored by the demo)" in result.stdout
    assert smtp.rcpts == []  # not one recipient offered to the server
    assert smtp.messages == []
    assert len(list(home.outbox.glob("*.eml"))) > 10
