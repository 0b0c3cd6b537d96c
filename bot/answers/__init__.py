"""What the actions answer: FAQ choice, nearest services, localised values."""
