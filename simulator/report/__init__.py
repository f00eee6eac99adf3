"""Feedback reports: the debrief a trainee reads and an instructor reviews (HTML, Markdown, JSON)."""
