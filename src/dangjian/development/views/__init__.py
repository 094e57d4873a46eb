"""Pages of member development (发展党员), one module per concern.

``cases``: the list of cases, opening one, a case's page and its steps, contacts, reviews, extensions;
``reports``: the funnel, the due-soon and overdue lists, the Excel export and the generated documents.
"""
