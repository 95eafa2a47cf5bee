"""Domain and services. Qt-free: nothing here may import PySide6."""
