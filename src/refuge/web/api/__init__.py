"""The REST API (django-ninja): public endpoints from the publication store, record
endpoints through the policy and the services. See docs/publishing.md, "The REST API"."""
