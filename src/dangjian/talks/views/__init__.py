"""The pages of talks, study hours and contact points, under ``/life/`` (names in the ``life`` namespace).

``hours``: each member's class hours, study records and the hour rates; ``talks``: talks and their coverage;
``contact_points``: leaders' contact points and their visits; ``common``: what the pages share.
"""
