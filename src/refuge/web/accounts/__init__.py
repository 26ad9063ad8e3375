"""Users, their roles and teams."""
