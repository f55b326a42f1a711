"""Command line for administrators: ``python -m app users add NAME --role judge`` (and list, reset)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from app.accounts import ROLES, UserStore
from app.credentials import AccountError
from app.db.engine import DatabaseError
from core.errors import ConfigError
from core.settings import add_config_option, load_settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    add_config_option(parser)
    groups = parser.add_subparsers(dest="group", required=True)
    users = groups.add_parser("users", help="manage accounts").add_subparsers(dest="command", required=True)
    add = users.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True, help="prosecutors sign in as judge")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    reset = users.add_parser("reset", help="set a new password")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true")
    users.add_parser("list", help="list accounts")
    return parser


def _password(from_stdin: bool) -> tuple[str, str | None]:
    """The password and its confirmation (none from stdin: a script cannot mistype it)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), None
    return getpass.getpass("Password: "), getpass.getpass("Password (again): ")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; refused operations print one line and return a non-zero exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        store = UserStore.in_folder(settings.data_dir, settings.database.url)  # migrates the database first
    except (ConfigError, DatabaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "list":
            for user in store.list_users():
                print(f"{user.name:<24} {user.role:<10} {user.created_at}")
        elif args.command == "add":
            user = store.add_user(args.name, args.role, *_password(args.password_stdin))
            print(f"added {user.name} ({user.role})")
        else:
            store.set_password(args.name, *_password(args.password_stdin))
            print(f"password of {args.name} reset")
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
