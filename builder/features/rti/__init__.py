"""The request builder: a page that writes a request for information under a country's law,
computes when the answer is due, and keeps a private list of requests sent (`rti.yml`)."""
