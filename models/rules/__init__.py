"""Pure rules: standard library and each other only; no I/O, no clock ("today" is a parameter)."""
