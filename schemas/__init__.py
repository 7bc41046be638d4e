"""Built-in data tables (components, cerberus schemas, instruments), shipped with the package."""
