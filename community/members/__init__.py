"""Members: public profiles and editing one's own profile."""
