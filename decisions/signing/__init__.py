"""Digital signatures of issued decisions (PAdES, pyHanko): keys, timestamps, validation.

pyHanko is imported lazily inside these modules: it is only needed when someone signs or
verifies, not on every page.
"""
