"""Run 审管通 from a source checkout: ``python main.py [--home DIR] [--db URL] [--demo]``."""

from app.gui import main

if __name__ == "__main__":
    raise SystemExit(main())
