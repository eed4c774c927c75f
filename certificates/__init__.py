"""Certificates: diplomas, certificates and thank-you letters, each verifiable by its code."""
