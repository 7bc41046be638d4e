"""PEKPPP before the evaluators arrive: what the unit's files prove, the self-assessment scored per
instrument, the gap report, its views and the evidence bundle."""
