"""Pages of people (职工与党员), one module per concern.

``persons``: the list and its export, a person's page, create, edit, delete, membership move and discipline;
``imports``: the roster import, its template and its jobs.
"""
