"""The proposal check: a brand rep tests a pitch before sending it to a creator."""
