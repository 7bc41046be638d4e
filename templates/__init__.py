"""Built-in .docx templates, shipped with the package; regenerate with tools/build_templates.py."""
