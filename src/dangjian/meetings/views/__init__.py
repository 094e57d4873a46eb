"""Pages of organisational life (三会一课), one module per concern.

``pages``: list, plan, edit and the meeting page; ``lifecycle``: attendance, held, minutes,
lock, amend, cancel; ``files``: attachments; ``checkin``: the QR code and the phone check-in.
Talks, study hours and contact points are the talks app's (``dangjian.talks``).
"""
