"""API v1 views of this app: a participant's entries shown with their file, and resumable uploads."""
