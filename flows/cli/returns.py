"""Commands that later work adds (placeholder so the command line imports)."""
