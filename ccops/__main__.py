from ccops.cli import main

raise SystemExit(main())
