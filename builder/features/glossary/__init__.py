"""The glossary: one page per language of the field's terms, which modules link to."""
