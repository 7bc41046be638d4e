"""Documents of the SP cycle: template contexts, the Jinja environment, Word building blocks (OOXML
plumbing and the layout of official documents), rendering, PDF through LibreOffice, and the
publication page."""
