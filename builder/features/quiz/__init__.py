"""The quiz at the end of a module page: its HTML, and the script that checks answers in the browser."""
