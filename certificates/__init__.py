"""Certificates issued by office: numbering, rendering, verification."""
