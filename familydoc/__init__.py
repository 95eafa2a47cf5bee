"""familydoc: family doctor contracting for township health centres."""

__version__ = "0.1.0"
