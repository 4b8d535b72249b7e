"""Messages: templates, rendering, and the delivery log and sender."""
