"""The approval flow's process model arrives with the flow itself (issue #5)."""
