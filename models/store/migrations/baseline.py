"""Regenerate the baseline revision from the tables (pre-release only): ``python -m models.store.migrations.baseline``."""

import tempfile
from pathlib import Path

from alembic import command

from models.store.db import MIGRATIONS, alembic_config

BASELINE = MIGRATIONS / "versions" / "0001_baseline.py"


def main() -> None:
    BASELINE.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'empty.db'}"
        command.revision(alembic_config(url), message="baseline", autogenerate=True, rev_id="0001", head="base")
    generated = next((MIGRATIONS / "versions").glob("0001_*.py"))
    generated.rename(BASELINE)
    print(f"wrote {BASELINE.relative_to(MIGRATIONS.parent.parent)}")


if __name__ == "__main__":
    main()
