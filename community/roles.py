"""The community's roles, each a Django group.

The groups are created by a data migration so that every database has them;
what each role may do lives in `permissions.py` and is enforced by services.
"""

MEMBER = "Member"
STAFF_RESPONDER = "Staff responder"
PRODUCT_MANAGER = "Product manager"
COMMUNITY_MANAGER = "Community manager"
ADMINISTRATOR = "Administrator"

ALL_ROLES = [MEMBER, STAFF_RESPONDER, PRODUCT_MANAGER, COMMUNITY_MANAGER, ADMINISTRATOR]
# Roles whose holders answer ideas in the company's name.
STAFF_ROLES = [STAFF_RESPONDER, PRODUCT_MANAGER, COMMUNITY_MANAGER, ADMINISTRATOR]
