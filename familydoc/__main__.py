from familydoc.cli import main

raise SystemExit(main())
