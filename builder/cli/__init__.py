"""The `sabaq` command line: commands, the preview server, scaffolds and status."""
