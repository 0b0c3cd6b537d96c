"""Dialogue components that run inside Rasa's own process."""
