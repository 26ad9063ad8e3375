"""The Django project: storage, users, the disclosure policy and the screens."""
