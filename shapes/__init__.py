"""The SHACL shapes pfocr-rdf ships (``pfocr.shacl.ttl``); a package only so that they install with it."""
