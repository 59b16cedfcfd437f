from integration_adoption.generator.cli import main

raise SystemExit(main())
