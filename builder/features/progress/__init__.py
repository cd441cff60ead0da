"""Where am I: which modules a reader has read, their quiz scores, the minutes left, and a link
to continue, on each course's overview page. Kept in this browser only, like quiz answers."""
