"""The PySide6 desktop interface. The only package (with app/gui.py) that imports Qt."""
