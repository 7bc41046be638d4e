"""sp-builder: Standar Pelayanan (PermenPANRB 15/2014) from plain YAML to every document of the cycle."""

__version__ = "0.1.0"
