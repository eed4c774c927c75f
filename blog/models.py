"""Models come with their capability."""
