"""Pages of care (关怀), one module per concern.

``events``: care events (关怀事件) and the obligations they create, their import and the coverage page;
``rules``: the care rules (关怀规则); ``hardship``: the hardship register (困难登记) and its support;
``matters``: practical matters (办实事项目) with their milestones and evidence.
"""
