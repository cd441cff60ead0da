"""Tools for translators: `sabaq i18n stub`, `export` and `import` (and the details of `status`)."""
