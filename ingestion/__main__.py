"""Entry point: ``python -m ingestion build|list|remove|scrub``."""

import sys

from ingestion.cli import main

sys.exit(main())
