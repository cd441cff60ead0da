"""The pipeline (load, validate, render, engine, publish), the build cache, and the only code that replaces a published site."""
