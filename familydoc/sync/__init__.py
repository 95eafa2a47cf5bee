"""Upstream reporting: the outbox and the county protocols (FHIR R4, DHIS2) over httpx. Qt-free."""
