"""Logistics: daily CSV drops under a landing root."""
