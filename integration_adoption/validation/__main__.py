"""``python -m integration_adoption.validation``: run the checkpoint."""

from integration_adoption.validation.cli import main

raise SystemExit(main())
