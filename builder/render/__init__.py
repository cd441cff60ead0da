"""From a validated project to Markdown pages and each language's MkDocs configuration: pure, no disk, no MkDocs."""
