"""Pages of organisational life (三会一课), one module per concern.

``pages``: list, plan, edit and the meeting page; ``lifecycle``: attendance, held, minutes,
lock, amend, cancel; ``files``: attachments; ``checkin``: the QR code and the phone check-in;
``life``: class hours, talks and contact points (their URLs under ``/life/``, see ``life_urls``).
"""
