from pdw_cli.cli import main

raise SystemExit(main())
