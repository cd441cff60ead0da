"""A course on paper: one printable page per course and language, and its PDF (`sabaq build --print`)."""
