"""The creator review: a sponsorship offer walked through the questions that matter."""
