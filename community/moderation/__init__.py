"""Moderation: members flag, moderators hide, restore, edit and lock, and suspend members.

One feature, every layer: `models` (Flag), `services/` (writes), `selectors`,
`forms`, `views/`, `urls`, and the idea page's panel (`templatetags`).
"""
