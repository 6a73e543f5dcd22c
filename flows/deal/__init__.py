"""A deal after the decision: its stages, reminders, caption check and drafts (pure)."""
