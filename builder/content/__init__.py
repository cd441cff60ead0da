"""What trainers write: the model, YAML with positions, the files of a project, schemas, translations and validation, and the `Project` the later stages read."""
