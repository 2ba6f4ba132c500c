"""The one client of a CKAN site, shared by the CKAN target and the harvester:
failures sorted into terminal and transient by HTTP status, bounded retries
for safe calls only (publisher.ckan.client), and what a site offers
(publisher.ckan.preflight)."""
