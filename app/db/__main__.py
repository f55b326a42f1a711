"""`python -m app.db upgrade`: apply the database migrations (the app also does it when it starts)."""

from __future__ import annotations

import argparse
import sys

from app.db.connect import open_database
from core.errors import SafeBordersError
from core.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    """Run the command; errors are printed as one line."""
    parser = argparse.ArgumentParser(prog="python -m app.db", description=__doc__)
    parser.add_argument("command", choices=["upgrade"], help="upgrade: bring the schema to the newest migration")
    parser.parse_args(argv)
    try:
        settings = load_settings()
        database = open_database(settings.database.url, settings.data_dir)
    except SafeBordersError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"database {database.shown_url}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
