"""The checks `content/validate.py` runs, one module per kind of file; each returns its errors."""
