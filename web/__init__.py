"""The owners' pages: an owner's action, the signer's sign-off, and the liaison officer's view of an agency's actions.

People reach them only through signed links (``models.links``); there are no accounts. ``web.app:create_app``.
"""
