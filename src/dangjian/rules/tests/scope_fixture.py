"""What the generic scope test opens for the rules app: the edit page of a local rule (its URL names a rule key,
not an object of an organisation; the office of the whole tree opens it, an office of one branch does not)."""


def object_for(world, name: str, param: str):
    if name == "edit" and param == "key":
        return "contact_point.min_visits_per_year"
    raise AssertionError(f"the scope test cannot fill {param} of rules:{name}; teach it")
