"""Erase everything Sabaq stored on this device: a button in every page's footer (theme
partials/copyright.html) and `wipe.js`. A safety feature for readers whose device may be searched."""
