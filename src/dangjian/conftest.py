import pytest

from dangjian.testing import Tree, make_tree


@pytest.fixture
def tree(db) -> Tree:
    return make_tree()
