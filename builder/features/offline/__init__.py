"""Reading without a connection: the installable web app, its service worker, and the downloadable package."""
