"""A certificate's public verification page and its holder's download."""
