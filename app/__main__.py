"""``python -m app users …``: account administration from the command line."""

import sys

from app.users_cli import main

sys.exit(main())
