"""Accounts: the custom user, allauth adapter and forms, invitations and imports."""
