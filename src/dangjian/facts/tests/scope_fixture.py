"""The generic scope test's object for the facts pages: branch1, inside sec1's scope and the root office's."""


def object_for(world, name: str, param: str):
    t = world[0]
    if (name, param) == ("org", "org_id"):
        return t.branch1.pk
    raise AssertionError(f"the scope test cannot fill {param} of facts:{name}; teach it")
