"""The apology coach: for the creator whose sponsorship already went wrong."""
