def catalogue(request):
    raise NotImplementedError


def edit(request, key):
    raise NotImplementedError
