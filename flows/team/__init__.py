"""The team review: an agency team votes on one proposal in a group chat."""
