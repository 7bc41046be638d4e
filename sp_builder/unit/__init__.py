"""Reading a unit folder: its YAML with positions, the typed model, the rules of the SP contract,
the self-assessment file, and how each component reads as text. Imports nothing from the
documents, survey or assessment wings."""
